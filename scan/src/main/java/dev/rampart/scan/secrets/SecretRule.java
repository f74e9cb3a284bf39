package dev.rampart.scan.secrets;

import com.google.re2j.Pattern;
import dev.rampart.core.Rule;
import java.util.List;
import java.util.Optional;

/**
 * One credential rule of the pack: the reported {@link Rule}, its patterns (each capturing the secret in group 1),
 * the keywords that must occur before any pattern runs, and the filters a match must pass.
 *
 * @param fragmentWindow patterns span lines (JSON key files, PEM blocks) and run over the whole fragment
 * @param mixedCharacters the secret must contain both letters and digits (for generic assignments)
 * @param assignment a {@code name = value} matcher used instead of patterns, for the most frequent keywords
 */
public record SecretRule(
    Rule rule,
    List<SecretPattern> patterns,
    List<String> keywords,
    double minEntropy,
    boolean fragmentWindow,
    boolean mixedCharacters,
    Optional<Validator> validator,
    Optional<Assignment> assignment) {

  public SecretRule {
    patterns = List.copyOf(patterns);
    keywords = List.copyOf(keywords);
  }

  /** One regular expression; {@code requires}, when present, must also match somewhere in the fragment. */
  public record SecretPattern(Pattern regex, Optional<Pattern> requires) {}

  /** A structural check beyond the shape, such as a checksum. */
  public enum Validator {
    RAMPART_CHECKSUM {
      @Override
      boolean accepts(String secret) {
        return dev.rampart.core.ApiTokenFormat.valid(secret);
      }
    };

    abstract boolean accepts(String secret);
  }
}
