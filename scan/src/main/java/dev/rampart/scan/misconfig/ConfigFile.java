package dev.rampart.scan.misconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;

/** One configuration file under check: its name, its text, and (for manifests) its YAML or JSON documents. */
final class ConfigFile {
  private static final int MAX_DOCUMENTS = 256;
  private static final int MAX_ALIASES = 50;

  private final String name;
  private final CharSequence text;
  private List<JsonNode> documents;
  private java.util.Optional<JsonNode> compose;
  private String lower;

  ConfigFile(String name, CharSequence text) {
    this.name = name.toLowerCase(Locale.ROOT);
    this.text = text;
  }

  String name() {
    return name;
  }

  CharSequence text() {
    return text;
  }

  /**
   * Whether the text mentions any of the lower-case words: a cheap gate in front of the regular expressions, which
   * cost far more per byte than a substring search.
   */
  boolean mentions(String... words) {
    if (lower == null) {
      lower = text.toString().toLowerCase(Locale.ROOT);
    }
    for (String w : words) {
      if (lower.contains(w)) {
        return true;
      }
    }
    return false;
  }

  Matcher matcher(Pattern p) {
    return p.matcher(text);
  }

  boolean contains(Pattern p) {
    return p.matcher(text).find();
  }

  /** 1-based line of a character offset. */
  int lineOf(int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** The first line containing {@code needle}, or 0. */
  int lineOf(String needle) {
    int at = text.toString().indexOf(needle);
    return at < 0 ? 0 : lineOf(at);
  }

  /**
   * The root of a Docker Compose file (a YAML mapping with a {@code services} mapping), parsed with the same limits
   * as manifests; empty for anything else.
   */
  java.util.Optional<JsonNode> compose() {
    if (compose == null) {
      compose = java.util.Optional.empty();
      String s = text.toString();
      if (s.contains("services:") && !s.contains("kind:")) {
        try (YAMLParser parser = yaml().createParser(s)) {
          JsonNode root = new ObjectMapper(yaml()).readTree(parser);
          if (root != null && root.path("services").isObject()) {
            compose = java.util.Optional.of(root);
          }
        } catch (IOException | RuntimeException e) {
          // not YAML we can read: the text checks still apply
        }
      }
    }
    return compose;
  }

  private static YAMLFactory yaml() {
    var options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setCodePointLimit(8 * 1024 * 1024);
    return YAMLFactory.builder().loaderOptions(options).build();
  }

  /**
   * Kubernetes-style documents: every YAML document (or the JSON object) that has a {@code kind}. Aliases are capped
   * (billion-laughs) and parse errors leave the list empty, since a file that is not a manifest is not an error.
   */
  List<JsonNode> manifests() {
    if (documents == null) {
      documents = new ArrayList<>();
      String s = text.toString();
      if (s.contains("kind:") || s.contains("\"kind\"")) {
        try {
          var options = new LoaderOptions();
          options.setMaxAliasesForCollections(MAX_ALIASES);
          options.setCodePointLimit(8 * 1024 * 1024);
          var factory = YAMLFactory.builder().loaderOptions(options).build();
          var mapper = new ObjectMapper(factory);
          try (YAMLParser parser = factory.createParser(s)) {
            var it = mapper.readValues(parser, JsonNode.class);
            while (it.hasNext() && documents.size() < MAX_DOCUMENTS) {
              JsonNode doc = it.next();
              if (doc != null && doc.isObject() && doc.path("kind").isTextual()) {
                documents.add(doc);
              }
            }
          }
        } catch (IOException | RuntimeException e) {
          // not YAML we can read: the text checks still apply
        }
      }
    }
    return documents;
  }
}
