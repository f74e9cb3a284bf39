package dev.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Report;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.scan.Discovery;
import dev.rampart.scan.Version;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart discover PATH... [--server URL --project P]}: model artifacts and AI services, against the registry. */
@Command(
    name = "discover",
    mixinStandardHelpOptions = true,
    description = {
      "Finds every model artifact and AI-service configuration under PATH by content, fingerprints each with its"
          + " OMS digest, and with --server reports it as registered, unregistered (shadow) or differing from its"
          + " registered version.",
      "Only digests and base names are sent to the server; nothing is uploaded."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:nothing at or above --fail-on",
      "1:shadow or changed artifacts at or above --fail-on",
      "2:usage or configuration error",
      "3:a file could not be read"
    })
final class DiscoverCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Folders or files to search.")
  List<Path> paths;

  @Option(names = "--server", paramLabel = "URL",
      description = "Rampart server to compare with (the token comes from RAMPART_TOKEN or the client config).")
  String server;

  @Option(names = "--project", paramLabel = "NAME", description = "Registry project to compare with (required with --server).")
  String project;

  @Mixin OutputOptions out;

  private record Item(Discovery.Found found, String sha256, String omsDigest) {}

  @Override
  public Integer call() throws Exception {
    out.validate();
    if (server != null && project == null) {
      throw new IllegalArgumentException("--server needs --project: discovery compares with one project's registry");
    }
    var items = new ArrayList<Item>();
    for (var f : new Discovery().discover(paths)) {
      if (f.kind() == Discovery.Kind.UNREADABLE) {
        items.add(new Item(f, "", ""));
      } else {
        String oms = ModelHasher.hash(f.path(), ModelHasher.Options.files()).rootDigest();
        items.add(new Item(f, dev.rampart.core.Sha256.of(f.path()), oms));
      }
    }
    List<JsonNode> answers = server == null ? List.of() : lookup(items);
    var findings = new ArrayList<Finding>();
    var records = new ArrayList<ArtifactRecord>();
    for (int i = 0; i < items.size(); i++) {
      var item = items.get(i);
      var f = item.found();
      if (f.kind() == Discovery.Kind.UNREADABLE) {
        records.add(new ArtifactRecord(f.path().toString(), "unknown", -1, ArtifactRecord.Status.INCOMPLETE, f.detail()));
        continue;
      }
      String fingerprint = "oms sha256:" + item.omsDigest();
      String note = (f.kind() == Discovery.Kind.MODEL ? "model" : "service " + f.detail()) + ", " + fingerprint;
      if (!answers.isEmpty()) {
        JsonNode a = answers.get(i);
        String status = a.path("status").asText();
        JsonNode reg = a.path("registered");
        var location = Location.of(f.path().toString());
        switch (status) {
          case "REGISTERED" -> note += ", registered as " + reg.path("model").asText() + " v" + reg.path("version").asInt();
          case "DIFFERS" -> {
            note += ", differs from " + reg.path("model").asText() + " v" + reg.path("version").asInt();
            findings.add(Finding.of(Discovery.MODEL_DIFFERS, "registered " + reg.path("file").asText() + " in "
                + reg.path("model").asText() + " v" + reg.path("version").asInt() + " has sha256:"
                + reg.path("sha256").asText() + ", this file sha256:" + item.sha256(), location).withFileSha256(item.sha256()));
          }
          default -> {
            note += ", not registered";
            var rule = f.kind() == Discovery.Kind.MODEL ? Discovery.SHADOW_MODEL : Discovery.SHADOW_SERVICE;
            findings.add(Finding.of(rule, f.detail() + " " + fingerprint, location).withFileSha256(item.sha256()));
          }
        }
      }
      records.add(new ArtifactRecord(f.path().toString(), f.detail(), f.size(), ArtifactRecord.Status.SCANNED, note));
    }
    var report = new Report("discover", Version.current(), Instant.now(), paths.stream().map(Path::toString).toList(),
        findings, List.of(), records);
    if (!out.quiet) {
      spec.commandLine().getErr().printf("rampart: %d model artifact(s) and AI-service configuration(s) found%s%n",
          records.size(), server == null ? " (no --server: registry status not checked)" : "");
    }
    if (out.reportFormat() == dev.rampart.core.report.ReportFormat.TABLE && out.output == null) {
      var o = spec.commandLine().getOut();
      printTable(records, o);
      o.println();
      o.flush();
      // the findings and the verdict line, so shadow artifacts below --fail-on are never passed off as clean
      return out.emit(report, o);
    }
    return out.emit(report, spec.commandLine().getOut());
  }

  /** One line per artifact: where it is, what it is, its fingerprint and what the registry says. */
  private static void printTable(List<ArtifactRecord> records, java.io.PrintWriter w) {
    w.printf("%-42s %-28s %s%n", "PATH", "KIND", "FINGERPRINT AND REGISTRY STATUS");
    for (var r : records) {
      String note = r.note();
      int comma = note.indexOf(", ");
      String kind = r.status() == ArtifactRecord.Status.INCOMPLETE ? "unreadable"
          : comma < 0 ? note : note.substring(0, comma) + (note.startsWith("model") ? " (" + r.format() + ")" : "");
      String rest = comma < 0 ? note : note.substring(comma + 2);
      w.printf("%-42s %-28s %s%n", r.path(), kind, rest);
    }
    w.flush();
  }

  private List<JsonNode> lookup(List<Item> items) throws IOException {
    var client = Client.fromEnvironment(server);
    var artifacts = new ArrayList<Map<String, String>>();
    for (var item : items) {
      if (item.sha256().isEmpty()) {
        artifacts.add(Map.of("sha256", "0".repeat(64), "name", ""));
        continue;
      }
      var a = new java.util.LinkedHashMap<String, String>();
      a.put("sha256", item.sha256());
      if (!item.omsDigest().isEmpty()) {
        a.put("digest", item.omsDigest());
      }
      a.put("name", item.found().path().getFileName().toString());
      artifacts.add(a);
    }
    var answer = client.call("POST", Client.projectPath(project, "inventory", "lookup"), Map.of("artifacts", artifacts));
    if (answer.status() >= 400 && answer.status() < 500) {
      throw new IllegalArgumentException("the server refused the lookup: " + answer.error()
          + " (check --project and that the token may view it)");
    }
    if (!answer.ok()) {
      throw new IOException("the server failed the lookup: " + answer.error());
    }
    var list = new ArrayList<JsonNode>();
    answer.body().path("artifacts").forEach(list::add);
    if (list.size() != items.size()) {
      throw new IOException("the server answered " + list.size() + " of " + items.size() + " lookups");
    }
    return list;
  }

}
