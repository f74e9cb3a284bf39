package dev.rampart.integrity.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.integrity.Oms;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.ModelVerifier;
import dev.rampart.integrity.sign.Trust;
import dev.rampart.integrity.sign.VerificationException;
import dev.rampart.integrity.sign.Verified;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Fulcio certificates of the reference bundles carry SCTs from Sigstore's CT log; they verify with the trusted
 * root's CT keys and fail when those keys are not the ones that signed.
 */
class CertificateTransparencyTest {
  static final String IDENTITY = "stefanb@us.ibm.com";
  static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"v0.3.1-sigstore", "v1.0.0-sigstore", "v1.0.1-sigstore", "v1.1.0-sigstore"})
  void everyReferenceCertificateHasAnSctFromATrustedLog(String fixture) throws Exception {
    var root = TrustedRoot.read(Oms.path("trust/trusted_root.json"));
    assertThat(root.ctlogs()).isNotEmpty();
    var bundle = ModelVerifier.readBundle(Oms.path("signed-models/" + fixture + "/model.sig"));
    var leaf = ((Bundle.Sigstore) bundle.material()).leaf();
    var scts = CertificateTransparency.parse(ASN1OctetString.getInstance(
        ASN1OctetString.getInstance(leaf.getExtensionValue(CertificateTransparency.SCT_LIST)).getOctets())
        .getOctets());
    assertThat(scts).isNotEmpty().allSatisfy(s -> assertThat(s.version()).isZero());
    assertThat(scts).anySatisfy(s -> assertThat(root.ctlogs()).anySatisfy(
        l -> assertThat(l.logId()).isEqualTo(s.logId())));
  }

  @Test
  void aCtLogKeyThatDidNotSignIsRefused() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    String impostor = Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
    Path root = editedRoot(r -> ((ArrayNode) r.get("ctlogs")).forEach(
        log -> ((ObjectNode) log.get("publicKey")).put("rawBytes", impostor)));
    assertThatThrownBy(() -> verify(root))
        .isInstanceOf(VerificationException.UntrustedSigner.class)
        .hasMessageContaining("certificate-transparency timestamp")
        .hasMessageContaining("does not verify with its log's key");
  }

  @Test
  void aTimestampFromALogOutsideTheTrustedRootIsRefused() throws Exception {
    Path root = editedRoot(r -> ((ArrayNode) r.get("ctlogs")).forEach(
        log -> ((ObjectNode) log.get("logId")).put("keyId", Base64.getEncoder().encodeToString(new byte[32]))));
    assertThatThrownBy(() -> verify(root))
        .isInstanceOf(VerificationException.UntrustedSigner.class).hasMessageContaining("unknown log");
  }

  @Test
  void aTrustedRootWithoutCtLogsRequiresNone() throws Exception {
    Path root = editedRoot(r -> r.putArray("ctlogs"));
    assertThat(verify(root).method()).isEqualTo("sigstore");
  }

  @Test
  void malformedSctListsAreErrorsNotCrashes() {
    for (byte[] bad : List.of(new byte[] {0, 5, 0, 3, 0}, new byte[] {0, 2, 0, 40}, new byte[] {0}, new byte[0])) {
      assertThatThrownBy(() -> CertificateTransparency.parse(bad)).isInstanceOfAny(java.io.IOException.class,
          java.nio.BufferUnderflowException.class);
    }
  }

  private Verified verify(Path trustedRoot) throws Exception {
    Path dir = Oms.path("signed-models/v1.1.0-sigstore");
    return ModelVerifier.verify(dir, ModelVerifier.readBundle(dir.resolve("model.sig")),
        new Trust.Sigstore(TrustedRoot.read(trustedRoot), IDENTITY, ISSUER),
        new ModelVerifier.Options(List.of(), false, dir.resolve("model.sig"), 2));
  }

  private Path editedRoot(Consumer<ObjectNode> edit) throws Exception {
    var mapper = new ObjectMapper();
    var root = (ObjectNode) mapper.readTree(Files.readString(Oms.path("trust/trusted_root.json")));
    edit.accept(root);
    Path file = tmp.resolve("trusted_root.json");
    Files.writeString(file, mapper.writeValueAsString(root));
    return file;
  }
}
