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
 * @param extractor a hand-written matcher ({@code name = value}, URL userinfo) run at every keyword hit, for the most
 *     frequent keywords; the rule's patterns, if any, run as well
 */
public record SecretRule(
    Rule rule,
    List<SecretPattern> patterns,
    List<String> keywords,
    double minEntropy,
    boolean fragmentWindow,
    boolean mixedCharacters,
    Optional<Validator> validator,
    Optional<Extractor> extractor) {

  public SecretRule {
    patterns = List.copyOf(patterns);
    keywords = List.copyOf(keywords);
  }

  /** One regular expression; {@code requires}, when present, must also match somewhere in the fragment. */
  public record SecretPattern(Pattern regex, Optional<Pattern> requires) {}

  /** A structural check beyond the shape, such as a checksum or a key that must decode. */
  public enum Validator {
    RAMPART_CHECKSUM {
      @Override
      boolean accepts(String secret, String match, CharSequence fragment) {
        return dev.rampart.core.ApiTokenFormat.valid(secret);
      }
    },
    /** The PEM body decodes to a key of the type the header declares. */
    PRIVATE_KEY_STRUCTURE {
      @Override
      boolean accepts(String secret, String match, CharSequence fragment) {
        int begin = match.indexOf("BEGIN");
        int end = match.indexOf("PRIVATE KEY");
        String type = begin >= 0 && end > begin ? match.substring(begin + 5, end) : "";
        // a legacy encrypted PEM (Proc-Type: 4,ENCRYPTED) holds ciphertext, which has no structure to check
        return match.contains("Proc-Type:") || PrivateKeys.plausible(type, secret);
      }
    },
    /** A service-account file whose private key is filler is a template, whatever its key id. */
    SERVICE_ACCOUNT_KEY {
      private static final Pattern KEY =
          Pattern.compile("(?s)\"private_key\"\\s*:\\s*\"-----BEGIN ([A-Z ]*)PRIVATE KEY-----(.*?)-----END");

      @Override
      boolean accepts(String secret, String match, CharSequence fragment) {
        var m = KEY.matcher(fragment);
        return !m.find() || PrivateKeys.plausible(m.group(1), m.group(2));
      }
    };

    abstract boolean accepts(String secret, String match, CharSequence fragment);
  }
}
