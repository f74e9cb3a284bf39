package dev.rampart.integrity.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.rampart.integrity.Oms;
import dev.rampart.integrity.dsse.Envelope;
import dev.rampart.integrity.hash.Manifest;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.oms.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sign then verify, and every tamper case of the issue, on a model written by the test. */
class SignRoundTripTest {
  @TempDir Path tmp;
  Path model;

  @BeforeEach
  void writeModel() throws Exception {
    model = Files.createDirectories(tmp.resolve("model"));
    Files.write(model.resolve("weights.bin"), new byte[300]);
    Files.writeString(model.resolve("config.json"), "{\"hidden\": 4}");
    Files.createDirectories(model.resolve("tokenizer"));
    Files.writeString(model.resolve("tokenizer/vocab.txt"), "a\nb\nc\n");
    Files.writeString(model.resolve(".gitattributes"), "*.bin lfs");
  }

  private Path sign(SigningKey key, List<java.security.cert.X509Certificate> chain, ModelHasher.Options opts) throws Exception {
    Path sig = model.resolve("model.sig");
    Files.write(sig, ModelSigner.sign(model, key, chain, opts, sig).toJson());
    return sig;
  }

  private Verified verify(Path sig, Trust trust) throws Exception {
    return ModelVerifier.verify(model, ModelVerifier.readBundle(sig), trust, new ModelVerifier.Options(List.of(), false, sig, 2));
  }

  @ParameterizedTest
  @EnumSource(Curve.class)
  void signAndVerifyWithEveryCurve(Curve curve) throws Exception {
    var key = SigningKey.generate(curve);
    Path sig = sign(key, List.of(), ModelHasher.Options.files());
    var v = verify(sig, new Trust.Key(key.publicKey()));
    assertThat(v.resources()).isEqualTo(3);
    assertThat(v.method()).isEqualTo("key");
  }

