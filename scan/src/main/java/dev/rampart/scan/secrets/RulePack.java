package dev.rampart.scan.secrets;

import static dev.rampart.core.Atlas.UNSECURED_CREDENTIALS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.rampart.core.Stage;
import dev.rampart.core.Rule;
import dev.rampart.core.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Loads the credential rule pack (JSON, RE2 patterns) shipped with Rampart. */
public final class RulePack {
  /**
   * A token boundary: not preceded by a character that could continue a base64 or base62 token, or the {@code //}
   * that opens a URL's authority ({@code git+https://TOKEN@github.com}).
   */
  private static final String LEFT = "(?:^|[^A-Za-z0-9_+/-]|//)";

  private static final String RIGHT = "(?:[^A-Za-z0-9_+/=-]|$)";
  private static final String RESOURCE = "secret-rules.json";

  private static final List<SecretRule> DEFAULTS = load();

  private RulePack() {}

  /** The built-in rules, in precedence order. */
  public static List<SecretRule> defaults() {
    return DEFAULTS;
  }

  private static List<SecretRule> load() {
    try (InputStream in = RulePack.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("the built-in secret rule pack is unreadable", e);
    }
  }

  static List<SecretRule> parse(JsonNode root) {
    var rules = new ArrayList<SecretRule>();
    var ids = new HashSet<String>();
    for (JsonNode r : root.path("rules")) {
      String id = r.path("id").asText();
      if (!ids.add(id)) {
        throw new IllegalArgumentException("duplicate secret rule id " + id);
      }
      var rule =
          Rule.of(id, Severity.valueOf(r.path("severity").asText()), r.path("title").asText(),
              r.path("help").asText(), UNSECURED_CREDENTIALS, Stage.CODE_REPOSITORY);
      var patterns = new ArrayList<SecretRule.SecretPattern>();
      for (JsonNode p : r.path("patterns")) {
        patterns.add(
            new SecretRule.SecretPattern(
                compile(id, p.path("regex").asText()),
                p.has("requires") ? Optional.of(compile(id, p.path("requires").asText())) : Optional.empty()));
      }
      var keywords = new ArrayList<String>();
      r.path("keywords").forEach(k -> keywords.add(k.asText().toLowerCase(Locale.ROOT)));
      Optional<Extractor> extractor = Optional.empty();
      if (r.has("assignment")) {
        var a = r.path("assignment");
        var suffixes = new ArrayList<String>();
        a.path("nameSuffixes").forEach(x -> suffixes.add(x.asText().toLowerCase(Locale.ROOT)));
        extractor = Optional.of(new Assignment(List.copyOf(suffixes), a.path("minLength").asInt(16), a.path("maxLength").asInt(128)));
      } else if (r.has("userinfo")) {
        var u = r.path("userinfo");
        var schemes = new ArrayList<String>();
        u.path("schemes").forEach(x -> schemes.add(x.asText().toLowerCase(Locale.ROOT)));
        extractor = Optional.of(new UrlUserinfo(java.util.Set.copyOf(schemes), u.path("bareTokens").asBoolean(false)));
      }
      if (keywords.isEmpty() || patterns.isEmpty() && extractor.isEmpty()) {
        throw new IllegalArgumentException(id + " needs keywords and patterns: the prefilter relies on them");
      }
      Optional<SecretRule.Validator> validator =
          r.has("validator")
              ? Optional.of(SecretRule.Validator.valueOf(r.path("validator").asText().toUpperCase(Locale.ROOT).replace('-', '_')))
              : Optional.empty();
      rules.add(
          new SecretRule(rule, patterns, keywords, r.path("entropy").asDouble(0),
              "fragment".equals(r.path("window").asText("line")), r.path("mixedCharacters").asBoolean(false),
              validator, extractor));
    }
    return List.copyOf(rules);
  }

  private static Pattern compile(String id, String regex) {
    try {
      return Pattern.compile(regex.replace("{B}", LEFT).replace("{E}", RIGHT));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("secret rule " + id + " has an invalid RE2 pattern: " + e.getMessage(), e);
    }
  }
}
