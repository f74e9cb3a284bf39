package dev.rampart.scan.secrets;

/**
 * A credential found in a fragment. The secret itself never leaves this package: callers get the
 * {@link Redaction#preview redacted preview} and {@link Redaction#digest digest}.
 *
 * @param line 1-based line within the fragment
 */
public record SecretHit(SecretRule rule, String preview, String digest, int start, int end, int line) {
  @Override
  public String toString() {
    return rule.rule().id() + " " + preview + " at line " + line;
  }
}
