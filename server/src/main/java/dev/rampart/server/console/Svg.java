package dev.rampart.server.console;

import static dev.rampart.server.console.Html.attr;
import static dev.rampart.server.console.Html.el;

import dev.rampart.server.console.Html.Safe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Drawings as inline SVG built with {@link Html}: the lineage graph and the alert timeline. No scripts, no fonts. */
final class Svg {
  private static final int COLUMN = 230;
  private static final int ROW = 46;
  private static final int BOX_W = 180;
  private static final int BOX_H = 30;

  private Svg() {}

  /** Four columns (datasets, runs, versions, environments), each node a link, edges left to right. */
  static Safe lineage(Queries.Lineage g, Function<String, String> link) {
    List<List<String>> columns = List.of(g.datasets(), g.runs(), g.versions(), g.environments());
    String[] titles = {"Datasets", "Training runs", "Model versions", "Deployed in"};
    Map<String, int[]> at = new HashMap<>();
    int rows = 1;
    for (int c = 0; c < columns.size(); c++) {
      for (int r = 0; r < columns.get(c).size(); r++) {
        at.put(c + ":" + columns.get(c).get(r), new int[] {20 + c * COLUMN, 40 + r * ROW});
      }
      rows = Math.max(rows, columns.get(c).size());
    }
    int width = 40 + 3 * COLUMN + BOX_W;
    int height = 60 + rows * ROW;
    var parts = new ArrayList<Object>();
    for (int c = 0; c < titles.length; c++) {
      parts.add(el("text", attr("x", 20 + c * COLUMN), attr("y", 20), attr("font-weight", "bold"), titles[c]));
    }
    for (var e : g.edges()) {
      int[] from = find(at, e.from());
      int[] to = find(at, e.to());
      if (from == null || to == null) {
        continue;
      }
      int x1 = from[0] + BOX_W;
      int y1 = from[1] + BOX_H / 2;
      int x2 = to[0];
      int y2 = to[1] + BOX_H / 2;
      int mid = (x1 + x2) / 2;
      parts.add(el("path", attr("d", "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " "
          + x2 + "," + y2), attr("fill", "none"), attr("stroke", "#8a94a6"), attr("stroke-width", "1.5")));
    }
    for (int c = 0; c < columns.size(); c++) {
      for (String node : columns.get(c)) {
        int[] p = at.get(c + ":" + node);
        String status = g.status().getOrDefault(node, "");
        String fill = switch (status.toLowerCase(Locale.ROOT)) {
          case "poisoned", "unsafe", "malicious" -> "#fde2e2";
          case "suspicious" -> "#fdf1d8";
          case "active" -> "#dcf3e6";
          default -> "#eef2f8";
        };
        Safe box = Html.join(
            el("rect", attr("x", p[0]), attr("y", p[1]), attr("width", BOX_W), attr("height", BOX_H), attr("rx", 6),
                attr("fill", fill), attr("stroke", "#6b7789")),
            el("text", attr("x", p[0] + 8), attr("y", p[1] + 19), truncate(node + (status.isEmpty() ? "" : " · "
                + status), 26)),
            el("title", node + (status.isEmpty() ? "" : " (" + status + ")")));
        String href = link.apply(node);
        parts.add(href == null ? el("g", attr("class", "node"), box)
            : el("a", attr("href", href), attr("class", "node"), attr("data-node", node), box));
      }
    }
    return el("svg", attr("xmlns", "http://www.w3.org/2000/svg"), attr("width", width), attr("height", height),
        attr("viewBox", "0 0 " + width + " " + height), attr("role", "img"),
        attr("aria-label", "lineage graph"), parts);
  }

  private static int[] find(Map<String, int[]> at, String node) {
    for (int c = 0; c < 4; c++) {
      int[] p = at.get(c + ":" + node);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  /** Alerts on a timeline: x is the event index, one lane per alert kind, dots coloured by severity. */
  static Safe alertTimeline(List<Queries.Alert> alerts) {
    if (alerts.isEmpty()) {
      return Safe.EMPTY;
    }
    var kinds = alerts.stream().map(Queries.Alert::kind).distinct().sorted().toList();
    long max = alerts.stream().mapToLong(Queries.Alert::event).max().orElse(1);
    int width = 760;
    int lane = 28;
    int left = 190;
    int height = 40 + kinds.size() * lane;
    var parts = new ArrayList<Object>();
    for (int k = 0; k < kinds.size(); k++) {
      int y = 30 + k * lane;
      parts.add(el("text", attr("x", 8), attr("y", y + 4), kinds.get(k)));
      parts.add(el("line", attr("x1", left), attr("x2", width - 10), attr("y1", y), attr("y2", y),
          attr("stroke", "#d9dee6")));
    }
    for (var a : alerts) {
      int y = 30 + kinds.indexOf(a.kind()) * lane;
      double x = left + (width - 10 - left) * (a.event() / (double) Math.max(1, max));
      String color = switch (a.severity().toUpperCase(Locale.ROOT)) {
        case "CRITICAL" -> "#8e1b1b";
        case "HIGH" -> "#c2410c";
        case "MEDIUM" -> "#b7791f";
        default -> "#4a6fa5";
      };
      parts.add(el("circle", attr("cx", String.format(Locale.ROOT, "%.1f", x)), attr("cy", y), attr("r", 6),
          attr("fill", color), el("title", a.kind() + " at event " + a.event() + ": " + a.detail())));
    }
    parts.add(el("text", attr("x", left), attr("y", height - 4), attr("fill", "#5b6575"), "event 0"));
    parts.add(el("text", attr("x", width - 110), attr("y", height - 4), attr("fill", "#5b6575"), "event " + max));
    return el("svg", attr("xmlns", "http://www.w3.org/2000/svg"), attr("width", width), attr("height", height),
        attr("viewBox", "0 0 " + width + " " + height), attr("role", "img"), attr("aria-label", "alert timeline"),
        parts);
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
