package dev.rampart.data.report;

import dev.rampart.data.monitor.Alert;
import dev.rampart.data.monitor.WatchResult;
import dev.rampart.data.monitor.WindowSummary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML page for a watch: the alerts, a plot of each alerting feature's drift statistic per window,
 * and estimated and realised accuracy over the stream. Inline SVG, no scripts, no external resources; every string
 * from the stream is escaped.
 */
public final class WatchPage {
  static final int WIDTH = 760;
  static final int HEIGHT = 170;
  static final int PAD = 36;
  static final int MAX_FEATURE_PLOTS = 12;

  private WatchPage() {}

  public static String html(WatchResult result, String stream) {
    var sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .append("<title>Rampart monitor: ").append(esc(stream)).append("</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.HIGH{color:#b00}.MEDIUM{color:#a60}")
        .append("svg{background:#fafafa;border:1px solid #ddd;margin:4px 0 16px}</style></head><body>");
    var in = result.input();
    sb.append("<h1>Monitor report</h1><p>Stream <code>").append(esc(stream)).append("</code>: ")
        .append(in.events()).append(" events, ").append(result.windows().size() + result.droppedWindows())
        .append(" windows; profile <code>").append(esc(result.profileDigest())).append("</code>.</p>");
    sb.append("<p>Input: ").append(in.malformed()).append(" malformed lines, ").append(in.nonFinite())
        .append(" NaN or infinite values, ").append(in.outOfOrder()).append(" out-of-order timestamps, ")
        .append(in.labels()).append(" labels (").append(in.unmatchedLabels()).append(" unmatched).</p>");
    sb.append("<h2>Alerts</h2>");
    if (result.alerts().isEmpty()) {
      sb.append("<p>No alerts.</p>");
    } else {
      sb.append("<table><tr><th>Event</th><th>Time</th><th>Kind</th><th>Severity</th><th>Features</th>")
          .append("<th>ATLAS</th><th>Detail</th></tr>");
      for (Alert a : result.alerts()) {
        sb.append("<tr><td>").append(a.event()).append("</td><td>").append(esc(a.ts())).append("</td><td>")
            .append(a.kind().id()).append("</td><td class=\"").append(a.kind().severity()).append("\">")
            .append(a.kind().severity()).append("</td><td>").append(esc(String.join(", ", a.features())))
            .append("</td><td>").append(a.kind().technique().id()).append("</td><td>").append(esc(a.detail()))
            .append("</td></tr>");
      }
      sb.append("</table>");
    }
    var features = new LinkedHashSet<String>();
    result.alerts().forEach(a -> features.addAll(a.features()));
    if (!features.isEmpty()) {
      sb.append("<h2>Drifting features</h2><p>The deciding statistic per window (KS D or distance); red lines mark ")
          .append("alerts.</p>");
      features.stream().limit(MAX_FEATURE_PLOTS).forEach(f -> {
        sb.append("<h3>").append(esc(f)).append("</h3>");
        sb.append(plot(result, w -> w.effects().getOrDefault(f, Double.NaN), List.of(), 0.1));
      });
    }
    if (result.windows().stream().anyMatch(w -> !Double.isNaN(w.reconstructionError()))) {
      sb.append("<h2>Joint structure</h2><p>Mean PCA reconstruction error per window: it rises when features stop ")
          .append("moving together as they did in the reference, even if each looks normal alone.</p>");
      sb.append(plot(result, WindowSummary::reconstructionError, List.of(), Double.NaN));
    }
    if (result.windows().stream().anyMatch(w -> !Double.isNaN(w.estimatedAccuracy())) || !result.realised().isEmpty()) {
      sb.append("<h2>Accuracy over time</h2><p>Blue: estimated without labels (CBPE) per window. Black dots: ")
          .append("realised accuracy as labels arrived.</p>");
      var points = new ArrayList<double[]>();
      result.realised().forEach(r -> points.add(new double[] {r.event(), r.accuracy()}));
      sb.append(plot(result, WindowSummary::estimatedAccuracy, points, Double.NaN));
    }
    return sb.append("</body></html>\n").toString();
  }

  /** A line over windows (x = a window's last event), optional dots, an optional threshold line. */
  static String plot(WatchResult result, ToDoubleFunction<WindowSummary> y, List<double[]> dots, double threshold) {
    var windows = result.windows();
    if (windows.isEmpty()) {
      return "<p>No windows.</p>";
    }
    double x0 = windows.get(0).startEvent();
    double x1 = Math.max(x0 + 1, windows.get(windows.size() - 1).endEvent());
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (WindowSummary w : windows) {
      double v = y.applyAsDouble(w);
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    for (double[] d : dots) {
      lo = Math.min(lo, d[1]);
      hi = Math.max(hi, d[1]);
    }
    if (Double.isFinite(threshold)) {
      lo = Math.min(lo, threshold);
      hi = Math.max(hi, threshold);
    }
    if (!Double.isFinite(lo)) {
      return "<p>No values.</p>";
    }
    lo = Math.min(lo, 0);
    if (hi <= lo) {
      hi = lo + 1;
    }
    var svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "role=\"img\">", WIDTH, HEIGHT));
    double fx0 = x0;
    double fx1 = x1;
    double flo = lo;
    double fhi = hi;
    java.util.function.DoubleUnaryOperator sx = v -> PAD + (v - fx0) / (fx1 - fx0) * (WIDTH - 2 * PAD);
    java.util.function.DoubleUnaryOperator sy = v -> HEIGHT - PAD + 10 - (v - flo) / (fhi - flo) * (HEIGHT - PAD - 10);
    for (Alert a : result.alerts()) {
      double ax = sx.applyAsDouble(a.event());
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"4\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d33\" "
          + "stroke-dasharray=\"3,3\"/>", ax, ax, HEIGHT - PAD + 10));
    }
    if (Double.isFinite(threshold)) {
      double ty = sy.applyAsDouble(threshold);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\"/>",
          PAD, ty, WIDTH - PAD, ty));
    }
    var line = new StringBuilder();
    for (WindowSummary w : windows) {
      double v = y.applyAsDouble(w);
      if (Double.isFinite(v)) {
        line.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.applyAsDouble(w.endEvent()), sy.applyAsDouble(v)));
      }
    }
    svg.append("<polyline fill=\"none\" stroke=\"#2a6fdb\" stroke-width=\"1.5\" points=\"").append(line).append("\"/>");
    for (double[] d : dots) {
      svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#222\"/>",
          sx.applyAsDouble(d[0]), sy.applyAsDouble(d[1])));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"14\" font-size=\"11\">%.3g</text>", hi));
    svg.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\" font-size=\"11\">%.3g</text>", HEIGHT - PAD + 10, lo));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">event %d</text>", PAD,
        HEIGHT - 8, (long) x0));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">event %d</text>",
        WIDTH - PAD, HEIGHT - 8, (long) x1));
    return svg.append("</svg>").toString();
  }

  static String esc(String s) {
    var sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
