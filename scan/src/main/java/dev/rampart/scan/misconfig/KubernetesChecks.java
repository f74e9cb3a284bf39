package dev.rampart.scan.misconfig;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.scan.secrets.SecretDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import com.google.re2j.Pattern;

/** Checks on Kubernetes manifests for model serving, notebooks and Ray. */
final class KubernetesChecks {
  private static final Set<String> WORKLOADS =
      Set.of("Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "InferenceService",
          "SeldonDeployment", "RayCluster", "RayService", "RayJob", "Notebook", "ServingRuntime",
          "ClusterServingRuntime");
  private static final Set<Integer> RAY_PORTS = Set.of(8265, 10001, 6379);
  private static final Set<Integer> ML_UI_PORTS = Set.of(5000, 8888, 6006, 7860, 8501);
  private static final Pattern ML_UI_NAME =
      Pattern.compile("(?i)mlflow|jupyter|notebook|kubeflow|centraldashboard|istio-ingressgateway|tensorboard|gradio|streamlit|ray-head|ray-dashboard");
  private static final Set<String> SENSITIVE_HOST_PATHS =
      Set.of("/", "/etc", "/root", "/home", "/proc", "/sys", "/var/run/docker.sock", "/run/containerd/containerd.sock",
          "/var/run/crio/crio.sock", "/var/lib/kubelet", "/var/lib/docker", "/var/run");
  private static final Pattern MODEL_CACHE = Pattern.compile("(?i)huggingface|\\.cache|/models?(/|$)|torch/hub");
  /**
   * Names that hold a credential end with what they hold ({@code HF_TOKEN}, {@code DB_PASSWORD},
   * {@code OPENAI_API_KEY}); a name that merely contains such a word ({@code TOKENIZER_NAME}, {@code MAX_TOKENS},
   * {@code SECRET_NAME}) does not.
   */
  private static final Pattern SENSITIVE_ENV =
      Pattern.compile("(?i)(?:^|[_.-])(?:TOKEN|SECRET|PASSWORD|PASSWD|PWD|API_?KEY|ACCESS_?KEY|SECRET_?KEY|PRIVATE_?KEY|CREDENTIALS?)$|^(?:KAGGLE_KEY)$");
  /**
   * KServe resources are templates for pods that KServe creates and fronts (Knative activator and queue-proxy in
   * serverless mode); whether those pods are isolated is decided at namespace level with the KServe install, not
   * by a NetworkPolicy in the same file.
   */
  private static final Set<String> OPERATOR_MANAGED = Set.of("InferenceService", "ServingRuntime", "ClusterServingRuntime");

  private KubernetesChecks() {}

  static void check(ConfigFile file, Reporter out, SecretDetector secrets) {
    var docs = file.manifests();
    if (docs.isEmpty()) {
      return;
    }
    boolean serving = false;
    boolean networkPolicy = false;
    for (JsonNode doc : docs) {
      String kind = doc.path("kind").asText();
      String name = doc.path("metadata").path("name").asText("");
      // the line is only looked up for a finding: a search per document would be quadratic in large bundles
      IntSupplier line = () -> file.lineOf("name: " + name);
      switch (kind) {
        case "Service" -> service(doc, name, line, out);
        case "Ingress" -> ingress(doc, name, line, out);
        case "Secret" -> {
          if (!doc.path("data").isEmpty() || !doc.path("stringData").isEmpty()) {
            out.add(MisconfigRules.K8S_05, "Secret " + name + " carries " + doc.path("data").size()
                + doc.path("stringData").size() + " value(s)", line.getAsInt());
          }
        }
        case "NetworkPolicy" -> networkPolicy = true;
        default -> {
          if (WORKLOADS.contains(kind)) {
            serving |= !OPERATOR_MANAGED.contains(kind);
            workload(doc, kind + " " + name, line, out, secrets);
          }
        }
      }
    }
    if (serving && !networkPolicy) {
      out.add(MisconfigRules.K8S_06, "no NetworkPolicy next to the workloads in this manifest", 1);
    }
  }

