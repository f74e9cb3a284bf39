package dev.rampart.integrity.bom;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.component.ModelCard;
import org.cyclonedx.model.component.data.ComponentData;
import org.cyclonedx.model.component.data.DatasetChoice;
import org.cyclonedx.model.component.modelCard.ModelParameters;
import org.cyclonedx.parsers.JsonParser;

/**
 * A CycloneDX 1.6 ML-BOM for a model version: a {@code machine-learning-model} component carrying the OMS root
 * digest and a model card, {@code data} components for its datasets (from the provenance), and the scan verdict as
 * properties.
 */
public final class AiBom {
  /** What the BOM is built from. */
  public record Inputs(
      String modelName,
      String modelVersion,
      String modelSha256,
      Optional<String> task,
      Optional<JsonNode> provenance,
      Optional<JsonNode> scanReport) {}

  private AiBom() {}

  public static String json(Inputs in) {
    var bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes((in.modelName() + in.modelSha256()).getBytes()));
    var meta = new Metadata();
    meta.setTimestamp(new java.util.Date());
    var tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setName("rampart");
    var tools = new org.cyclonedx.model.metadata.ToolInformation();
    tools.setComponents(List.of(tool));
    meta.setToolChoice(tools);
    bom.setMetadata(meta);

    var model = new Component();
    model.setType(Component.Type.MACHINE_LEARNING_MODEL);
    model.setBomRef("model:" + in.modelName());
    model.setName(in.modelName());
    model.setVersion(in.modelVersion());
    model.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, in.modelSha256())));
    var props = new ArrayList<Property>();
    props.add(property("rampart:oms-root-digest", "sha256:" + in.modelSha256()));

    var card = new ModelCard();
    var params = new ModelParameters();
    in.task().ifPresent(params::setTask);
    var approach = new ModelParameters.Approach();
    approach.setType(ModelParameters.Approach.ApproachType.SUPERVISED);
    params.setApproach(approach);
    var datasets = new ArrayList<DatasetChoice>();
    var components = new ArrayList<Component>();
    components.add(model);
    in.provenance().ifPresent(p -> {
      for (JsonNode dep : p.at("/predicate/buildDefinition/resolvedDependencies")) {
        String role = dep.path("annotations").path("role").asText("");
        String name = dep.path("name").asText();
        if (role.equals("dataset")) {
          var data = new Component();
          data.setType(Component.Type.DATA);
          data.setBomRef("data:" + name);
          data.setName(name);
          data.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, dep.path("digest").path("sha256").asText())));
          var cd = new ComponentData();
          cd.setType(ComponentData.ComponentDataType.DATASET);
          cd.setName(name);
          data.setData(List.of(cd));
          components.add(data);
          var choice = new DatasetChoice();
          choice.setRef("data:" + name);
          datasets.add(choice);
        } else if (name.equals("code")) {
          var ref = new ExternalReference();
          ref.setType(ExternalReference.Type.VCS);
          ref.setUrl(dep.path("uri").asText().replaceFirst("^git\\+", ""));
          model.setExternalReferences(List.of(ref));
          props.add(property("rampart:code-commit", dep.path("digest").path("gitCommit").asText()));
        } else if (role.equals("base-model")) {
          props.add(property("rampart:base-model", name + "@sha256:" + dep.path("digest").path("sha256").asText()));
        } else if (name.equals("container-image")) {
          props.add(property("rampart:training-image", dep.path("uri").asText() + "@sha256:" + dep.path("digest").path("sha256").asText()));
        }
      }
      p.at("/predicate/buildDefinition/externalParameters/parameters").fields()
          .forEachRemaining(e -> props.add(property("rampart:parameter:" + e.getKey(), e.getValue().asText())));
      props.add(property("rampart:builder", p.at("/predicate/runDetails/builder/id").asText()));
    });
    params.setDatasets(datasets);
    card.setModelParameters(params);
    model.setModelCard(card);
    in.scanReport().ifPresent(r -> {
      props.add(property("rampart:scan-verdict", r.at("/summary/verdict").asText()));
      r.at("/summary/counts").fields().forEachRemaining(e -> props.add(property("rampart:scan-findings:" + e.getKey(), e.getValue().asText())));
      props.add(property("rampart:scan-policy", r.at("/tool/version").asText()));
    });
    model.setProperties(props);
    bom.setComponents(components);
    try {
      return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString();
    } catch (org.cyclonedx.exception.GeneratorException e) {
      throw new IllegalStateException("cannot write the CycloneDX document: " + e.getMessage(), e);
    }
  }

  /** Schema errors of a CycloneDX 1.6 JSON document; empty when valid. */
  public static List<String> validate(String json) throws IOException {
    return new JsonParser().validate(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Version.VERSION_16).stream()
        .map(Throwable::getMessage).toList();
  }

  private static Property property(String name, String value) {
    var p = new Property();
    p.setName(name);
    p.setValue(value);
    return p;
  }
}