  @Test
  void keysSurviveAPemRoundTrip() throws Exception {
    var key = SigningKey.generate(Curve.P384);
    key.write(tmp.resolve("k.pem"), tmp.resolve("k.pub"));
    var read = SigningKey.read(tmp.resolve("k.pem"));
    assertThat(read.publicKey()).isEqualTo(key.publicKey());
    assertThat(Pem.publicKey(Files.readString(tmp.resolve("k.pub")))).isEqualTo(key.publicKey());
    assertThat(Files.getPosixFilePermissions(tmp.resolve("k.pem")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    assertThatThrownBy(() -> key.write(tmp.resolve("k.pem"), tmp.resolve("k2.pub")))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }

  @Test
  void certificateChainSigningVerifiesToTheRootOnly() throws Exception {
    var root = SelfSigned.root("CN=Rampart Test Root");
    var intermediateKey = SelfSigned.ecKey();
    var intermediate = SelfSigned.issue("CN=Rampart Test Intermediate", intermediateKey.getPublic(),
        "CN=Rampart Test Root", root.key(), true);
    var signing = SigningKey.generate(Curve.P384);
    var leaf = SelfSigned.issue("CN=ml-platform release signer", signing.publicKey(), "CN=Rampart Test Intermediate",
        intermediateKey.getPrivate(), false);
    Path sig = sign(signing, List.of(leaf.cert(), intermediate.cert()), ModelHasher.Options.files());
    var v = verify(sig, new Trust.Certificates(List.of(root.cert())));
    assertThat(v.signer()).contains("ml-platform release signer");
    assertThatThrownBy(() -> verify(sig, new Trust.Certificates(List.of(SelfSigned.ca("CN=Other Root")))))
        .isInstanceOf(VerificationException.UntrustedSigner.class);
  }

  @Test
  void aFlippedByteInOneShardNamesThatShard() throws Exception {
    var key = SigningKey.generate(Curve.P256);
    Path sig = sign(key, List.of(), ModelHasher.Options.files().withMethod(Manifest.Method.SHARDS, 100));
    byte[] w = Files.readAllBytes(model.resolve("weights.bin"));
    w[150] ^= 1;
    Files.write(model.resolve("weights.bin"), w);
    assertThatThrownBy(() -> verify(sig, new Trust.Key(key.publicKey())))
        .isInstanceOfSatisfying(VerificationException.ModelMismatch.class,
            e -> assertThat(e.modified()).containsExactly("weights.bin:100:200"));
  }

  @Test
  void renamedExtraAndMissingFiles() throws Exception {
    var key = SigningKey.generate(Curve.P256);
    Path sig = sign(key, List.of(), ModelHasher.Options.files());
    Files.move(model.resolve("config.json"), model.resolve("config2.json"));
    assertThatThrownBy(() -> verify(sig, new Trust.Key(key.publicKey())))
        .isInstanceOfSatisfying(VerificationException.ModelMismatch.class, e -> {
          assertThat(e.missing()).containsExactly("config.json");
          assertThat(e.extra()).containsExactly("config2.json");
        });
    Files.move(model.resolve("config2.json"), model.resolve("config.json"));
    Files.delete(model.resolve("tokenizer/vocab.txt"));
    assertThatThrownBy(() -> verify(sig, new Trust.Key(key.publicKey())))
        .isInstanceOfSatisfying(VerificationException.ModelMismatch.class, e -> assertThat(e.missing()).containsExactly("tokenizer/vocab.txt"));
  }

  @Test
  void aReorderedOrEditedManifestBreaksTheSignature() throws Exception {
    var key = SigningKey.generate(Curve.P256);
    Path sig = sign(key, List.of(), ModelHasher.Options.files());
    var mapper = new ObjectMapper();
    JsonNode bundle = mapper.readTree(sig.toFile());
    JsonNode statement = mapper.readTree(Base64.getDecoder().decode(bundle.at("/dsseEnvelope/payload").asText()));
    var resources = (com.fasterxml.jackson.databind.node.ArrayNode) statement.at("/predicate/resources");
    var first = resources.remove(0);
    resources.add(first);
    ((com.fasterxml.jackson.databind.node.ObjectNode) bundle.get("dsseEnvelope"))
        .put("payload", Base64.getEncoder().encodeToString(mapper.writeValueAsBytes(statement)));
    Files.write(sig, mapper.writeValueAsBytes(bundle));
    assertThatThrownBy(() -> verify(sig, new Trust.Key(key.publicKey()))).isInstanceOf(VerificationException.BadSignature.class);
  }

  @Test
  void aSignatureSwappedInFromAnotherBundleFails() throws Exception {
    var key = SigningKey.generate(Curve.P256);
    Path sig = sign(key, List.of(), ModelHasher.Options.files());
    Bundle mine = ModelVerifier.readBundle(sig);
    Files.writeString(model.resolve("config.json"), "{\"hidden\": 8}");
    Bundle other = ModelSigner.sign(model, key, List.of(), ModelHasher.Options.files(), sig);
    var swapped = new Bundle(mine.material(), new Envelope(Envelope.IN_TOTO, mine.envelope().payload(), other.envelope().signatures()));
    Files.write(sig, swapped.toJson());
    assertThatThrownBy(() -> verify(sig, new Trust.Key(key.publicKey()))).isInstanceOf(VerificationException.BadSignature.class);
  }

  @Test
  void aBundleForAnotherModelFails() throws Exception {
    var key = SigningKey.generate(Curve.P256);
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve("model.onnx"), "another model");
    Path sig = tmp.resolve("other.sig");
    Files.write(sig, ModelSigner.sign(other, key, List.of(), ModelHasher.Options.files(), sig).toJson());
    assertThatThrownBy(() -> ModelVerifier.verify(model, ModelVerifier.readBundle(sig), new Trust.Key(key.publicKey()),
        new ModelVerifier.Options(List.of(), false, sig, 1)))
        .isInstanceOfSatisfying(VerificationException.ModelMismatch.class, e -> assertThat(e.missing()).containsExactly("model.onnx"));
  }

  @Test
  void theWrongKeyFails() throws Exception {
    Path sig = sign(SigningKey.generate(Curve.P256), List.of(), ModelHasher.Options.files());
    assertThatThrownBy(() -> verify(sig, new Trust.Key(SigningKey.generate(Curve.P256).publicKey())))
        .isInstanceOf(VerificationException.BadSignature.class);
  }

  @Test
  void whatRampartSignsValidatesAgainstTheOmsSchemas() throws Exception {
    var schemas = new java.util.HashMap<String, String>();
    for (String s : List.of("bundle", "envelope", "statement", "predicate")) {
      schemas.put("https://model_signing/" + s + "/v1.0/schema", Files.readString(Oms.path("spec-v1.0/schemas/" + s + ".schema.json")));
    }
    var registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b.schemas(schemas));
    var bundleSchema = registry.getSchema(SchemaLocation.of("https://model_signing/bundle/v1.0/schema"));
    var statementSchema = registry.getSchema(SchemaLocation.of("https://model_signing/statement/v1.0/schema"));
    var mapper = new ObjectMapper();
    var root = SelfSigned.root("CN=R");
    var signing = SigningKey.generate(Curve.P384);
    var leaf = SelfSigned.issue("CN=L", signing.publicKey(), "CN=R", root.key(), false);
    for (var chain : List.of(List.<java.security.cert.X509Certificate>of(), List.of(leaf.cert()))) {
      for (var opts : List.of(ModelHasher.Options.files(), ModelHasher.Options.files().withMethod(Manifest.Method.SHARDS, 64))) {
        Path sig = sign(signing, chain, opts);
        JsonNode bundle = mapper.readTree(sig.toFile());
        assertThat(bundleSchema.validate(bundle)).as("bundle schema").isEmpty();
        JsonNode statement = mapper.readTree(Base64.getDecoder().decode(bundle.at("/dsseEnvelope/payload").asText()));
        assertThat(statementSchema.validate(statement)).as("statement schema").isEmpty();
      }
    }
  }

  @Test
  void emptyModelsAndSymlinksAreRefused() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> ModelSigner.sign(empty, SigningKey.generate(Curve.P256), List.of(), ModelHasher.Options.files(),
        tmp.resolve("e.sig"))).hasMessageContaining("no files");
    Files.createSymbolicLink(model.resolve("link"), model.resolve("config.json"));
    assertThatThrownBy(() -> ModelSigner.sign(model, SigningKey.generate(Curve.P256), List.of(), ModelHasher.Options.files(),
        tmp.resolve("s.sig"))).hasMessageContaining("symbolic link");
  }

  @Test
  void signatureIsExcludedAndRecordedAsIgnored() throws Exception {
    var key = SigningKey.generate(Curve.P256);
    Path sig = sign(key, List.of(), ModelHasher.Options.files());
    var statement = ModelVerifier.readBundle(sig).statement();
    assertThat(statement.manifest().ignorePaths()).contains("model.sig", ".git", ".gitattributes");
    assertThat(statement.manifest().resources()).extracting(r -> r.name()).doesNotContain("model.sig", ".gitattributes");
    assertThat(statement.subjectName()).isEqualTo("model");
    assertThat(Optional.of(statement.subjectSha256())).contains(statement.manifest().rootDigest());
  }
}
