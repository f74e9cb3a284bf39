package dev.rampart.integrity.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.integrity.dsse.Envelope;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.Curve;
import dev.rampart.integrity.sign.SigningKey;
import dev.rampart.integrity.sign.VerificationException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttestationVerifierTest {
  static final String MODEL = "a".repeat(64);
  final SigningKey evaluator = SigningKey.generate(Curve.P256);
  final SigningKey stranger = SigningKey.generate(Curve.P256);
  final List<AttestationVerifier.TrustedKey> policy =
      List.of(new AttestationVerifier.TrustedKey("evaluator", evaluator.publicKey(), Set.of(PredicateType.ROBUSTNESS)));

  Bundle robustness(SigningKey key, String subject) throws Exception {
    return Attestation.sign("model", subject, PredicateType.ROBUSTNESS,
        new ObjectMapper().readTree("{\"robust_accuracy\": 0.8}"), key);
  }

  @Test
  void aTrustedEvaluatorsAttestationVerifiesAndSurvivesItsOwnJson() throws Exception {
    var v = AttestationVerifier.verify(Bundle.parse(robustness(evaluator, MODEL).toJson()), MODEL, policy);
    assertThat(v.type()).isEqualTo(PredicateType.ROBUSTNESS);
    assertThat(v.signer()).isEqualTo("evaluator");
    assertThat(v.predicate().get("robust_accuracy").asDouble()).isEqualTo(0.8);
    assertThat(v.envelopeSha256()).matches("[0-9a-f]{64}");
  }

  @Test
  void anUntrustedKeyIsRefused() throws Exception {
    assertThatThrownBy(() -> AttestationVerifier.verify(robustness(stranger, MODEL), MODEL, policy))
        .isInstanceOf(VerificationException.BadSignature.class);
  }

  @Test
  void garbageSignaturesAreRefused() throws Exception {
    var good = robustness(evaluator, MODEL);
    var forged = new Bundle(good.material(), new Envelope(Envelope.IN_TOTO, good.envelope().payload(),
        List.of(new Envelope.Sig(new byte[] {1, 2, 3}, Optional.empty()))));
    assertThatThrownBy(() -> AttestationVerifier.verify(forged, MODEL, policy))
        .isInstanceOf(VerificationException.BadSignature.class);
  }

  @Test
  void aTrustedKeyOutsideItsAuthorityIsRefused() throws Exception {
    var provenance = Attestation.sign("model", MODEL, PredicateType.SLSA_PROVENANCE, null, evaluator);
    assertThatThrownBy(() -> AttestationVerifier.verify(provenance, MODEL, policy))
        .isInstanceOf(VerificationException.UntrustedSigner.class).hasMessageContaining("provenance");
  }

  @Test
  void anAttestationAboutOtherBytesIsRefused() throws Exception {
    assertThatThrownBy(() -> AttestationVerifier.verify(robustness(evaluator, "b".repeat(64)), MODEL, policy))
        .isInstanceOf(VerificationException.ModelMismatch.class);
  }

  @Test
  void aRevokedKeyLeftOutOfThePolicyVerifiesNothing() throws Exception {
    assertThatThrownBy(() -> AttestationVerifier.verify(robustness(evaluator, MODEL), MODEL, List.of()))
        .isInstanceOf(VerificationException.BadSignature.class).hasMessageContaining("trusts no key");
  }

  @Test
  void aPayloadChangedAfterSigningIsRefused() throws Exception {
    var good = robustness(evaluator, MODEL);
    byte[] changed = new String(good.envelope().payload()).replace("0.8", "0.9").getBytes();
    var tampered = new Bundle(good.material(), new Envelope(Envelope.IN_TOTO, changed, good.envelope().signatures()));
    assertThatThrownBy(() -> AttestationVerifier.verify(tampered, MODEL, policy))
        .isInstanceOf(VerificationException.BadSignature.class);
  }

  @Test
  void statementsWithTwoSubjectsOrAnUnknownTypeAreMalformed() throws Exception {
    byte[] two = ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"" + MODEL
        + "\"}},{\"digest\":{\"sha256\":\"" + MODEL + "\"}}],\"predicateType\":\"" + PredicateType.ROBUSTNESS.uri()
        + "\",\"predicate\":{}}").getBytes();
    assertThatThrownBy(() -> AttestationVerifier.verify(Attestation.sign(two, evaluator), MODEL, policy))
        .isInstanceOf(VerificationException.MalformedBundle.class);
    byte[] unknown = ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"" + MODEL
        + "\"}}],\"predicateType\":\"https://example.com/x\",\"predicate\":{}}").getBytes();
    assertThatThrownBy(() -> AttestationVerifier.verify(Attestation.sign(unknown, evaluator), MODEL, policy))
        .isInstanceOf(VerificationException.MalformedBundle.class);
  }
}
