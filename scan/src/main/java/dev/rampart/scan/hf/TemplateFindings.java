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

  /** A template a loader renders (GGUF key, JSON field, template file): one not analysed leaves the scan incomplete. */
  public static void report(Target target, String where, String template) {
    report(target, where, template, true);
  }

  /**
   * Text that merely looks like a template (a README, a Modelfile with Go templates): its findings count, but text
   * that is not Jinja is no reason to call the scan incomplete, since no loader renders it as a chat template.
   */
  public static void reportIfTemplate(Target target, String where, String template) {
    report(target, where, template, false);
  }

  private static void report(Target target, String where, String template, boolean rendered) {
    var result = TemplateCheck.analyse(template);
    if (!rendered && result.incomplete().isPresent()) {
      // not Jinja after all (Go templates, Python code in a model card): its words are not template names
      return;
    }
    for (var issue : result.issues()) {
      var f = Finding.of(ScanRules.TEMPLATE_INJECTION, where + ": " + issue.detail() + " (template offset " + issue.offset() + ")",
          target.location());
      target.report(f.withSeverity(issue.severity()));
    }
    if (rendered) {
      result.incomplete().ifPresent(why -> target.incomplete("chat template " + where + " not analysed: " + why));
    }
  }
}
