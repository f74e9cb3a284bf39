package dev.rampart.scan.hf;

import dev.rampart.core.Finding;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.jinja.TemplateCheck;

/**
 * Turns template issues into findings that name the template (GGUF key, JSON field or file) they come from. A
 * template Rampart could not analyse (it does not parse, or exceeds a limit) makes the artifact incomplete: the
 * renderer may still run it.
 */
public final class TemplateFindings {
  private TemplateFindings() {}

  public static void report(Target target, String where, String template) {
    var result = TemplateCheck.analyse(template);
    for (var issue : result.issues()) {
      var f = Finding.of(ScanRules.TEMPLATE_INJECTION, where + ": " + issue.detail() + " (template offset " + issue.offset() + ")",
          target.location());
      target.report(f.withSeverity(issue.severity()));
    }
    result.incomplete().ifPresent(why -> target.incomplete("chat template " + where + " not analysed: " + why));
  }
}
