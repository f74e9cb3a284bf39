package dev.rampart.integrity.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.integrity.bom.AiBom;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.Curve;
import dev.rampart.integrity.sign.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceAndBomTest {
  @TempDir Path tmp;
  Path model;
  Path data;
  SigningKey key = SigningKey.generate(Curve.P256);
  TrainingRun run;

  @BeforeEach
  void setUp() throws Exception {
    model = Files.createDirectories(tmp.resolve("model"));
    Files.write(model.resolve("model.safetensors"), new byte[64]);
    data = Files.createDirectories(tmp.resolve("iris"));
    Files.writeString(data.resolve("train.csv"), "a,b,label\n1,2,0\n");
    String dataDigest = ModelHasher.hash(data, ModelHasher.Options.files()).rootDigest();
    run = new TrainingRun("https://ci.example.com/train", Optional.of("run-42"), Optional.of(Instant.parse("2026-11-20T10:00:00Z")),
        Optional.of(Instant.parse("2026-11-20T11:00:00Z")), Map.of("lr", "0.01", "epochs", "10"),
        List.of(new TrainingRun.Input("iris", dataDigest, Optional.of("s3://datasets/iris/v3"))),
        Optional.empty(), Optional.of("https://git.example.com/ml/iris"), Optional.of("4f2a9c1b0e"),
        Optional.of("registry.example.com/train@sha256:" + "ab".repeat(32)));
  }

  private Bundle signed() throws Exception {
    String digest = ModelHasher.hash(model, ModelHasher.Options.files()).rootDigest();
    return Bundle.parse(Provenance.sign("model", digest, run, key).toJson());
  }

  @Test
  void theChainHoldsForTheRealInputs() throws Exception {
    var links = Provenance.verify(signed(), key.publicKey(), model, Map.of("iris", data), 2);
    assertThat(links).allSatisfy(l -> assertThat(l.holds()).as(l.name() + ": " + l.detail()).isTrue());
    assertThat(links).extracting(Provenance.Link::name).contains("provenance signature", "model → provenance", "provenance → dataset iris");
  }

  @Test
  void theBrokenLinkIsNamed() throws Exception {
    var bundle = signed();
    Files.writeString(data.resolve("train.csv"), "a,b,label\n1,2,1\n");
    var links = Provenance.verify(bundle, key.publicKey(), model, Map.of("iris", data), 2);
    assertThat(links).filteredOn(l -> !l.holds()).singleElement()
        .satisfies(l -> assertThat(l.name()).isEqualTo("provenance → dataset iris"));
    Files.write(model.resolve("model.safetensors"), new byte[65]);
    links = Provenance.verify(bundle, key.publicKey(), model, Map.of(), 2);
    assertThat(links).filteredOn(l -> !l.holds()).extracting(Provenance.Link::name)
        .contains("model → provenance", "provenance → dataset iris");
    links = Provenance.verify(bundle, SigningKey.generate(Curve.P256).publicKey(), model, Map.of(), 2);
    assertThat(links.get(0).holds()).isFalse();
  }

  @Test
  void provenanceIsSlsaV1WithTheOmsRootAsSubject() throws Exception {
    var st = Provenance.read(signed());
    assertThat(st.get("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
    assertThat(st.at("/subject/0/digest/sha256").asText()).isEqualTo(ModelHasher.hash(model, ModelHasher.Options.files()).rootDigest());
    assertThat(st.at("/predicate/buildDefinition/buildType").asText()).isNotBlank();
    assertThat(st.at("/predicate/runDetails/builder/id").asText()).isEqualTo("https://ci.example.com/train");
    assertThat(st.at("/predicate/buildDefinition/resolvedDependencies").findValuesAsText("name"))
        .contains("iris", "code", "container-image");
    assertThat(run.complete()).isTrue();
  }

  @Test
  void aiBomIsValidCycloneDx16WithModelCardAndData() throws Exception {
    var scan = new ObjectMapper().readTree("{\"tool\":{\"version\":\"0.1.0\"},\"summary\":{\"verdict\":\"clean\",\"counts\":{\"CRITICAL\":0,\"HIGH\":0}}}");
    String json = AiBom.json(new AiBom.Inputs("iris-classifier", "3", ModelHasher.hash(model, ModelHasher.Options.files()).rootDigest(),
        Optional.of("classification"), Optional.of(Provenance.read(signed())), Optional.of(scan)));
    assertThat(AiBom.validate(json)).isEmpty();
    var bom = new ObjectMapper().readTree(json);
    assertThat(bom.get("specVersion").asText()).isEqualTo("1.6");
    var model = bom.get("components").get(0);
    assertThat(model.get("type").asText()).isEqualTo("machine-learning-model");
    assertThat(model.at("/modelCard/modelParameters/datasets/0/ref").asText()).isEqualTo("data:iris");
    assertThat(bom.get("components").get(1).get("type").asText()).isEqualTo("data");
    assertThat(model.get("properties").toString()).contains("rampart:scan-verdict", "rampart:code-commit");
  }
}
