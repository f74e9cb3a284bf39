package dev.rampart.integrity.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.integrity.Oms;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.ModelVerifier;
import dev.rampart.integrity.sign.Trust;
import dev.rampart.integrity.sign.VerificationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RFC 3161 timestamp of the v1.1.0 reference bundle, from Sigstore's timestamp authority. */
class SignedTimestampsTest {
  static final String IDENTITY = "stefanb@us.ibm.com";
  static final String ISSUER = "https://sigstore.verify.ibm.com/oauth2";
  @TempDir Path tmp;

  @Test
  void theReferenceTimestampVerifiesAndLiesInTheCertificatesValidity() throws Exception {
    var root = TrustedRoot.read(Oms.path("trust/trusted_root.json"));
    var bundle = ModelVerifier.readBundle(Oms.path("signed-models/v1.1.0-sigstore/model.sig"));
    var material = (Bundle.Sigstore) bundle.material();
    var times = SignedTimestamps.verify(material.timestampData(), bundle.envelope().signatures().get(0).sig(),
        material.leaf(), root);
    assertThat(times).singleElement().satisfies(t -> {
      assertThat(t).isAfter(material.leaf().getNotBefore().toInstant());
      assertThat(t).isBefore(material.leaf().getNotAfter().toInstant());
    });
  }

  @Test
  void aTimestampOfAnotherSignatureIsRefused() throws Exception {
    var root = TrustedRoot.read(Oms.path("trust/trusted_root.json"));
    var bundle = ModelVerifier.readBundle(Oms.path("signed-models/v1.1.0-sigstore/model.sig"));
    var material = (Bundle.Sigstore) bundle.material();
    assertThatThrownBy(() -> SignedTimestamps.verify(material.timestampData(), new byte[] {1, 2, 3}, material.leaf(),
        root)).isInstanceOf(VerificationException.UntrustedSigner.class).hasMessageContaining("another signature");
  }

  @Test
  void aTimestampWithoutATrustedAuthorityOrWithAnAlteredByteIsRefused() throws Exception {
    Path dir = Oms.copy("signed-models/v1.1.0-sigstore", tmp.resolve("m"));
    var mapper = new ObjectMapper();
    var root = (ObjectNode) mapper.readTree(Files.readString(Oms.path("trust/trusted_root.json")));
    root.putArray("timestampAuthorities");
    Path noTsa = tmp.resolve("no-tsa.json");
    Files.writeString(noTsa, mapper.writeValueAsString(root));
    assertThatThrownBy(() -> verify(dir, noTsa)).isInstanceOf(VerificationException.UntrustedSigner.class)
        .hasMessageContaining("names no timestamp authority");

    var json = (ObjectNode) mapper.readTree(Files.readString(dir.resolve("model.sig")));
    var stamp = (ObjectNode) json.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps/0");
    byte[] der = Base64.getDecoder().decode(stamp.get("signedTimestamp").asText());
    der[der.length - 10] ^= 1; // inside the authority's signature
    stamp.put("signedTimestamp", Base64.getEncoder().encodeToString(der));
    Files.writeString(dir.resolve("model.sig"), mapper.writeValueAsString(json));
    assertThatThrownBy(() -> verify(dir, Oms.path("trust/trusted_root.json")))
        .isInstanceOf(VerificationException.UntrustedSigner.class).hasMessageContaining("timestamp");
  }

  private static void verify(Path dir, Path trustedRoot) throws Exception {
    ModelVerifier.verify(dir, ModelVerifier.readBundle(dir.resolve("model.sig")),
        new Trust.Sigstore(TrustedRoot.read(trustedRoot), IDENTITY, ISSUER),
        new ModelVerifier.Options(List.of(), false, dir.resolve("model.sig"), 2));
  }
}
