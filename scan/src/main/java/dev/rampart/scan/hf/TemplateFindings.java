package dev.rampart.scan.hf;

import dev.rampart.core.Finding;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.jinja.TemplateCheck;

/** Turns template issues into findings that name the template (GGUF key or JSON field) they come from. */
public final class TemplateFindings {
  private TemplateFindings() {}

  public static void report(Target target, String where, String template) {
    for (var issue : TemplateCheck.check(template)) {
      var f = Finding.of(ScanRules.TEMPLATE_INJECTION, where + ": " + issue.detail() + " (template offset " + issue.offset() + ")",
          target.location());
      target.report(f.withSeverity(issue.severity()));
    }
  }
}
