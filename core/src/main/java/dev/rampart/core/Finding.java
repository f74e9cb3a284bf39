package dev.rampart.core;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One thing Rampart found. Severity, technique and phase start from the rule's defaults but a finding may differ
 * (a rule can fire at a lower severity when the context is milder).
 *
 * @param evidence what was seen, already redacted and truncated: safe to print and to store
 * @param fileSha256 lowercase hex SHA-256 of the outer file, or empty when it was not computed
 */
public record Finding(
    Rule rule,
    Severity severity,
    String title,
    String evidence,
    Location location,
    AtlasTechnique technique,
    Phase phase,
    String fileSha256) {

  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(technique, "technique");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(fileSha256, "fileSha256");
  }

  public static Finding of(Rule rule, String evidence, Location location) {
    return new Finding(rule, rule.severity(), rule.title(), evidence, location, rule.technique(), rule.phase(), "");
  }

  public Finding withSeverity(Severity newSeverity) {
    return new Finding(rule, newSeverity, title, evidence, location, technique, phase, fileSha256);
  }

  public Finding withTitle(String newTitle) {
    return new Finding(rule, severity, newTitle, evidence, location, technique, phase, fileSha256);
  }

  public Finding withTechnique(AtlasTechnique newTechnique) {
    return new Finding(rule, severity, title, evidence, location, newTechnique, phase, fileSha256);
  }

  public Finding withFileSha256(String sha256) {
    return new Finding(rule, severity, title, evidence, location, technique, phase, sha256);
  }

  /** The phase, with the rule's stage when the finding keeps the rule's phase: "Production (model export)". */
  public String lifecycle() {
    return phase == rule.phase() ? rule.lifecycle() : phase.displayName();
  }

  /** The rule's stage, when the finding keeps the rule's phase. */
  public java.util.Optional<Stage> stage() {
    return phase == rule.phase() ? rule.stage() : java.util.Optional.empty();
  }

  public boolean incompleteness() {
    return rule.incompleteness();
  }

  /**
   * A stable identity for baselines and SARIF: the rule, the file's content, the member chain and the evidence, but
   * not the outer path, so a moved file keeps its fingerprint.
   */
  public String fingerprint() {
    var md = Sha256.newDigest();
    for (String part : new String[] {rule.id(), fileSha256, String.join("!", location.members()), evidence}) {
      md.update(part.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
    }
    return HexFormat.of().formatHex(md.digest()).substring(0, 32);
  }
}
