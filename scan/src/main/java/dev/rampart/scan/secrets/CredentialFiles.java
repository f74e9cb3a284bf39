package dev.rampart.scan.secrets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Whether a file that exists to hold credentials ({@code .env}, {@code kaggle.json}, a service-account key) holds
 * one. Templates of these files are committed on purpose, with placeholders where the values go; they are not
 * reported. A file we cannot read as its format counts as holding a credential.
 */
final class CredentialFiles {
  private static final int MAX_TEXT = 1024 * 1024;
  private static final int MAX_NODES = 10_000;
  private static final List<String> SENSITIVE_SUFFIXES =
      List.of("token", "secret", "key", "password", "passwd", "pwd", "pass", "credential", "credentials");
  private static final Pattern PEM =
      Pattern.compile("(?s)-----BEGIN ([A-Z ]*)PRIVATE KEY-----(.*?)-----END");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
  }

  private CredentialFiles() {}

  static boolean holdsCredential(String name, CharSequence text, SecretDetector detector) {
    if (text == null || text.length() > MAX_TEXT || !detector.detect(text).isEmpty()) {
      return true;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith("id_")) {
      // an SSH key file is a key whatever we make of its body
      return true;
    }
    if (lower.endsWith(".json")) {
      try {
        return json(JSON.readTree(text.toString()), new int[] {0});
      } catch (IOException | RuntimeException e) {
        return true;
      }
    }
    return lines(text.toString());
  }

  private static boolean json(JsonNode node, int[] visited) {
    if (++visited[0] > MAX_NODES) {
      return true;
    }
    if (node.isArray()) {
      for (JsonNode child : node) {
        if (json(child, visited)) {
          return true;
        }
      }
    }
    if (!node.isObject()) {
      return false;
    }
    for (var it = node.fields(); it.hasNext(); ) {
      var field = it.next();
      JsonNode value = field.getValue();
      if (value.isTextual() && sensitive(field.getKey()) && real(field.getKey(), value.asText())) {
        return true;
      }
      if (value.isContainerNode() && json(value, visited)) {
        return true;
      }
    }
    return false;
  }

  /** {@code NAME=value}, {@code name = value}, {@code name: value} and netrc's {@code password value}. */
  private static boolean lines(String text) {
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring(7).strip();
      }
      int eq = separator(line);
      if (eq > 0) {
        String name = line.substring(0, eq).strip();
        if (sensitive(name) && real(name, unquote(line.substring(eq + 1)))) {
          return true;
        }
        continue;
      }
      String[] words = line.split("\\s+");
      for (int i = 0; i + 1 < words.length; i++) {
        if (words[i].equals("password") && real("password", words[i + 1])) {
          return true;
        }
      }
    }
    return false;
  }

  private static int separator(String line) {
    int eq = line.indexOf('=');
    int colon = line.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
  }

  private static String unquote(String value) {
    String v = value.strip();
    int hash = v.indexOf(" #");
    if (hash >= 0) {
      v = v.substring(0, hash).strip();
    }
    if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
      v = v.substring(1, v.length() - 1);
    }
    return v;
  }

  static boolean sensitive(String name) {
    String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    for (String suffix : SENSITIVE_SUFFIXES) {
      if (n.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /** A value that could be a credential: not empty, not a number or a switch, not a placeholder, not a dummy key. */
  private static boolean real(String name, String value) {
    String v = value.strip();
    if (v.length() < 6 || v.chars().allMatch(Character::isDigit) || Placeholders.isPlaceholder(v)
        || Placeholders.repeatsName(name, v)) {
      return false;
    }
    var pem = PEM.matcher(v);
    if (pem.find()) {
      return PrivateKeys.plausible(pem.group(1), pem.group(2));
    }
    return true;
  }
}
