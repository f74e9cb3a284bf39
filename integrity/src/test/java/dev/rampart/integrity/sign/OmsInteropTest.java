package dev.rampart.integrity.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.integrity.Oms;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sigstore.TrustedRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public OMS fixtures signed by the reference implementation, v0.2.0 to v1.1.0, verified offline. */
class OmsInteropTest {
  static final String IDENTITY = "stefanb@us.ibm.com";
  static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";
  @TempDir Path tmp;

  static Trust key() throws Exception {
    return new Trust.Key(Pem.publicKey(Files.readString(Oms.path("keys/signing-key-pub.pem"))));
  }

  static Trust ca() throws Exception {
    return new Trust.Certificates(Pem.certificates(Files.readString(Oms.path("keys/ca-cert.pem"))));
  }

  static Trust sigstore() throws Exception {
    return new Trust.Sigstore(TrustedRoot.read(Oms.path("trust/trusted_root.json")), IDENTITY, ISSUER);
  }

  static Trust trustFor(String fixture) throws Exception {
    return fixture.endsWith("certificate") ? ca() : fixture.endsWith("sigstore") ? sigstore() : key();
  }

  static Verified verify(Path model, Path sig, Trust trust, List<String> ignores) throws Exception {
    return ModelVerifier.verify(model, ModelVerifier.readBundle(sig), trust,
        new ModelVerifier.Options(ignores, false, sig, 2));
  }

  static Path modelOf(String fixture, Path dir) {
    return fixture.endsWith("elliptic-key") && (fixture.startsWith("v0.3.1") || fixture.startsWith("v1.0.0"))
        ? dir.resolve("signme-1") : dir;
  }

