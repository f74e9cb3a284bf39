package dev.rampart.scan;

import dev.rampart.core.Location;
import dev.rampart.scan.engine.ContentChecks;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.misconfig.MisconfigCheck;
import dev.rampart.scan.secrets.SecretCheck;
import dev.rampart.scan.secrets.SecretDetector;
import java.util.Set;

/** The secret and configuration checks a scan was asked for. */
final class ContentCheckSet implements ContentChecks {
  private final boolean secrets;
  private final boolean configuration;
  private final boolean models;
  private final SecretCheck secretCheck = new SecretCheck(SecretDetector.defaults());
  private final MisconfigCheck misconfigCheck = new MisconfigCheck(SecretDetector.defaults());

  ContentCheckSet(Set<Check> checks) {
    this.secrets = checks.contains(Check.SECRETS);
    this.configuration = checks.contains(Check.MISCONFIG);
    this.models = checks.contains(Check.MODELS);
  }

  @Override
  public boolean onlyTextChecks() {
    return !models && (secrets || configuration);
  }

  @Override
  public void secrets(Target target, Location where, CharSequence text, int firstLine) {
    if (secrets) {
      // the first fragment of a whole file (not a notebook cell or pickle string) is where its name is judged
      if (firstLine == 1 && where.equals(target.location())) {
        secretCheck.checkPath(target, text);
      }
      secretCheck.check(target, where, text, firstLine);
    }
  }

  @Override
  public void configuration(Target target, CharSequence text) {
    if (configuration) {
      misconfigCheck.check(target, text);
    }
  }

  @Override
  public boolean secretsEnabled() {
    return secrets;
  }

  @Override
  public boolean configurationEnabled() {
    return configuration;
  }
}
