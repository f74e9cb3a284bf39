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
          dev.rampart.core.Atlas.UNSECURED_CREDENTIALS, dev.rampart.core.Stage.CODE_REPOSITORY);

  private static final List<String> SKIPPED_PATH_PARTS =
      List.of("/node_modules/", "/site-packages/", ".dist-info/", "/.git/objects/");
  private static final Set<String> LOCKFILES =
      Set.of("package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "uv.lock", "pipfile.lock",
          "cargo.lock", "go.sum", "composer.lock");
  private static final Set<String> CREDENTIAL_FILES =
      Set.of(".netrc", "_netrc", "kaggle.json", "application_default_credentials.json", ".git-credentials", ".env",
          ".pypirc", "id_rsa", "id_ed25519", "id_ecdsa");

  private static final List<String> TEMPLATE_MARKERS =
      List.of(".example", ".sample", ".template", ".tmpl", ".tpl", ".dist");

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
    boolean template = isTemplate(where.path());
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
      if (template) {
        finding = finding.withSeverity(Severity.LOW).withTitle(finding.title() + " in a template file");
      }
      target.report(finding);
    }
  }

  /**
   * Reports files that exist to hold credentials, unless their content shows a template (every value a
   * placeholder). {@code text} is the whole file, or {@code null} when it was too large to read at once.
   */
  public void checkPath(Target target, CharSequence text) {
    String path = target.location().path().replace('\\', '/').toLowerCase(Locale.ROOT);
    String name = target.name().toLowerCase(Locale.ROOT);
    boolean credentialFile =
        CREDENTIAL_FILES.contains(name)
            || path.endsWith(".aws/credentials")
            || path.endsWith(".mlflow/credentials")
            || path.endsWith(".kaggle/access_token")
            || (name.contains("service-account") || name.contains("service_account")) && name.endsWith(".json");
    if (credentialFile && CredentialFiles.holdsCredential(name, text, detector)) {
      target.report(CREDENTIAL_FILE, target.name() + " holds credentials by convention");
    }
  }

  /**
   * Files committed as templates ({@code .env.example}, {@code config.sample.yaml}, {@code secrets.template.json}):
   * a value in them is meant to be replaced, so a credential-shaped one is reported at LOW severity, not dropped,
   * since real keys do get pasted into templates.
   */
  static boolean isTemplate(String path) {
    String p = path.replace('\\', '/').toLowerCase(Locale.ROOT);
    String name = p.substring(p.lastIndexOf('/') + 1);
    for (String marker : TEMPLATE_MARKERS) {
      if (name.endsWith(marker) || name.contains(marker + ".") || name.startsWith(marker.substring(1) + ".")) {
        return true;
      }
    }
    return false;
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