  static List<String> ignoresFor(String fixture) {
    return fixture.startsWith("v1.0.1") ? List.of("ignore-me") : List.of();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v0.2.0-certificate", "v0.3.1-certificate", "v0.3.1-elliptic-key", "v0.3.1-sigstore",
      "v1.0.0-certificate", "v1.0.0-elliptic-key", "v1.0.0-sigstore", "v1.0.1-certificate", "v1.0.1-elliptic-key",
      "v1.0.1-sigstore", "v1.1.0-certificate", "v1.1.0-elliptic-key", "v1.1.0-sigstore"})
  void everyReferenceFixtureVerifies(String fixture) throws Exception {
    Path dir = Oms.path("signed-models/" + fixture);
    var v = verify(modelOf(fixture, dir), dir.resolve("model.sig"), trustFor(fixture), ignoresFor(fixture));
    assertThat(v.method()).isEqualTo(fixture.endsWith("certificate") ? "certificate" : fixture.endsWith("sigstore") ? "sigstore" : "key");
    assertThat(v.resources()).isPositive();
    if (fixture.endsWith("sigstore")) {
      assertThat(v.signer()).contains(IDENTITY);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.0.1-certificate", "v1.0.1-elliptic-key", "v1.0.1-sigstore"})
  void olderBundlesNeedTheCallerToIgnoreWhatWasIgnored(String fixture) throws Exception {
    Path dir = Oms.path("signed-models/" + fixture);
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), trustFor(fixture), List.of()))
        .isInstanceOf(VerificationException.ModelMismatch.class).hasMessageContaining("ignore-me");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0-certificate", "v1.1.0-elliptic-key", "v1.1.0-sigstore", "v0.3.1-elliptic-key"})
  void aChangedByteIsAModifiedFile(String fixture) throws Exception {
    Path dir = Oms.copy("signed-models/" + fixture, tmp.resolve("m"));
    Files.writeString(dir.resolve("signme-1"), "tampered", java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> verify(modelOf(fixture, dir), dir.resolve("model.sig"), trustFor(fixture), List.of()))
        .isInstanceOfSatisfying(VerificationException.ModelMismatch.class,
            e -> assertThat(e.modified()).containsExactly(fixture.startsWith("v0.3.1") ? "." : "signme-1"));
  }

  @Test
  void anExtraFileFailsUnlessUnsignedFilesAreIgnored() throws Exception {
    Path dir = Oms.copy("signed-models/v1.1.0-elliptic-key", tmp.resolve("m"));
    Files.writeString(dir.resolve("payload.py"), "import os");
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), key(), List.of()))
        .isInstanceOfSatisfying(VerificationException.ModelMismatch.class, e -> assertThat(e.extra()).containsExactly("payload.py"));
    var v = ModelVerifier.verify(dir, ModelVerifier.readBundle(dir.resolve("model.sig")), key(),
        new ModelVerifier.Options(List.of(), true, dir.resolve("model.sig"), 1));
    assertThat(v.resources()).isEqualTo(2);
  }

  @Test
  void aMissingOrRenamedFileFails() throws Exception {
    Path dir = Oms.copy("signed-models/v1.1.0-certificate", tmp.resolve("m"));
    Files.move(dir.resolve("signme-2"), dir.resolve("signme-3"));
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), ca(), List.of()))
        .isInstanceOfSatisfying(VerificationException.ModelMismatch.class, e -> {
          assertThat(e.missing()).containsExactly("signme-2");
          assertThat(e.extra()).containsExactly("signme-3");
        });
  }

  @Test
  void verifyingTheFolderOfASingleFileSignatureFails() throws Exception {
    Path dir = Oms.path("signed-models/v1.0.0-elliptic-key");
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), key(), List.of()))
        .isInstanceOf(VerificationException.ModelMismatch.class).hasMessageContaining("single file");
  }

  @Test
  void aFlippedSignatureBitFails() throws Exception {
    Path dir = Oms.copy("signed-models/v1.1.0-elliptic-key", tmp.resolve("m"));
    String json = Files.readString(dir.resolve("model.sig"));
    Files.writeString(dir.resolve("model.sig"), json.replace("\"sig\":\"MGUCMQCV", "\"sig\":\"MGUCMQCW"));
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), key(), List.of()))
        .isInstanceOf(VerificationException.BadSignature.class);
  }

  @Test
  void wrongKeyIsDetectedByTheHintBeforeAnySignatureCheck() throws Exception {
    Path dir = Oms.path("signed-models/v1.1.0-elliptic-key");
    var other = new Trust.Key(SigningKey.generate(Curve.P384).publicKey());
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), other, List.of()))
        .isInstanceOf(VerificationException.BadSignature.class).hasMessageContaining("another key");
    Path old = Oms.path("signed-models/v1.0.1-elliptic-key");
    assertThatThrownBy(() -> verify(old, old.resolve("model.sig"), other, List.of("ignore-me")))
        .isInstanceOf(VerificationException.BadSignature.class);
  }

  @Test
  void aForeignTrustAnchorFails() throws Exception {
    Path dir = Oms.path("signed-models/v1.1.0-certificate");
    var foreign = new Trust.Certificates(Pem.certificates(Files.readString(Oms.path("keys/int-ca-cert.pem")))
        .stream().map(c -> SelfSigned.ca("CN=other-root")).toList());
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), foreign, List.of()))
        .isInstanceOf(VerificationException.UntrustedSigner.class);
  }

  @Test
  void aWrongSigstoreIdentityOrIssuerFails() throws Exception {
    Path dir = Oms.path("signed-models/v1.1.0-sigstore");
    var root = TrustedRoot.read(Oms.path("trust/trusted_root.json"));
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), new Trust.Sigstore(root, "mallory@example.com", ISSUER), List.of()))
        .isInstanceOf(VerificationException.UntrustedSigner.class).hasMessageContaining("identity");
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), new Trust.Sigstore(root, IDENTITY, "https://accounts.example.com"), List.of()))
        .isInstanceOf(VerificationException.UntrustedSigner.class).hasMessageContaining("issuer");
  }

  @Test
  void alteredLogEvidenceFails() throws Exception {
    Path dir = Oms.copy("signed-models/v1.1.0-sigstore", tmp.resolve("m"));
    String json = Files.readString(dir.resolve("model.sig"));
    Files.writeString(dir.resolve("model.sig"), json.replace("\"integratedTime\":\"1760062340\"", "\"integratedTime\":\"1760062341\""));
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), sigstore(), List.of()))
        .isInstanceOf(VerificationException.UntrustedSigner.class).hasMessageContaining("signed entry timestamp");
    Files.writeString(dir.resolve("model.sig"), json.replace("P439a1wjUaISQbG2jSIGT1cYyPX/NrcxVNhfdV7vC58=",
        "Q439a1wjUaISQbG2jSIGT1cYyPX/NrcxVNhfdV7vC58="));
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), sigstore(), List.of()))
        .isInstanceOf(VerificationException.UntrustedSigner.class).hasMessageContaining("inclusion proof");
  }

  @Test
  void aBundleVerifiedWithMaterialOfAnotherMethodFails() throws Exception {
    Path dir = Oms.path("signed-models/v1.1.0-certificate");
    assertThatThrownBy(() -> verify(dir, dir.resolve("model.sig"), key(), List.of()))
        .isInstanceOf(VerificationException.UntrustedSigner.class).hasMessageContaining("--cert-chain");
    Path keyless = Oms.path("signed-models/v1.1.0-sigstore");
    assertThatThrownBy(() -> verify(keyless, keyless.resolve("model.sig"), key(), List.of()))
        .isInstanceOf(VerificationException.UntrustedSigner.class).hasMessageContaining("Sigstore");
  }

  @Test
  void specVectorsValidVerifyAndInvalidAreRejected() throws Exception {
    Path model = Oms.path("spec-v1.0/test-vectors/model");
    Path vectors = Oms.path("spec-v1.0/test-vectors");
    verify(model, vectors.resolve("valid/key.bundle.json"), key(), List.of());
    verify(model, vectors.resolve("valid/certificate.bundle.json"), ca(), List.of());
    Path keyless = Oms.path("signed-models/v1.1.0-sigstore");
    verify(keyless, vectors.resolve("valid/sigstore.bundle.json"), sigstore(), List.of("model.sig"));
    for (String invalid : List.of("empty", "missing-envelope", "missing-tlog-entries", "missing-verification-material")) {
      assertThatThrownBy(() -> verify(model, vectors.resolve("invalid/" + invalid + ".bundle.json"), key(), List.of()))
          .as(invalid).isInstanceOf(VerificationException.MalformedBundle.class);
    }
    assertThatThrownBy(() -> verify(model, vectors.resolve("invalid-payload/wrong-predicate.bundle.json"), key(), List.of()))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void keyHintIsTheSha256OfThePemText() throws Exception {
    assertThat(Pem.hint(((Trust.Key) key()).publicKey()))
        .isEqualTo("e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
    Bundle b = ModelVerifier.readBundle(Oms.path("signed-models/v1.1.0-elliptic-key/model.sig"));
    assertThat(((Bundle.PublicKeyMaterial) b.material()).hint()).contains("e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
  }
}
