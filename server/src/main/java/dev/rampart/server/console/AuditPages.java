package dev.rampart.server.console;

import static dev.rampart.server.console.Html.attr;
import static dev.rampart.server.console.Html.el;
import static dev.rampart.server.console.Layout.badge;
import static dev.rampart.server.console.Layout.row;
import static dev.rampart.server.console.Layout.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.core.atlas.AtlasData;
import dev.rampart.core.Rule;
import dev.rampart.server.Json;
import dev.rampart.server.console.Html.Safe;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The audit log (searchable, with its verification) and the ATLAS coverage matrix with live findings. */
final class AuditPages {
  /** The rules of the modules this server was built with; the fat jar carries all of them. */
  private static final List<Rule> COVERED = dev.rampart.core.RuleSource.installed();

  private static final int SEARCH_WINDOW = 5_000;
  private static final int SHOWN = 200;
  private static final int ATLAS_VERSIONS = 2_000;
  private final Views v;

  AuditPages(Views v) {
    this.v = v;
  }

  void audit(Context ctx) {
    var session = Console.session(ctx);
    String q = ctx.queryParamAsClass("q", String.class).getOrDefault("").trim();
    long size = v.audit().size();
    var verification = v.audit().verify();
    var rows = new ArrayList<Safe>();
    long from = Math.max(0, size - SEARCH_WINDOW);
    List<String> entries = v.audit().entries(from, size);
    for (int i = entries.size() - 1; i >= 0 && rows.size() < SHOWN; i--) {
      String raw = entries.get(i);
      if (!q.isEmpty() && !raw.toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT))) {
        continue;
      }
      JsonNode e = Json.read(raw);
      rows.add(row(from + i, e.path("time").asText(e.path("at").asText()), el("code", e.path("type").asText()),
          e.path("actor").asText(), el("div", attr("class", "mono"), e.path("details").toString())));
    }
    Console.html(ctx, Layout.page("Audit log", session, el("h1", "Audit log"),
        el("div", attr("class", verification.ok() ? "panel" : "panel error"),
            badge(verification.ok() ? "verified" : "failed"), " ", verification.detail(),
            el("span", attr("class", "muted"), " (signed checkpoint covers ", verification.checkpointSize(),
                " of ", verification.entries(), " entries)")),
        el("form", attr("method", "get"), attr("action", "/audit"),
            el("p", el("input", attr("type", "search"), attr("name", "q"), attr("value", q),
                attr("placeholder", "search the last " + SEARCH_WINDOW + " entries: type, actor, model, digest…")))),
        table(List.of("#", "Time", "Type", "Actor", "Details"), rows)));
  }

  /** The ATLAS matrix: one column per tactic, each technique coloured by its live findings and marked if detected. */
  void atlas(Context ctx) throws java.io.IOException {
    var session = Console.session(ctx);
    var projects = v.queries().projects(session.principal()).stream().map(Queries.Project::id).toList();
    Map<String, Integer> live = v.queries().findingsByTechnique(projects, ATLAS_VERSIONS);
    Map<String, List<String>> rulesOf = new TreeMap<>();
    for (Rule r : COVERED) {
      rulesOf.computeIfAbsent(r.technique().id(), k -> new ArrayList<>()).add(r.id());
    }
    var atlas = AtlasData.bundled();
    int max = live.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    var columns = new ArrayList<Safe>();
    for (var tactic : atlas.tactics()) {
      var cells = new ArrayList<Safe>();
      for (var t : atlas.techniques()) {
        if (!t.tactics().contains(tactic.id())) {
          continue;
        }
        int n = live.getOrDefault(t.id(), 0);
        var rules = rulesOf.getOrDefault(t.id(), List.of());
        // heat in five steps: classes, since the CSP allows no inline style
        int heat = n == 0 ? 0 : 1 + (int) Math.min(4, Math.floor(4.0 * n / Math.max(1, max)));
        String classes = "cell heat" + heat + (rules.isEmpty() ? " gap" : " detected");
        cells.add(el("div", attr("class", classes), attr("data-technique", t.id()),
            attr("title", rules.isEmpty() ? "not detected by Rampart" : "detected by " + String.join(" ", rules)),
            el("code", t.id()), el("br"), t.name(), n > 0 ? el("div", el("strong", n, " live")) : null));
      }
      columns.add(el("div", attr("class", "tactic"), el("div", attr("class", "head"), tactic.name()), cells));
    }
    long detected = atlas.techniques().stream().filter(t -> rulesOf.containsKey(t.id())).count();
    Console.html(ctx, Layout.page("ATLAS", session, el("h1", "MITRE ATLAS coverage"),
        el("p", attr("class", "muted"), "ATLAS ", atlas.version(), atlas.curated() ? " (the curated subset Rampart "
            + "bundles)" : "", ": ", detected, " of ", atlas.techniques().size(), " techniques detected by Rampart's "
            + "rules (green edge). Red shows live findings in the newest ", ATLAS_VERSIONS, " model versions, dataset "
            + "checks and alerts you can see; darker is more."),
        el("div", attr("class", "matrix"), columns),
        el("p", attr("class", "muted"), "MITRE ATLAS data: Copyright 2021-2025 MITRE, Apache License 2.0.")));
  }

}
