package dev.rampart.scan.hf;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;
import java.util.regex.Pattern;

/** Free-text metadata should describe, not instruct: flag code, shell commands and URLs hidden in it. */
public final class MetadataCheck {
  private static final Pattern CODE =
      Pattern.compile("(?i)(\\b(import\\s+(os|subprocess|sys|socket)|__import__|eval\\(|exec\\(|os\\.system|subprocess\\.|"
          + "curl\\s+|wget\\s+|bash\\s+-c|/bin/sh|powershell)|\\{\\{.*__|<script)");
  private static final Pattern URL = Pattern.compile("(?i)\\b(https?|ftp|file)://[^\\s\"']+");

  private MetadataCheck() {}

  public static void check(Target target, String key, String value) {
    if (target.contentChecks().secretsEnabled()) {
      // model cards and training metadata embedded in weights files carry tokens as often as config files do
      target.contentChecks().secrets(target, target.location().member(key), value, 1);
    }
    if (value.contains("{%") || value.contains("{{")) {
      TemplateFindings.report(target, key, value);
    }
    var code = CODE.matcher(value);
    if (code.find()) {
      target.report(ScanRules.METADATA_CODE, key + " contains code: '" + preview(code.group()) + "'");
      return;
    }
    var url = URL.matcher(value);
    if (url.find() && !key.toLowerCase(java.util.Locale.ROOT).matches(".*(url|license|source|repo|homepage|link).*")) {
      target.report(ScanRules.METADATA_CODE, key + " contains a URL: " + preview(url.group()));
    }
  }

  static String preview(String s) {
    String one = s.replaceAll("\\s+", " ");
    return one.length() > 100 ? one.substring(0, 100) + "..." : one;
  }
}
