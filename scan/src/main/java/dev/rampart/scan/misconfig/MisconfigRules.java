package dev.rampart.scan.misconfig;

import static dev.rampart.core.Atlas.ESCAPE_TO_HOST;
import static dev.rampart.core.Atlas.EXPLOIT_PUBLIC_FACING_APPLICATION;
import static dev.rampart.core.Atlas.SUPPLY_CHAIN_SOFTWARE;
import static dev.rampart.core.Atlas.UNSAFE_AI_ARTIFACTS;
import static dev.rampart.core.Atlas.UNSECURED_CREDENTIALS;
import static dev.rampart.core.Atlas.VALID_ACCOUNTS;
import static dev.rampart.core.Stage.AI_SYSTEM;
import static dev.rampart.core.Stage.MLOPS_PIPELINE;
import static dev.rampart.core.Severity.CRITICAL;
import static dev.rampart.core.Severity.HIGH;
import static dev.rampart.core.Severity.LOW;
import static dev.rampart.core.Severity.MEDIUM;

import dev.rampart.core.Rule;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Misconfiguration rules for ML infrastructure. Ids are stable; each is derived from an incident or an established
 * check (aliases to other tools are in docs/rules.md).
 */
public final class MisconfigRules {
  private MisconfigRules() {}

  public static final Rule RAY_01 =
      Rule.of("RAY-01", CRITICAL, "Ray dashboard listens on all interfaces without token authentication",
          "The Ray dashboard and Jobs API run arbitrary code for anyone who can reach them (ShadowRay). Bind the"
              + " dashboard to 127.0.0.1, or turn on token authentication (RAY_AUTH_MODE=token, Ray >= 2.52; KubeRay"
              + " spec.authOptions.mode: token) and put it behind an authenticating proxy.",
          EXPLOIT_PUBLIC_FACING_APPLICATION, AI_SYSTEM);
  public static final Rule RAY_02 =
      Rule.of("RAY-02", CRITICAL, "Ray ports exposed outside the cluster",
          "A Service of type LoadBalancer or NodePort (or an Ingress) publishes the Ray dashboard (8265), client"
              + " (10001) or GCS (6379) port. Keep them ClusterIP and reach them through an authenticating proxy.",
          EXPLOIT_PUBLIC_FACING_APPLICATION, AI_SYSTEM);
  public static final Rule MLF_01 =
      Rule.of("MLF-01", CRITICAL, "MLflow server listens on all interfaces without authentication",
          "mlflow server --host 0.0.0.0 without --app-name basic-auth (or an OIDC plugin or authenticating proxy)"
              + " lets anyone read and overwrite models and artifacts.",
          EXPLOIT_PUBLIC_FACING_APPLICATION, AI_SYSTEM);
  public static final Rule MLF_02 =
      Rule.of("MLF-02", HIGH, "MLflow basic-auth uses the default admin password or grants access by default",
          "basic_auth.ini keeps the shipped admin password (password1234) or a default_permission other than"
              + " NO_PERMISSIONS. Set a strong admin password from a secret and default_permission = NO_PERMISSIONS.",
          VALID_ACCOUNTS, AI_SYSTEM);
  public static final Rule MLF_03 =
      Rule.of("MLF-03", MEDIUM, "MLflow Flask secret key written into a file",
          "MLFLOW_FLASK_SERVER_SECRET_KEY signs sessions and CSRF tokens. Inject it from a secret store instead of"
              + " committing a literal value.",
          UNSECURED_CREDENTIALS, AI_SYSTEM);
  public static final Rule MLF_04 =
      Rule.of("MLF-04", MEDIUM, "MLflow security middleware weakened",
          "--allowed-hosts '*', --cors-allowed-origins '*', --disable-security-middleware, or gunicorn/waitress"
              + " options (which bypass the middleware) expose the server to DNS rebinding and cross-site requests."
              + " List the real host names and origins.",
          EXPLOIT_PUBLIC_FACING_APPLICATION, AI_SYSTEM);
  public static final Rule MLF_06 =
      Rule.of("MLF-06", HIGH, "MLflow store URI carries a user name and password",
          "A password inside --backend-store-uri or MLFLOW_TRACKING_URI is logged and shown in run metadata."
              + " Pass credentials through environment variables or a credentials file.",
          UNSECURED_CREDENTIALS, AI_SYSTEM);
  public static final Rule TS_01 =
      Rule.of("TS-01", CRITICAL, "TorchServe management API exposed or unauthenticated",
          "A TorchServe address bound to 0.0.0.0, token authorisation disabled, the model API enabled or"
              + " allowed_urls missing or a wildcard allows remote model registration and code execution"
              + " (ShellTorch). Bind management to 127.0.0.1, keep token auth on and list allowed_urls exactly.",
          EXPLOIT_PUBLIC_FACING_APPLICATION, AI_SYSTEM);
  public static final Rule TS_02 =
      Rule.of("TS-02", LOW, "TorchServe is in use",
          "TorchServe is in limited maintenance with no planned security fixes. Plan a move to a maintained"
              + " server (Triton, KServe, vLLM) and keep it off untrusted networks meanwhile.",
          EXPLOIT_PUBLIC_FACING_APPLICATION, AI_SYSTEM);
  public static final Rule TRT_01 =
      Rule.of("TRT-01", HIGH, "Triton model control mode lets clients load models",
          "--model-control-mode=explicit or poll lets anyone who reaches the endpoint load and unload models, and"
              + " Triton listens on all interfaces by default. Use mode none in production, or restrict the"
              + " endpoint (--http-address 127.0.0.1, a network policy or an authenticating proxy).",
          EXPLOIT_PUBLIC_FACING_APPLICATION, AI_SYSTEM);
  public static final Rule JUP_01 =
      Rule.of("JUP-01", CRITICAL, "Jupyter server without authentication",
          "An empty token with no password, or ip 0.0.0.0 together with allow_root or disabled XSRF checks, gives"
              + " anyone who reaches the port a shell (Qubitstrike). Keep the generated token or set a password.",
          EXPLOIT_PUBLIC_FACING_APPLICATION, MLOPS_PIPELINE);
  public static final Rule CLR_01 =
      Rule.of("CLR-01", HIGH, "ClearML file server published beyond the private network",
          "The ClearML file server has no authentication in any version. Do not publish its port (8081) on"
              + " public interfaces; bind it to 127.0.0.1 or an internal network.",
          EXPLOIT_PUBLIC_FACING_APPLICATION, AI_SYSTEM);
  public static final Rule K8S_01 =
      Rule.of("K8S-01", HIGH, "Privileged container or privilege escalation allowed",
          "privileged: true or allowPrivilegeEscalation: true lets a compromised model server take the node."
              + " Aliases: kube-linter privileged-container, CKV_K8S_16, KSV-0017.",
          ESCAPE_TO_HOST, AI_SYSTEM);
  public static final Rule K8S_02 =
      Rule.of("K8S-02", HIGH, "Sensitive host path or shared model cache mounted",
          "hostPath volumes of /, /etc, the container runtime socket or a shared model cache let one pod read or"
              + " replace what others load. Use a PVC or an image. Alias: kube-linter sensitive-host-mounts, KSV-0023.",
          ESCAPE_TO_HOST, AI_SYSTEM);
  public static final Rule K8S_03 =
      Rule.of("K8S-03", HIGH, "Pod shares the host network, PID or IPC namespace",
          "hostNetwork, hostPID or hostIPC remove the isolation between the pod and the node."
              + " Aliases: KSV-0008, KSV-0009, KSV-0010.",
          ESCAPE_TO_HOST, AI_SYSTEM);
  public static final Rule K8S_04 =
      Rule.of("K8S-04", CRITICAL, "Secret written as a literal environment value",
          "A credential is set with env[].value in the manifest. Reference a Secret with valueFrom.secretKeyRef."
              + " Alias: kube-linter env-var-secret.",
          UNSECURED_CREDENTIALS, AI_SYSTEM);
  public static final Rule K8S_05 =
      Rule.of("K8S-05", HIGH, "Kubernetes Secret with data committed",
          "A Secret manifest with data or stringData is stored with the code. Use an external secret operator or"
              + " sealed secrets.",
          UNSECURED_CREDENTIALS, AI_SYSTEM);
  public static final Rule K8S_06 =
      Rule.of("K8S-06", MEDIUM, "Model-serving workloads without a NetworkPolicy",
          "The manifest deploys serving, notebook or Ray pods but defines no NetworkPolicy, so every pod in the"
              + " cluster can reach them. Evaluated per manifest file. Alias: kube-linter non-isolated-pod, CKV2_K8S_6.",
          EXPLOIT_PUBLIC_FACING_APPLICATION, AI_SYSTEM);
  public static final Rule K8S_07 =
      Rule.of("K8S-07", CRITICAL, "ML user interface exposed through a LoadBalancer",
          "A LoadBalancer Service publishes MLflow, Jupyter, Kubeflow, TensorBoard or an Istio ingress gateway to"
              + " the network (the Kubeflow cryptomining campaigns). Use ClusterIP behind an authenticating ingress.",
          EXPLOIT_PUBLIC_FACING_APPLICATION, AI_SYSTEM);
  public static final Rule VER_RAY =
      Rule.of("VER-RAY", CRITICAL, "Ray below the minimum safe version 2.54.0",
          "Ray before 2.54.0 has remote code execution, log leaks of the Redis password and unauthenticated"
              + " endpoints (CVE-2025-1979, CVE-2026-27482). Upgrade and turn on token authentication.",
          SUPPLY_CHAIN_SOFTWARE, AI_SYSTEM);
  public static final Rule VER_MLFLOW =
      Rule.of("VER-MLFLOW", HIGH, "MLflow below the minimum safe version 3.15.0",
          "MLflow before 3.15.0 has authentication bypasses and pickle-guard bypasses (CVE-2026-2652 and later)."
              + " Upgrade.",
          SUPPLY_CHAIN_SOFTWARE, AI_SYSTEM);
  public static final Rule VER_TORCHSERVE =
      Rule.of("VER-TORCHSERVE", HIGH, "TorchServe below 0.11.0",
          "TorchServe before 0.11.0 allows remote model registration and SSRF (CVE-2023-43654, CVE-2024-35198)."
              + " Upgrade, and plan to replace it.",
          SUPPLY_CHAIN_SOFTWARE, AI_SYSTEM);
  public static final Rule VER_TRITON =
      Rule.of("VER-TRITON", HIGH, "Triton Inference Server image older than 25.08",
          "Triton releases before 25.08 have remote code execution and denial-of-service flaws"
              + " (CVE-2025-23316, CVE-2025-23319). Use 25.08 or later.",
          SUPPLY_CHAIN_SOFTWARE, AI_SYSTEM);
  public static final Rule VER_BENTOML =
      Rule.of("VER-BENTOML", CRITICAL, "BentoML below 1.4.8",
          "BentoML before 1.4.8 deserialises request bodies into code execution (CVE-2025-27520, CVE-2025-32375)."
              + " Upgrade. Alias: BNT-01.",
          SUPPLY_CHAIN_SOFTWARE, AI_SYSTEM);
  public static final Rule VER_CLEARML =
      Rule.of("VER-CLEARML", HIGH, "ClearML SDK below 1.14.3",
          "The ClearML SDK before 1.14.3 unpickles artifacts on download (CVE-2024-24590). Upgrade.",
          SUPPLY_CHAIN_SOFTWARE, MLOPS_PIPELINE);
  public static final Rule VER_LLAMA_CPP =
      Rule.of("VER-LLAMA-CPP", HIGH, "llama-cpp-python below 0.2.72",
          "llama-cpp-python before 0.2.72 renders GGUF chat templates outside the sandbox (CVE-2024-34359)."
              + " Upgrade.",
          UNSAFE_AI_ARTIFACTS, AI_SYSTEM);
  public static final Rule VER_TORCH =
      Rule.of("VER-TORCH", HIGH, "PyTorch below 2.10",
          "torch.load in PyTorch before 2.10 can run code even with weights_only=True (CVE-2025-32434,"
              + " CVE-2026-24747). Upgrade and never fall back to weights_only=False.",
          UNSAFE_AI_ARTIFACTS, MLOPS_PIPELINE);

  private static final List<Rule> ALL = collect();
  private static final Set<String> IDS = ALL.stream().map(Rule::id).collect(Collectors.toUnmodifiableSet());

  public static List<Rule> all() {
    return ALL;
  }

  public static Set<String> ids() {
    return IDS;
  }

  private static List<Rule> collect() {
    return Rule.declaredIn(MisconfigRules.class);
  }
}
