package dev.rampart.eval.llm;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Probe sets are data, one JSON file per category: the bundled corpus, or a directory of the user's own in the same
 * format. Every file is checked before anything is sent, so a typo fails fast instead of half-way through a run.
 */
public final class ProbeSets {
  static final long MAX_FILE_BYTES = 1 << 20;
  static final int MAX_PROBES = 10_000;
  private static final String BUNDLED = "probes/";

  private ProbeSets() {}

  /** A probe file that cannot be used as it is; nothing was sent. */
  public static final class InvalidProbeFile extends IOException {
    InvalidProbeFile(String message) {
      super(message);
    }
  }

  /** The bundled probes of every category. */
  public static List<Probe> bundled() throws IOException {
    var out = new ArrayList<Probe>();
    for (Category c : Category.values()) {
      String name = BUNDLED + c.slug() + ".json";
      try (InputStream in = ProbeSets.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IOException("missing bundled probe set " + name);
        }
        out.addAll(parse(in.readAllBytes(), name));
      }
    }
    return List.copyOf(out);
  }

  /** Every {@code *.json} file in the directory, in name order. */
  public static List<Probe> load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new InvalidProbeFile(dir + " is not a directory of probe files (*.json)");
    }
    var out = new ArrayList<Probe>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        if (Files.size(f) > MAX_FILE_BYTES) {
          throw new InvalidProbeFile(f + " is over the 1 MiB limit for a probe file");
        }
        out.addAll(parse(Files.readAllBytes(f), f.toString()));
        if (out.size() > MAX_PROBES) {
          throw new InvalidProbeFile(dir + " holds more than " + MAX_PROBES + " probes");
        }
      }
    }
    if (out.isEmpty()) {
      throw new InvalidProbeFile(dir + " holds no probes; put one JSON file per category there (see docs/robustness.md)");
    }
    return List.copyOf(out);
  }

  static List<Probe> parse(byte[] json, String source) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JacksonException e) {
      throw new InvalidProbeFile(source + ": not JSON (" + e.getOriginalMessage() + ")");
    }
    String slug = root.path("category").asText();
    Category category = Category.bySlug(slug).orElseThrow(() -> new IOException(source + ": unknown category '"
        + slug + "'; use one of " + Stream.of(Category.values()).map(Category::slug).toList()));
    var out = new ArrayList<Probe>();
    for (JsonNode p : root.path("probes")) {
      String id = text(p, "id", source);
      String where = source + ", probe '" + id + "'";
      out.add(new Probe(id, category, text(p, "system", where), turns(p, where), detector(p.path("detector"), where)));
    }
    if (out.isEmpty()) {
      throw new InvalidProbeFile(source + ": no probes under \"probes\"");
    }
    return out;
  }

  private static Detector detector(JsonNode d, String where) throws IOException {
    String type = d.path("type").asText();
    return switch (type) {
      case "canary" -> {
        String form = d.path("form").asText();
        try {
          yield new Detector.Canary(Detector.Form.valueOf(form.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new InvalidProbeFile(where + ": canary form '" + form + "' is not upper, reversed or leak");
        }
      }
      case "planted" -> {
        var values = new ArrayList<String>();
        for (JsonNode v : d.path("values")) {
          if (!List.of("secret", "email", "phone", "card", "canary").contains(v.asText())) {
            throw new InvalidProbeFile(where + ": planted value '" + v.asText() + "' is not secret, email, phone, card "
                + "or canary");
          }
          values.add(v.asText());
        }
        if (values.isEmpty()) {
          throw new InvalidProbeFile(where + ": a planted detector names its values");
        }
        yield new Detector.Planted(values);
      }
      case "markdown-image" -> new Detector.MarkdownImage(text(d, "host", where));
      default -> throw new InvalidProbeFile(where + ": detector type '" + type
          + "' is not canary, planted or markdown-image");
    };
  }

  /** {@code "user": "..."} for one turn, or {@code "turns": ["...", ...]} for a conversation; not both. */
  private static List<String> turns(JsonNode p, String where) throws IOException {
    if (p.has("user") == p.has("turns")) {
      throw new InvalidProbeFile(where + ": give either \"user\" (one message) or \"turns\" (a conversation)");
    }
    if (p.has("user")) {
      return List.of(text(p, "user", where));
    }
    JsonNode turns = p.get("turns");
    if (!turns.isArray() || turns.isEmpty() || turns.size() > Probe.MAX_TURNS) {
      throw new InvalidProbeFile(where + ": \"turns\" is a list of 1 to " + Probe.MAX_TURNS + " user messages");
    }
    var out = new ArrayList<String>();
    for (JsonNode t : turns) {
      if (!t.isTextual() || t.asText().isBlank()) {
        throw new InvalidProbeFile(where + ": every turn is a non-empty message");
      }
      out.add(t.asText());
    }
    return out;
  }

  private static String text(JsonNode node, String field, String where) throws IOException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new InvalidProbeFile(where + ": missing \"" + field + "\"");
    }
    return v.asText();
  }
}
