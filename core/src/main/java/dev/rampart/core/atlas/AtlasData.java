package dev.rampart.core.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * ATLAS tactics, techniques and mitigations: the curated 5.6.0 subset bundled with Rampart, or a full
 * {@code ATLAS.yaml} from mitre-atlas/atlas-data of any version. Keyed on ids; names are shown as the data has them.
 */
public record AtlasData(
    String version, boolean curated, List<Tactic> tactics, List<Technique> techniques, Map<String, String> mitigations) {

  public record Tactic(String id, String name) {}

  /** A technique; sub-techniques have a parent and inherit its tactics. */
  public record Technique(String id, String name, String parent, List<String> tactics, List<String> mitigations) {
    public boolean subtechnique() {
      return parent != null;
    }
  }

  private static final String BUNDLED = "atlas-5.6.0-curated.json";

  public static AtlasData bundled() throws IOException {
    try (InputStream in = AtlasData.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IOException("missing bundled ATLAS data " + BUNDLED);
      }
      JsonNode root = new ObjectMapper().readTree(in);
      var tactics = new ArrayList<Tactic>();
      root.path("tactics").forEach(t -> tactics.add(new Tactic(t.get(0).asText(), t.get(1).asText())));
      var techniques = new ArrayList<Technique>();
      for (JsonNode t : root.path("techniques")) {
        techniques.add(new Technique(t.path("id").asText(), t.path("name").asText(),
            t.hasNonNull("parent") ? t.path("parent").asText() : null, texts(t.path("tactics")), texts(t.path("mitigations"))));
      }
      var mitigations = new LinkedHashMap<String, String>();
      root.path("mitigations").forEach(m -> mitigations.put(m.get(0).asText(), m.get(1).asText()));
      return new AtlasData(root.path("version").asText(), true, List.copyOf(tactics), inherit(techniques), mitigations);
    }
  }

  /**
   * Imports {@code dist/ATLAS.yaml}. Tolerates what varies between releases: data at the top level or under the
   * first matrix, sub-techniques without tactics, and mitigation technique lists of ids or {@code {id, use}} objects.
   */
  public static AtlasData importYaml(Path file) throws IOException {
    var options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024);
    options.setMaxAliasesForCollections(1000);
    var mapper = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
    JsonNode root;
    try (InputStream in = Files.newInputStream(file)) {
      root = mapper.readTree(in);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(file + " is not an ATLAS.yaml document");
    }
    JsonNode matrix = root.path("matrices").isArray() && !root.path("matrices").isEmpty() ? root.path("matrices").get(0) : root;
    JsonNode tacticNodes = matrix.has("tactics") ? matrix.path("tactics") : root.path("tactics");
    JsonNode techniqueNodes = matrix.has("techniques") ? matrix.path("techniques") : root.path("techniques");
    JsonNode mitigationNodes = matrix.has("mitigations") ? matrix.path("mitigations") : root.path("mitigations");
    var tactics = new ArrayList<Tactic>();
    tacticNodes.forEach(t -> tactics.add(new Tactic(t.path("id").asText(), t.path("name").asText())));
    var byTechnique = new LinkedHashMap<String, List<String>>();
    var mitigations = new LinkedHashMap<String, String>();
    for (JsonNode m : mitigationNodes) {
      String id = m.path("id").asText();
      mitigations.put(id, m.path("name").asText());
      for (JsonNode t : m.path("techniques")) {
        String tid = t.isTextual() ? t.asText() : t.path("id").asText();
        byTechnique.computeIfAbsent(tid, k -> new ArrayList<>()).add(id);
      }
    }
    var techniques = new ArrayList<Technique>();
    for (JsonNode t : techniqueNodes) {
      String id = t.path("id").asText();
      techniques.add(new Technique(id, t.path("name").asText(),
          t.hasNonNull("subtechnique-of") ? t.path("subtechnique-of").asText() : null, texts(t.path("tactics")),
          List.copyOf(byTechnique.getOrDefault(id, List.of()))));
    }
    if (tactics.isEmpty() || techniques.isEmpty()) {
      throw new IOException(file + " has no tactics or techniques; pass dist/ATLAS.yaml from mitre-atlas/atlas-data");
    }
    return new AtlasData(root.path("version").asText("unknown"), false, List.copyOf(tactics), inherit(techniques), mitigations);
  }

  private static List<Technique> inherit(List<Technique> techniques) {
    var byId = new LinkedHashMap<String, Technique>();
    techniques.forEach(t -> byId.put(t.id(), t));
    var out = new ArrayList<Technique>();
    for (Technique t : techniques) {
      if (t.tactics().isEmpty() && t.parent() != null && byId.containsKey(t.parent())) {
        out.add(new Technique(t.id(), t.name(), t.parent(), byId.get(t.parent()).tactics(), t.mitigations()));
      } else {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  private static List<String> texts(JsonNode array) {
    var out = new ArrayList<String>();
    array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("id").asText()));
    return List.copyOf(out);
  }
}