  private static void service(JsonNode svc, String name, IntSupplier line, Reporter out) {
    String type = svc.path("spec").path("type").asText("ClusterIP");
    if (!type.equals("LoadBalancer") && !type.equals("NodePort")) {
      return;
    }
    boolean mlUi = ML_UI_NAME.matcher(name).find() || ML_UI_NAME.matcher(svc.path("spec").path("selector").toString()).find();
    for (JsonNode port : svc.path("spec").path("ports")) {
      int p = port.path("port").asInt(-1);
      int target = port.path("targetPort").asInt(-1);
      if (RAY_PORTS.contains(p) || RAY_PORTS.contains(target)) {
        out.add(MisconfigRules.RAY_02, type + " Service " + name + " publishes Ray port " + p, line.getAsInt());
        return;
      }
      mlUi |= ML_UI_PORTS.contains(p) || ML_UI_PORTS.contains(target);
    }
    if (mlUi && type.equals("LoadBalancer")) {
      out.add(MisconfigRules.K8S_07, "LoadBalancer Service " + name + " exposes an ML user interface", line.getAsInt());
    }
  }

  private static void ingress(JsonNode ingress, String name, IntSupplier line, Reporter out) {
    for (JsonNode rule : ingress.path("spec").path("rules")) {
      for (JsonNode path : rule.path("http").path("paths")) {
        int port = path.path("backend").path("service").path("port").path("number").asInt(-1);
        if (RAY_PORTS.contains(port)) {
          out.add(MisconfigRules.RAY_02, "Ingress " + name + " routes to Ray port " + port, line.getAsInt());
        }
      }
    }
  }

  private static void workload(JsonNode doc, String what, IntSupplier line, Reporter out, SecretDetector secrets) {
    for (JsonNode pod : podSpecs(doc)) {
      for (String ns : List.of("hostNetwork", "hostPID", "hostIPC")) {
        if (pod.path(ns).asBoolean(false)) {
          out.add(MisconfigRules.K8S_03, what + " sets " + ns + ": true", line.getAsInt());
        }
      }
      for (JsonNode volume : pod.path("volumes")) {
        String hostPath = volume.path("hostPath").path("path").asText(null);
        if (hostPath != null) {
          String normalised = hostPath.length() > 1 && hostPath.endsWith("/") ? hostPath.substring(0, hostPath.length() - 1) : hostPath;
          if (SENSITIVE_HOST_PATHS.contains(normalised) || MODEL_CACHE.matcher(normalised).find()) {
            out.add(MisconfigRules.K8S_02, what + " mounts hostPath " + hostPath, line.getAsInt());
          }
        }
      }
      var containers = new ArrayList<JsonNode>();
      pod.path("containers").forEach(containers::add);
      pod.path("initContainers").forEach(containers::add);
      for (JsonNode c : containers) {
        JsonNode sc = c.path("securityContext");
        if (sc.path("privileged").asBoolean(false)) {
          out.add(MisconfigRules.K8S_01, what + " container " + c.path("name").asText() + " is privileged", line.getAsInt());
        } else if (sc.path("allowPrivilegeEscalation").asBoolean(false)) {
          out.add(MisconfigRules.K8S_01, what + " container " + c.path("name").asText() + " allows privilege escalation", line.getAsInt());
        }
        for (JsonNode env : c.path("env")) {
          String envName = env.path("name").asText("");
          String value = env.path("value").asText("");
          boolean literalSecret =
              SENSITIVE_ENV.matcher(envName).find() && value.length() >= 8 && !value.startsWith("$")
                  && !value.startsWith("/") && !value.toLowerCase(Locale.ROOT).contains("example");
          if (literalSecret || !secrets.detect(value).isEmpty()) {
            out.add(MisconfigRules.K8S_04, what + " env " + envName + " = " + value, line.getAsInt());
          }
        }
      }
    }
  }

  /** Pod specs wherever the workload kind nests them (pods, templates, Ray head and worker groups, KServe). */
  private static List<JsonNode> podSpecs(JsonNode doc) {
    var specs = new ArrayList<JsonNode>();
    collect(doc.path("spec"), specs, 0);
    return specs;
  }

  private static void collect(JsonNode node, List<JsonNode> specs, int depth) {
    if (depth > 10 || !node.isContainerNode()) {
      return;
    }
    if (node.isObject() && (node.has("containers") || node.has("volumes") || node.has("hostNetwork"))) {
      specs.add(node);
      return;
    }
    if (node.isObject() && node.has("predictor")) {
      // KServe: the predictor is itself a pod spec with model-specific keys
      specs.add(node.path("predictor"));
    }
    for (JsonNode child : node) {
      collect(child, specs, depth + 1);
    }
  }
}
