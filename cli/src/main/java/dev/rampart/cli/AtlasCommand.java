package dev.rampart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rampart.core.atlas.AtlasData;
import dev.rampart.cli.atlas.Coverage;
import dev.rampart.cli.atlas.MatrixHtml;
import dev.rampart.core.RuleSource;
import dev.rampart.scan.Version;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rampart atlas}: ATLAS tactics and techniques against Rampart's rules and controls. */
@Command(
    name = "atlas",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the MITRE ATLAS matrix against Rampart: techniques a rule detects, techniques a Rampart control"
          + " mitigates, and gaps, with the ATLAS data version.",
      "Uses the curated ATLAS 5.6.0 subset bundled with Rampart unless --data names a full ATLAS.yaml."
    })
final class AtlasCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table, html or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
  Path output;

  @Option(names = "--data", paramLabel = "ATLAS.yaml", description = "dist/ATLAS.yaml from mitre-atlas/atlas-data (any version).")
  Path data;

  @Override
  public Integer call() throws Exception {
    String f = format.toLowerCase(Locale.ROOT);
    if (!List.of("table", "html", "json").contains(f)) {
      throw new IllegalArgumentException("unknown format '" + format + "': use table, html or json");
    }
    AtlasData atlas = data == null ? AtlasData.bundled() : AtlasData.importYaml(data);
    var rules = RuleSource.installed();
    var rows = Coverage.compute(atlas, rules);
    var unknown = Coverage.unknownTechniques(atlas, rules);
    if (!unknown.isEmpty()) {
      spec.commandLine().getErr().println("rampart: warning: rules map to techniques missing from ATLAS " + atlas.version()
          + ": " + String.join(", ", unknown));
    }
    String text = switch (f) {
      case "html" -> MatrixHtml.render(atlas, rows, Version.current());
      case "json" -> json(atlas, rows);
      default -> table(atlas, rows);
    };
    if (output != null) {
      Files.writeString(output, text, StandardCharsets.UTF_8);
      spec.commandLine().getErr().println("rampart: wrote " + output);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(text);
      out.flush();
    }
    return 0;
  }

  private static String table(AtlasData atlas, List<Coverage.Row> rows) {
    var sb = new StringBuilder();
    sb.append("MITRE ATLAS ").append(atlas.version()).append(atlas.curated() ? " (curated subset)" : "").append('\n');
    for (var tactic : atlas.tactics()) {
      var inTactic = rows.stream().filter(r -> r.technique().tactics().contains(tactic.id())).toList();
      if (inTactic.isEmpty()) {
        continue;
      }
      sb.append('\n').append(tactic.name()).append(" (").append(tactic.id()).append(")\n");
      for (var r : inTactic) {
        var t = r.technique();
        String what = switch (r.level()) {
          case DETECTED -> String.join(" ", r.rules());
          case MITIGATED -> String.join(", ", r.controls().stream().map(c -> c + " " + Coverage.CONTROLS.get(c)).toList());
          case GAP -> "-";
        };
        sb.append(String.format("  %-10s %-14s %-45s %s%n", r.level(), t.id(), truncate((t.subtechnique() ? "  " : "") + t.name(), 45), what));
      }
    }
    long detected = rows.stream().filter(r -> r.level() == Coverage.Level.DETECTED).count();
    long mitigated = rows.stream().filter(r -> r.level() == Coverage.Level.MITIGATED).count();
    sb.append(String.format("%n%d techniques: %d detected, %d mitigated, %d gaps%n", rows.size(), detected, mitigated,
        rows.size() - detected - mitigated));
    return sb.toString();
  }

  private static String json(AtlasData atlas, List<Coverage.Row> rows) throws Exception {
    var mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    var root = mapper.createObjectNode();
    root.put("atlasVersion", atlas.version()).put("curated", atlas.curated()).put("rampartVersion", Version.current());
    var arr = root.putArray("techniques");
    for (var r : rows) {
      var n = arr.addObject().put("id", r.technique().id()).put("name", r.technique().name()).put("coverage", r.level().name());
      r.technique().tactics().forEach(n.withArray("tactics")::add);
      r.rules().forEach(n.withArray("rules")::add);
      r.controls().forEach(n.withArray("mitigations")::add);
    }
    return mapper.writeValueAsString(root) + "\n";
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
