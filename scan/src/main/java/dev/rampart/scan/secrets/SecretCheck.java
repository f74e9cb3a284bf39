package dev.rampart.scan.secrets;

import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Rule;
import dev.rampart.core.Severity;
import dev.rampart.scan.engine.Target;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns credentials found in a fragment into findings, redacted, and applies the path rules. */
public final class SecretCheck {
  public static final Rule CREDENTIAL_FILE =
      Rule.of("SEC-CREDENTIAL-FILE", Severity.MEDIUM, "Credential file in the tree",
          "Files such as .netrc, .aws/credentials, kaggle.json or .env exist to hold credentials. Keep them out of"
              + " repositories, images and model uploads (add them to .gitignore and .dockerignore).",
          dev.rampart.core.Atlas.UNSECURED_CREDENTIALS, dev.rampart.core.Phase.EXPERIMENT_DEVELOPMENT);

  private static final List<String> SKIPPED_PATH_PARTS =
      List.of("/node_modules/", "/site-packages/", ".dist-info/", "/.git/objects/");
  private static final Set<String> LOCKFILES =
      Set.of("package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "uv.lock", "pipfile.lock",
          "cargo.lock", "go.sum", "composer.lock");
  private static final Set<String> CREDENTIAL_FILES =
      Set.of(".netrc", "_netrc", "kaggle.json", "application_default_credentials.json", ".git-credentials", ".env",
          ".pypirc", "id_rsa", "id_ed25519", "id_ecdsa");

  private final SecretDetector detector;

  public SecretCheck(SecretDetector detector) {
    this.detector = detector;
  }

  /** Rules this check can raise: the pack's plus the path rule. */
  public List<Rule> rules() {
    var all = new java.util.ArrayList<Rule>();
    detector.rules().forEach(r -> all.add(r.rule()));
    all.add(CREDENTIAL_FILE);
    return List.copyOf(all);
  }

  public void check(Target target, Location where, CharSequence text, int firstLine) {
    if (skipped(where)) {
      return;
    }
    for (SecretHit hit : detector.detect(text)) {
      var rule = hit.rule().rule();
      String member = where.members().isEmpty() ? "" : where.members().get(where.members().size() - 1);
      String fragment = member.isEmpty() ? "" : " in " + member;
      var finding =
          Finding.of(rule, hit.preview() + " " + hit.digest() + fragment,
              firstLine == 0 ? where : where.atLine(firstLine + hit.line() - 1));
      if (member.startsWith("cells[") && member.endsWith(".outputs")) {
        finding = finding.withTitle(rule.title() + " in a notebook output");
      }
      target.report(finding);
    }
  }

  /** Reports files that exist to hold credentials, whatever their content. */
  public void checkPath(Target target) {
    String path = target.location().path().replace('\\', '/').toLowerCase(Locale.ROOT);
    String name = target.name().toLowerCase(Locale.ROOT);
    boolean credentialFile =
        CREDENTIAL_FILES.contains(name)
            || path.endsWith(".aws/credentials")
            || path.endsWith(".mlflow/credentials")
            || path.endsWith(".kaggle/access_token")
            || (name.contains("service-account") || name.contains("service_account")) && name.endsWith(".json");
    if (credentialFile) {
      target.report(CREDENTIAL_FILE, target.name() + " holds credentials by convention");
    }
  }

  private static boolean skipped(Location where) {
    String path = "/" + where.path().replace('\\', '/');
    for (String part : SKIPPED_PATH_PARTS) {
      if (path.contains(part)) {
        return true;
      }
    }
    String lower = path.toLowerCase(Locale.ROOT);
    String name = lower.substring(lower.lastIndexOf('/') + 1);
    return LOCKFILES.contains(name);
  }
}
