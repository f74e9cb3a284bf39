package dev.rampart.integrity;

import static dev.rampart.core.Atlas.EXPLOITATION_FOR_DEFENSE_EVASION;
import static dev.rampart.core.Atlas.MANIPULATE_AI_MODEL;
import static dev.rampart.core.Atlas.SUPPLY_CHAIN_DATA;
import static dev.rampart.core.Atlas.SUPPLY_CHAIN_MODEL;
import static dev.rampart.core.Stage.MODEL_REGISTRY;
import static dev.rampart.core.Stage.MODEL_TRAINING;
import static dev.rampart.core.Severity.CRITICAL;
import static dev.rampart.core.Severity.HIGH;

import dev.rampart.core.Rule;
import dev.rampart.integrity.sign.VerificationException;

/** Findings of signature, provenance and log verification. Mitigations: AML.M0013 Code Signing, AML.M0014, M0023, M0025. */
public final class IntegrityRules {
  private IntegrityRules() {}

  public static final Rule MODIFIED = Rule.of("SIG-MODEL-MODIFIED", CRITICAL, "Signed model file was modified",
      "The file's bytes differ from what was signed: the model was tampered with between signing and here. Do not"
          + " deploy it; fetch the signed artifact again (mitigation AML.M0014 Verify AI Artifacts).",
      SUPPLY_CHAIN_MODEL, MODEL_REGISTRY);
  public static final Rule MISSING = Rule.of("SIG-FILE-MISSING", HIGH, "Signed file is missing",
      "A file covered by the signature is absent or was renamed.", SUPPLY_CHAIN_MODEL, MODEL_REGISTRY);
  public static final Rule UNSIGNED = Rule.of("SIG-FILE-UNSIGNED", HIGH, "File not covered by the signature",
      "An extra file sits in the model folder; loaders may pick it up. Remove it, or re-sign deliberately.",
      SUPPLY_CHAIN_MODEL, MODEL_REGISTRY);
  public static final Rule INVALID = Rule.of("SIG-INVALID", CRITICAL, "Signature does not verify",
      "The signature does not verify with the trusted key, or the signed statement was altered (mitigation AML.M0013"
          + " Code Signing).",
      MANIPULATE_AI_MODEL, MODEL_REGISTRY);
  public static final Rule UNTRUSTED = Rule.of("SIG-UNTRUSTED", HIGH, "Signer is not trusted",
      "The signing certificate, identity, issuer or transparency-log evidence does not match what is trusted.",
      SUPPLY_CHAIN_MODEL, MODEL_REGISTRY);
  public static final Rule MALFORMED = Rule.of("SIG-MALFORMED", HIGH, "Signature bundle is malformed or missing",
      "The bundle is not a readable OMS v1.0 bundle, so the model is effectively unsigned.", SUPPLY_CHAIN_MODEL, MODEL_REGISTRY);
  public static final Rule CHAIN_BROKEN = Rule.of("PROV-CHAIN-BROKEN", HIGH, "Provenance chain is broken",
      "A link of model → provenance → datasets does not hold: the model was not produced from the recorded inputs, or"
          + " an input changed (mitigations AML.M0023 AI-BOM and AML.M0025 dataset provenance).",
      SUPPLY_CHAIN_DATA, MODEL_TRAINING);
  public static final Rule LOG_TAMPERED = Rule.of("LOG-TAMPERED", CRITICAL, "Transparency log history was rewritten",
      "Stored entries no longer hash to the signed checkpoint: records were altered, removed or reordered.",
      EXPLOITATION_FOR_DEFENSE_EVASION, MODEL_REGISTRY);

  /** The rule for a verification failure. */
  /** Every integrity rule, for documentation and ATLAS coverage. */
  public static java.util.List<Rule> all() {
    return java.util.List.of(MODIFIED, MISSING, UNSIGNED, INVALID, UNTRUSTED, MALFORMED, CHAIN_BROKEN, LOG_TAMPERED);
  }

  public static Rule of(VerificationException e) {
    return switch (e) {
      case VerificationException.MalformedBundle m -> MALFORMED;
      case VerificationException.BadSignature b -> INVALID;
      case VerificationException.UntrustedSigner u -> UNTRUSTED;
      case VerificationException.ModelMismatch m -> !m.modified().isEmpty() ? MODIFIED : !m.missing().isEmpty() ? MISSING : UNSIGNED;
    };
  }
}
