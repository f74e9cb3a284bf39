package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes admission webhook against a real server: AdmissionReview documents shaped as the Kubernetes API
 * reference gives them (admission.k8s.io/v1), for Pods and KServe InferenceServices, with the audit entries they leave.
 */
class KubernetesAdmissionTest extends ServerFixture {
  static final String WEBHOOK = "/api/v1/projects/iris/environments/staging/kubernetes/admission";
  String webhookToken;
  String approved;

  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0);
  }

  @BeforeEach
  void approveOneVersion() throws Exception {
    registerLineage();
    var v1 = upload(alice, "iris-classifier", benignModel("m1", "{\"labels\":3}"), true, true);
    approved = v1.get("digest").asText().replaceFirst("^sha256:", "");
    deploy("iris-classifier", 1, "staging");
    var t = http.post("/api/v1/tokens", admin, Map.of("principal", "deploy-bot", "scopes", "admission", "ttlDays", 7));
    assertThat(t.status()).as(t.body()).isEqualTo(201);
    webhookToken = t.json().get("token").asText();
  }

  /** An AdmissionReview request as the API server sends it (fields from the admission.k8s.io/v1 reference). */
  static String review(String uid, String group, String version, String kind, String resource, String operation, boolean dryRun,
      String object) {
    return """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "%s",
           "kind": {"group": "%s", "version": "%s", "kind": "%s"},
           "resource": {"group": "%s", "version": "%s", "resource": "%s"},
           "requestKind": {"group": "%s", "version": "%s", "kind": "%s"},
           "requestResource": {"group": "%s", "version": "%s", "resource": "%s"},
           "name": "iris", "namespace": "ml-staging", "operation": "%s",
           "userInfo": {"username": "system:serviceaccount:ml-staging:deployer", "groups": ["system:serviceaccounts"]},
           "object": %s, "oldObject": null, "dryRun": %s,
           "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}}}
        """.formatted(uid, group, version, kind, group, version, resource, group, version, kind, group, version, resource,
        operation, object, dryRun);
  }

  static String pod(String annotations) {
    return """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "iris", "namespace": "ml-staging", "annotations": {%s}},
         "spec": {"containers": [{"name": "server", "image": "registry.example.com/iris-server:1.4"}]}}
        """.formatted(annotations);
  }

  static String podReview(String uid, String annotations) {
    return review(uid, "", "v1", "Pod", "pods", "CREATE", false, pod(annotations));
  }

  static String inferenceService(String annotations, String storageUri) {
    return """
        {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
         "metadata": {"name": "iris", "namespace": "ml-staging", "annotations": {%s}},
         "spec": {"predictor": {"model": {"modelFormat": {"name": "onnx"}, "storageUri": "%s"}}}}
        """.formatted(annotations, storageUri);
  }

  static String isvcReview(String uid, String annotations, String storageUri) {
    return review(uid, "serving.kserve.io", "v1beta1", "InferenceService", "inferenceservices", "CREATE", false,
        inferenceService(annotations, storageUri));
  }

  JsonNode response(String body) {
    var r = http.post(WEBHOOK, webhookToken, body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    var json = r.json();
    assertThat(json.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(json.get("kind").asText()).isEqualTo("AdmissionReview");
    return json.get("response");
  }

  List<String> auditSince(long from) {
    var entries = http.get("/api/v1/audit/entries?format=text&limit=1000&from=" + from, admin).json().get("entries");
    var out = new java.util.ArrayList<String>();
    entries.forEach(e -> out.add(e.asText()));
    return out;
  }

  long auditSize() {
    return http.get("/api/v1/audit/entries?limit=1", admin).json().get("size").asLong();
  }

  @Test
  void aPodDeclaringTheApprovedDigestIsAllowedAndAudited() {
    long before = auditSize();
    String uid = UUID.randomUUID().toString();
    var r = response(podReview(uid, "\"rampart.dev/model-digest\": \"sha256:" + approved + "\""));
    assertThat(r.get("uid").asText()).isEqualTo(uid);
    assertThat(r.get("allowed").asBoolean()).as(r.toString()).isTrue();
    assertThat(auditSince(before)).singleElement().satisfies(e -> assertThat(e).contains("\"type\":\"admission.allowed\"")
        .contains(approved).contains("\"environment\":\"staging\"").contains("\"actor\":\"deploy-bot\""));
  }

  @Test
  void aPodDeclaringAnotherDigestIsDeniedWithTheAdmissionReason() {
    long before = auditSize();
    var r = response(podReview("u-2", "\"rampart.dev/model-digest\": \"sha256:" + "b".repeat(64) + "\""));
    assertThat(r.get("uid").asText()).isEqualTo("u-2");
    assertThat(r.get("allowed").asBoolean()).isFalse();
    assertThat(r.at("/status/code").asInt()).isEqualTo(403);
    assertThat(r.at("/status/message").asText()).contains("Pod ml-staging/iris").contains("not the version approved for staging");
    assertThat(auditSince(before)).singleElement().satisfies(e -> assertThat(e).contains("\"type\":\"admission.denied\"")
        .contains("b".repeat(64)));
  }

  @Test
  void anObjectDeclaringNoDigestIsDeniedAndAudited() {
    long before = auditSize();
    var r = response(podReview("u-3", ""));
    assertThat(r.get("allowed").asBoolean()).isFalse();
    assertThat(r.at("/status/message").asText()).contains("declares no model digest").contains("rampart.dev/model-digest");
    assertThat(auditSince(before)).singleElement().satisfies(e -> assertThat(e)
        .contains("\"type\":\"kubernetes.admission.denied\"").contains("\"uid\":\"u-3\"").contains("Pod ml-staging/iris"));
    var notDigest = response(podReview("u-4", "\"rampart.dev/model-digest\": \"latest\""));
    assertThat(notDigest.get("allowed").asBoolean()).isFalse();
    assertThat(notDigest.at("/status/message").asText()).contains("not a digest");
  }

  @Test
  void everyDeclaredDigestMustBeApproved() {
    var both = response(podReview("u-5", "\"rampart.dev/model-digest\": \"sha256:" + approved + ", sha256:" + "c".repeat(64) + "\""));
    assertThat(both.get("allowed").asBoolean()).isFalse();
    assertThat(both.at("/status/message").asText()).contains("c".repeat(64));
  }

  @Test
  void anAnnotationNamingAnotherEnvironmentOrProjectIsRefusedNotTrusted() {
    var r = response(podReview("u-6", "\"rampart.dev/model-digest\": \"sha256:" + approved + "\", \"rampart.dev/environment\": \"dev\""));
    assertThat(r.get("allowed").asBoolean()).isFalse();
    assertThat(r.at("/status/message").asText()).contains("rampart.dev/environment=dev disagrees");
    var project = response(podReview("u-7", "\"rampart.dev/model-digest\": \"sha256:" + approved + "\", \"rampart.dev/project\": \"other\""));
    assertThat(project.get("allowed").asBoolean()).isFalse();
    var same = response(podReview("u-8", "\"rampart.dev/model-digest\": \"sha256:" + approved
        + "\", \"rampart.dev/project\": \"iris\", \"rampart.dev/environment\": \"staging\""));
    assertThat(same.get("allowed").asBoolean()).as(same.toString()).isTrue();
  }

  @Test
  void inferenceServicesDeclareTheDigestInTheirStorageUriOrTheAnnotation() {
    var pinned = response(isvcReview("i-1", "", "s3://models/iris@sha256:" + approved));
    assertThat(pinned.get("allowed").asBoolean()).as(pinned.toString()).isTrue();
    var segment = response(isvcReview("i-2", "", "gs://models/iris/sha256:" + approved + "/"));
    assertThat(segment.get("allowed").asBoolean()).as(segment.toString()).isTrue();
    var unpinned = response(isvcReview("i-3", "", "s3://models/iris/latest"));
    assertThat(unpinned.get("allowed").asBoolean()).isFalse();
    assertThat(unpinned.at("/status/message").asText()).contains("storageUri s3://models/iris/latest declares no model digest");
    var annotated = response(isvcReview("i-4", "\"rampart.dev/model-digest\": \"sha256:" + approved + "\"", "s3://models/iris/v1"));
    assertThat(annotated.get("allowed").asBoolean()).isTrue();
    // an OCI digest names an image manifest, not the model: it needs the annotation and is not taken for one
    var oci = response(isvcReview("i-5", "", "oci://registry.example.com/iris@sha256:" + approved));
    assertThat(oci.get("allowed").asBoolean()).isFalse();
    var wrong = response(isvcReview("i-6", "\"rampart.dev/model-digest\": \"sha256:" + approved + "\"",
        "s3://models/iris@sha256:" + "d".repeat(64)));
    assertThat(wrong.get("allowed").asBoolean()).as("a pinned URI is checked even beside the annotation").isFalse();
  }

  @Test
  void aDryRunGetsTheSameAnswerForTheSameUid() {
    String object = pod("\"rampart.dev/model-digest\": \"sha256:" + approved + "\"");
    var r = response(review("dry-1", "", "v1", "Pod", "pods", "CREATE", true, object));
    assertThat(r.get("uid").asText()).isEqualTo("dry-1");
    assertThat(r.get("allowed").asBoolean()).isTrue();
    var denied = response(review("dry-2", "", "v1", "Pod", "pods", "CREATE", true, pod("")));
    assertThat(denied.get("allowed").asBoolean()).isFalse();
  }

  @Test
  void malformedReviewsAreDeniedNeverAllowed() {
    for (String body : List.of("{not json", "[]", "{\"apiVersion\": \"admission.k8s.io/v1beta1\", \"kind\": \"AdmissionReview\", "
        + "\"request\": {\"uid\": \"x\"}}", "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\"}",
        "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\", \"request\": {\"uid\": 7}}")) {
      var r = http.post(WEBHOOK, webhookToken, body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().at("/response/allowed").asBoolean(true)).as(body).isFalse();
    }
    var noKind = response("{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\", \"request\": {\"uid\": \"m-1\"}}");
    assertThat(noKind.get("uid").asText()).isEqualTo("m-1");
    assertThat(noKind.get("allowed").asBoolean()).isFalse();
    assertThat(noKind.at("/status/code").asInt()).isEqualTo(400);
    var deployment = response(review("m-2", "apps", "v1", "Deployment", "deployments", "CREATE", false,
        "{\"metadata\": {\"annotations\": {\"rampart.dev/model-digest\": \"sha256:" + approved + "\"}}}"));
    assertThat(deployment.get("allowed").asBoolean()).isFalse();
    assertThat(deployment.at("/status/message").asText()).contains("not a kind Rampart reviews");
    var status = response(review("m-3", "", "v1", "Pod", "pods", "UPDATE", false, pod("")).replace("\"operation\"",
        "\"subResource\": \"status\", \"operation\""));
    assertThat(status.get("allowed").asBoolean()).isFalse();
    var delete = response(review("m-4", "", "v1", "Pod", "pods", "DELETE", false, "null"));
    assertThat(delete.get("allowed").asBoolean()).isFalse();
    assertThat(delete.at("/status/message").asText()).contains("operation DELETE is not reviewed");
  }

  @Test
  void anObjectBeingDeletedMayDropItsFinalizers() {
    String leaving = inferenceService("", "s3://models/iris/latest").replace("\"name\": \"iris\",",
        "\"name\": \"iris\", \"deletionTimestamp\": \"2026-12-07T22:00:00Z\",");
    var r = response(review("del-1", "serving.kserve.io", "v1beta1", "InferenceService", "inferenceservices", "UPDATE", false, leaving));
    assertThat(r.get("allowed").asBoolean()).as(r.toString()).isTrue();
  }

  @Test
  void theApiServerMustAuthenticateWithAnAdmissionTokenOfAMember() {
    String body = podReview("a-1", "\"rampart.dev/model-digest\": \"sha256:" + approved + "\"");
    assertThat(http.post(WEBHOOK, null, body).status()).isEqualTo(401);
    var readOnly = http.post("/api/v1/tokens", admin, Map.of("principal", "dave", "scopes", "read", "ttlDays", 1)).json();
    assertThat(http.post(WEBHOOK, readOnly.get("token").asText(), body).status()).isEqualTo(403);
    // an unknown project (or one the token's owner is not a member of) fails the call: failurePolicy Fail denies
    assertThat(http.post("/api/v1/projects/nope/environments/staging/kubernetes/admission", webhookToken, body).status())
        .isEqualTo(404);
    // an unknown environment is the admission endpoint's refusal, answered as a denial the API server can show
    var r = http.post("/api/v1/projects/iris/environments/nowhere/kubernetes/admission", webhookToken, body);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/response/allowed").asBoolean()).isFalse();
    assertThat(r.json().at("/response/status/message").asText()).contains("nowhere");
  }

  @Test
  void theExampleWebhookConfigurationFailsClosedAndCallsThisEndpoint() throws Exception {
    var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    JsonNode config = yaml.readTree(Path.of("../deploy/kubernetes/webhook.yaml").toFile());
    assertThat(config.get("kind").asText()).isEqualTo("ValidatingWebhookConfiguration");
    JsonNode hook = config.at("/webhooks/0");
    assertThat(hook.get("failurePolicy").asText()).isEqualTo("Fail");
    assertThat(hook.get("sideEffects").asText()).isEqualTo("None");
    assertThat(hook.get("admissionReviewVersions").toString()).isEqualTo("[\"v1\"]");
    assertThat(hook.at("/namespaceSelector/matchLabels").size()).isPositive();
    assertThat(hook.get("rules").findValuesAsText("apiGroups").toString() + hook.get("rules").toString())
        .contains("serving.kserve.io", "inferenceservices", "pods");
    assertThat(hook.get("rules").toString()).doesNotContain("DELETE", "/status");
    String path = hook.at("/clientConfig/service/path").asText();
    assertThat(path).isEqualTo("/api/v1/projects/iris/environments/production/kubernetes/admission");
    // the server answers on that path (production has no approved version here, so the answer is a denial)
    var r = http.post(path, webhookToken, podReview("cfg-1", "\"rampart.dev/model-digest\": \"sha256:" + approved + "\""));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().at("/response/uid").asText()).isEqualTo("cfg-1");
    assertThat(r.json().at("/response/allowed").asBoolean()).isFalse();
    assertThat(r.json().at("/response/status/message").asText()).contains("no version is approved for production");
  }
}
