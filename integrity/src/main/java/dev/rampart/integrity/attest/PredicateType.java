package dev.rampart.integrity.attest;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of fact a trusted key may attest about a model or dataset version. A trust policy grants each key a set of
 * these; an attestation of any other type from that key counts for nothing.
 */
public enum PredicateType {
  SCAN_REPORT("scan", "https://rampart.dev/attestation/scan-report/v1"),
  DATASET_CHECK("dataset-check", "https://rampart.dev/attestation/dataset-check/v1"),
  ROBUSTNESS("robustness", "https://rampart.dev/attestation/robustness/v1"),
  BACKDOOR("backdoor", "https://rampart.dev/attestation/backdoor-probe/v1"),
  LLM_PROBES("llm", "https://rampart.dev/attestation/llm-probes/v1"),
  SLSA_PROVENANCE("provenance", "https://slsa.dev/provenance/v1");

  private final String shortName;
  private final String uri;

  PredicateType(String shortName, String uri) {
    this.shortName = shortName;
    this.uri = uri;
  }

  /** The name used in trust policies and gate facts, such as {@code robustness}. */
  public String shortName() {
    return shortName;
  }

  /** The in-toto {@code predicateType} URI. */
  public String uri() {
    return uri;
  }

  public static Optional<PredicateType> ofUri(String uri) {
    return Arrays.stream(values()).filter(t -> t.uri.equals(uri)).findFirst();
  }

  /** By short name or URI. */
  public static Optional<PredicateType> parse(String name) {
    return Arrays.stream(values()).filter(t -> t.shortName.equals(name) || t.uri.equals(name)).findFirst();
  }
}
