package dev.rampart.server.console;

import static dev.rampart.server.console.Html.attr;
import static dev.rampart.server.console.Html.el;
import static dev.rampart.server.console.Layout.badge;
import static dev.rampart.server.console.Layout.row;
import static dev.rampart.server.console.Layout.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.core.AtlasTechnique;
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

  void atlas(Context ctx) {
    var session = Console.session(ctx);
    var projects = v.queries().projects(session.principal()).stream().map(Queries.Project::id).toList();
    Map<String, Integer> live = v.queries().findingsByTechnique(projects, ATLAS_VERSIONS);
    Map<String, AtlasTechnique> techniques = new TreeMap<>();
    Map<String, List<String>> rulesOf = new TreeMap<>();
    for (Rule r : coveredRules()) {
      techniques.put(r.technique().id(), r.technique());
      rulesOf.computeIfAbsent(r.technique().id(), k -> new ArrayList<>()).add(r.id());
    }
    live.keySet().forEach(id -> techniques.computeIfAbsent(id, k -> new AtlasTechnique(k, k)));
    int max = live.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    var cells = new ArrayList<Safe>();
    for (var t : techniques.values()) {
      int n = live.getOrDefault(t.id(), 0);
      int shade = n == 0 ? 255 : 235 - (int) (150.0 * n / Math.max(1, max));
      var rules = rulesOf.getOrDefault(t.id(), List.of());
      cells.add(row(el("code", t.id()), t.name(), rules.isEmpty() ? "" : rules.size() + " rule(s)",
          el("div", attr("style", "background: rgb(255," + shade + "," + shade + "); padding: 0 .4rem"), n),
          el("span", attr("class", "muted"), String.join(" ", rules.stream().limit(6).toList()))));
    }
    Console.html(ctx, Layout.page("ATLAS", session, el("h1", "MITRE ATLAS coverage"),
        el("p", attr("class", "muted"), "Each technique Rampart detects, with the findings it holds now in the "
            + "newest ", ATLAS_VERSIONS, " model versions, dataset checks and alerts you can see (darker is more)."),
        el("table", attr("class", "heat"), el("thead", el("tr", el("th", "Technique"), el("th", "Name"),
            el("th", "Coverage"), el("th", "Live findings"), el("th", "Rules"))), el("tbody", cells))));
  }

  private static List<Rule> coveredRules() {
    var rules = new ArrayList<Rule>();
    dev.rampart.scan.RuleCatalog.all().forEach(e -> rules.add(e.rule()));
    rules.addAll(dev.rampart.integrity.IntegrityRules.all());
    rules.addAll(dev.rampart.data.report.DataRules.all());
    return rules;
  }
}
