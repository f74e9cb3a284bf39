package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile and the Helm chart, checked without docker or helm: the image's required properties (pinned JRE 21
 * base, non-root user, health check that exists, data volume), and the chart's YAML (every template parses once
 * its template actions are set aside, every value it reads exists, every value it declares is read).
 */
class DeploymentFilesTest {
  private static final Path REPO = Path.of("..");
  private static final Path CHART = REPO.resolve("deploy/helm/rampart");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern VALUES_REF = Pattern.compile("\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");
  private static final Pattern ACTION_LINE = Pattern.compile(
      "\\s*\\{\\{-?\\s*(if|else|end|range|with|define|toYaml|/\\*)\\b.*\\}\\}\\s*");

  static List<String> dockerfile() throws Exception {
    // continuation lines joined, comments dropped: one instruction per entry
    var out = new ArrayList<String>();
    var current = new StringBuilder();
    for (String line : Files.readAllLines(REPO.resolve("Dockerfile"))) {
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
      } else {
        out.add(current.append(line).toString().strip());
        current.setLength(0);
      }
    }
    return out;
  }

  static String instruction(List<String> lines, String name) {
    var found = lines.stream().filter(l -> l.startsWith(name + " ")).toList();
    assertThat(found).as("Dockerfile " + name).hasSize(1);
    return found.getFirst().substring(name.length() + 1).strip();
  }

  @Test
  void theImageRunsAPinnedJre21AsANonRootUserWithAHealthCheckThatExists() throws Exception {
    var lines = dockerfile();
    String from = instruction(lines, "FROM");
    assertThat(from).matches("eclipse-temurin:(21\\.[0-9]+\\.[0-9]+_[0-9]+-jre-[a-z]+|21[^@]*@sha256:[0-9a-f]{64})");
    String user = instruction(lines, "USER");
    assertThat(user).matches("[0-9]+:[0-9]+");
    assertThat(Integer.parseInt(user.split(":")[0])).isGreaterThanOrEqualTo(1000);
    // nothing runs as root after USER: every RUN comes before it
    int userAt = lines.indexOf("USER " + user);
    assertThat(lines.subList(userAt, lines.size())).noneMatch(l -> l.startsWith("RUN "));
    String health = instruction(lines, "HEALTHCHECK");
    var main = Pattern.compile("\"(dev\\.rampart\\.[A-Za-z.]+)\"").matcher(health);
    assertThat(main.find()).as(health).isTrue();
    assertThat(Class.forName(main.group(1)).getMethod("main", String[].class)).isNotNull();
    assertThat(instruction(lines, "VOLUME")).isEqualTo("[\"/data\"]");
    assertThat(instruction(lines, "ENV")).contains("RAMPART_DATA_DIR=/data/").contains("RAMPART_BIND=0.0.0.0");
    assertThat(instruction(lines, "ENTRYPOINT")).contains("\"-jar\", \"/opt/rampart/rampart.jar\"");
    // every file the image copies is let through .dockerignore, which keeps everything else out
    var ignore = Files.readAllLines(REPO.resolve(".dockerignore")).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertThat(ignore.getFirst()).isEqualTo("*");
    var copied = new TreeSet<String>();
    lines.stream().filter(l -> l.startsWith("COPY ")).forEach(l -> {
      var words = List.of(l.split("\\s+"));
      words.subList(1, words.size() - 1).stream().filter(w -> !w.startsWith("--")).forEach(copied::add);
    });
    assertThat(copied).contains("cli/target/rampart.jar", "cli/target/lib/duckdb_jdbc.jar", "cli/target/lib/onnxruntime.jar");
    assertThat(ignore).containsAll(copied.stream().map(c -> "!" + c).toList());
    // the chart runs the image as the same user
    assertThat(Files.readString(CHART.resolve("templates/deployment.yaml"))).contains("runAsUser: " + user.split(":")[0]);
  }

  /** A template with its action lines dropped and inline actions replaced by a word: plain YAML documents. */
  static List<JsonNode> documents(Path template) throws Exception {
    var kept = new StringBuilder();
    for (String line : Files.readAllLines(template)) {
      if (ACTION_LINE.matcher(line).matches()) {
        continue;
      }
      kept.append(line.replaceAll("\\{\\{.*?\\}\\}", "X")).append('\n');
    }
    var docs = new ArrayList<JsonNode>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(kept.toString())) {
      while (it.hasNext()) {
        JsonNode d = it.next();
        if (d != null && !d.isNull() && !d.isMissingNode()) {
          docs.add(d);
        }
      }
    }
    return docs;
  }

  static void leaves(JsonNode node, String path, List<String> out) {
    if (node.isObject() && !node.isEmpty()) {
      node.properties().forEach(e -> leaves(e.getValue(), path + "." + e.getKey(), out));
    } else {
      out.add(path);
    }
  }

  @Test
  void theChartsTemplatesParseAndReadOnlyValuesItDeclares() throws Exception {
    JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
    assertThat(chart.get("apiVersion").asText()).isEqualTo("v2");
    assertThat(chart.get("name").asText()).isEqualTo("rampart");
    JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
    var kinds = new HashMap<String, JsonNode>();
    var referenced = new TreeSet<String>();
    var templates = new StringBuilder();
    try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
      for (Path t : files.sorted().toList()) {
        String text = Files.readString(t);
        templates.append(text);
        var m = VALUES_REF.matcher(text);
        while (m.find()) {
          referenced.add(m.group(1));
        }
        if (t.toString().endsWith(".yaml")) {
          for (JsonNode d : documents(t)) {
            kinds.put(d.get("kind").asText(), d);
          }
        }
      }
    }
    for (String ref : referenced) {
      assertThat(values.at(ref.replace('.', '/')).isMissingNode()).as("values.yaml declares " + ref).isFalse();
    }
    var declared = new ArrayList<String>();
    leaves(values, "", declared);
    for (String leaf : declared) {
      assertThat(referenced.stream().anyMatch(r -> leaf.equals(r) || leaf.startsWith(r + ".")))
          .as("a template reads " + leaf).isTrue();
    }
    values.at("/admission/webhooks/0").fieldNames().forEachRemaining(
        f -> assertThat(templates.toString()).as("the webhook template reads ." + f).contains("." + f + " "));
    assertThat(kinds).containsKeys("Deployment", "Service", "Secret", "PersistentVolumeClaim", "ValidatingWebhookConfiguration");

    JsonNode webhook = kinds.get("ValidatingWebhookConfiguration").at("/webhooks/0");
    assertThat(webhook.has("failurePolicy")).isTrue();
    assertThat(values.at("/admission/failurePolicy").asText()).isEqualTo("Fail");
    assertThat(webhook.has("namespaceSelector")).isTrue();
    assertThat(webhook.at("/clientConfig/service/path").asText()).endsWith("/kubernetes/admission");
    assertThat(webhook.at("/admissionReviewVersions/0").asText()).isEqualTo("v1");
    JsonNode pod = kinds.get("Deployment").at("/spec/template/spec");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    JsonNode container = pod.at("/containers/0");
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/readinessProbe/httpGet/scheme").asText()).isEqualTo("HTTPS");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/api/v1/health");
    var args = new ArrayList<String>();
    container.get("args").forEach(a -> args.add(a.asText()));
    assertThat(args).contains("--tls-cert", "--tls-key");
    // every server flag the chart passes is one the server command declares
    var options = new picocli.CommandLine(new ServerCommand()).getCommandSpec().optionsMap().keySet();
    assertThat(args.stream().filter(a -> a.startsWith("--")).toList()).allSatisfy(a -> assertThat(options).contains(a));
    var env = new ArrayList<String>();
    container.get("env").forEach(e -> env.add(e.get("name").asText()));
    assertThat(env).contains("RAMPART_ADMIN_TOKEN_SHA256", "RAMPART_TLS_CERT");
    assertThat(kinds.get("Service").at("/spec/ports/0/port").asInt()).isEqualTo(443);
    assertThat(Map.of("kind", kinds.get("Secret").get("kind").asText())).containsEntry("kind", "Secret");
  }
}
