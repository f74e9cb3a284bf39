package dev.rampart.scan.misconfig;

import dev.rampart.scan.engine.Target;
import dev.rampart.scan.secrets.SecretDetector;

/** Runs every misconfiguration check on one configuration file. */
public final class MisconfigCheck {
  private final SecretDetector redactor;

  public MisconfigCheck(SecretDetector redactor) {
    this.redactor = redactor;
  }

  public void check(Target target, CharSequence text) {
    var file = new ConfigFile(target.name(), text);
    var out = new Reporter(target, redactor);
    ServerChecks.check(file, out);
    KubernetesChecks.check(file, out, redactor);
    VersionFloors.check(file, out);
  }
}
