package dev.rampart.scan.misconfig;

import com.google.re2j.Pattern;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Recognises configuration that runs an AI service, for discovery of servers outside the inventory. */
public final class ServiceFingerprints {
  private static final Map<String, Pattern> SERVICES = new LinkedHashMap<>();

  static {
    SERVICES.put("ray", Pattern.compile("(?i)ray start --head|kind:\\s*Ray(?:Cluster|Service|Job)\\b|rayproject/ray|ray\\.init\\("));
    SERVICES.put("mlflow", Pattern.compile("(?i)mlflow[\"',\\s]+(?:server|ui)\\b|ghcr\\.io/mlflow/mlflow|admin_password\\s*="));
    SERVICES.put("torchserve", Pattern.compile("(?im)torchserve\\s+--start|pytorch/torchserve|^\\s*(?:inference|management)_address\\s*="));
    SERVICES.put("triton", Pattern.compile("(?i)tritonserver|nvcr\\.io/nvidia/tritonserver"));
    SERVICES.put("jupyter", Pattern.compile("(?i)c\\.(?:NotebookApp|ServerApp)\\.|jupyter (?:lab|notebook|server)\\b|kind:\\s*Notebook\\b"));
    SERVICES.put("kserve", Pattern.compile("(?i)kind:\\s*(?:InferenceService|ServingRuntime|ClusterServingRuntime)\\b"));
    SERVICES.put("seldon", Pattern.compile("(?i)kind:\\s*SeldonDeployment\\b|seldonio/"));
    SERVICES.put("bentoml", Pattern.compile("(?i)bentoml serve|@bentoml\\.service|bentoml/bento-server"));
    SERVICES.put("clearml", Pattern.compile("(?i)allegroai/clearml|clearml-server"));
    SERVICES.put("vllm", Pattern.compile("(?i)vllm/vllm-openai|vllm serve|python -m vllm\\.entrypoints"));
    SERVICES.put("ollama", Pattern.compile("(?i)ollama/ollama|ollama serve"));
    SERVICES.put("gradio", Pattern.compile("(?i)\\.launch\\([^)]*share\\s*=\\s*True"));
  }

  private ServiceFingerprints() {}

  /** The first AI service the text configures or starts, if any. */
  public static Optional<String> identify(CharSequence text) {
    for (var e : SERVICES.entrySet()) {
      if (e.getValue().matcher(text).find()) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }
}
