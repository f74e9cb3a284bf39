package dev.rampart.scan.misconfig;

import dev.rampart.core.Finding;
import dev.rampart.core.Rule;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.secrets.SecretDetector;
import java.util.HashSet;
import java.util.Set;

/** Where checks send findings: evidence is redacted and each rule fires once per line. */
final class Reporter {
  private static final int MAX_EVIDENCE = 160;
  private static final com.google.re2j.Pattern USERINFO_PASSWORD =
      com.google.re2j.Pattern.compile("(://[^\\s:/@\"']*:)[^\\s@/\"']+@");

  private final Target target;
  private final SecretDetector redactor;
  private final Set<String> seen = new HashSet<>();

  Reporter(Target target, SecretDetector redactor) {
    this.target = target;
    this.redactor = redactor;
  }

  void add(Rule rule, String evidence, int line) {
    if (!seen.add(rule.id() + "@" + line)) {
      return;
    }
    String collapsed = evidence.strip().replaceAll("\\s+", " ");
    String safe = redactor.redact(USERINFO_PASSWORD.matcher(collapsed).replaceAll("$1****@"));
    if (safe.length() > MAX_EVIDENCE) {
      safe = safe.substring(0, MAX_EVIDENCE) + "…";
    }
    var location = line > 0 ? target.location().atLine(line) : target.location();
    target.report(Finding.of(rule, safe, location));
  }
}
