package dev.rampart.cli.atlas;

import dev.rampart.core.atlas.AtlasData;
import java.util.List;

/** A self-contained HTML page of the ATLAS matrix coloured by Rampart's coverage; no scripts, no external assets. */
public final class MatrixHtml {
  private MatrixHtml() {}

  public static String render(AtlasData data, List<Coverage.Row> rows, String rampartVersion) {
    var sb = new StringBuilder();
    long detected = rows.stream().filter(r -> r.level() == Coverage.Level.DETECTED).count();
    long mitigated = rows.stream().filter(r -> r.level() == Coverage.Level.MITIGATED).count();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
        .append("<title>Rampart ATLAS coverage</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1f2933}\n")
        .append(".matrix{display:grid;grid-template-columns:repeat(").append(data.tactics().size())
        .append(",minmax(9rem,1fr));gap:.4rem;overflow-x:auto}\n")
        .append(".tactic h2{font-size:.85rem;margin:0 0 .3rem;padding:.4rem;background:#243b53;color:#fff;border-radius:4px}\n")
        .append(".t{font-size:.75rem;padding:.35rem;margin-bottom:.3rem;border-radius:4px;border:1px solid #bcccdc}\n")
        .append(".sub{margin-left:.6rem}\n.DETECTED{background:#c6f7d0}.MITIGATED{background:#fff3c4}.GAP{background:#f5f7fa;color:#627d98}\n")
        .append(".id{font-family:monospace;font-size:.7rem;display:block}\n.rules{font-family:monospace;font-size:.65rem;color:#334e68}\n")
        .append(".legend span{display:inline-block;padding:.2rem .5rem;margin-right:.5rem;border-radius:4px}\n</style></head><body>\n");
    sb.append("<h1>Rampart coverage of MITRE ATLAS</h1>\n<p>ATLAS data version ").append(esc(data.version()))
        .append(data.curated() ? " (curated subset bundled with Rampart; import the full matrix with <code>rampart atlas --data ATLAS.yaml</code>)" : "")
        .append(", Rampart ").append(esc(rampartVersion)).append(". ").append(detected).append(" techniques detected, ")
        .append(mitigated).append(" mitigated, ").append(rows.size() - detected - mitigated).append(" gaps.</p>\n")
        .append("<p class=\"legend\"><span class=\"DETECTED\">detected by a rule</span><span class=\"MITIGATED\">mitigated by a Rampart control</span>")
        .append("<span class=\"GAP\">gap</span></p>\n<div class=\"matrix\">\n");
    for (var tactic : data.tactics()) {
      sb.append("<section class=\"tactic\"><h2>").append(esc(tactic.name())).append("<span class=\"id\">").append(esc(tactic.id()))
          .append("</span></h2>\n");
      for (var row : rows) {
        var t = row.technique();
        if (!t.tactics().contains(tactic.id())) {
          continue;
        }
        sb.append("<div class=\"t ").append(row.level().name()).append(t.subtechnique() ? " sub" : "").append("\" title=\"")
            .append(esc(String.join(", ", row.controls().stream().map(c -> c + " " + Coverage.CONTROLS.get(c)).toList())))
            .append("\"><span class=\"id\">").append(esc(t.id())).append("</span>").append(esc(t.name()));
        if (!row.rules().isEmpty()) {
          sb.append("<div class=\"rules\">").append(esc(String.join(" ", row.rules()))).append("</div>");
        }
        sb.append("</div>\n");
      }
      sb.append("</section>\n");
    }
    sb.append("</div>\n<footer><p>MITRE ATLAS&trade; data: Copyright 2021-2025 MITRE, Apache License 2.0.</p></footer>\n</body></html>\n");
    return sb.toString();
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }
}
