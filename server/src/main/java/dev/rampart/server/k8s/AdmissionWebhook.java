package dev.rampart.server.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.server.Json;
import dev.rampart.server.admission.Admission;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.domain.RampartException;
import dev.rampart.server.store.Writes;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * A Kubernetes ValidatingAdmissionWebhook: answers {@code admission.k8s.io/v1} AdmissionReviews for Pods and KServe
 * InferenceServices by asking {@link Admission} about every model digest the object declares, so a cluster admits
 * exactly what the admission endpoint would, with the same audit entries. Fails closed: a review that cannot be read, an
 * object that declares no digest, or one Rampart cannot decide on is denied with the reason, never allowed.
 */
public final class AdmissionWebhook {
  private final Admission admission;
  private final Writes writes;
  private final AuditLog audit;

  public AdmissionWebhook(Admission admission, Writes writes, AuditLog audit) {
    this.admission = admission;
    this.writes = writes;
    this.audit = audit;
  }

  /** Answers one review posted to the webhook of {@code project}/{@code environment} by the (authenticated) API server. */
  public void handle(Context ctx, String project, String environment, Principal by) {
    JsonNode body;
    try {
      body = Json.request(ctx.bodyAsBytes());
    } catch (RampartException e) {
      answer(ctx, 400, null, false, 400, e.getMessage());
      return;
    }
    switch (Review.parse(body)) {
      case Review.Malformed m -> {
        // with a uid the API server can read the denial; without one it cannot, and its failurePolicy (Fail) denies
        answer(ctx, m.uid() == null ? 400 : 200, m.uid(), false, 400, m.message());
        refused(null, m.uid(), project, environment, m.message(), by);
      }
      case Review.Valid v -> decide(ctx, v.review(), project, environment, by);
    }
  }

  private void decide(Context ctx, Review r, String project, String environment, Principal by) {
    String refusal = preconditions(r);
    if (refusal == null && isBeingDeleted(r)) {
      // finalizers are removed by updates while the object is deleted: refusing them would leave it stuck, and
      // nothing new is loaded by an object on its way out
      answer(ctx, 200, r.uid(), true, 200, "the " + r.kind().kind() + " is being deleted");
      return;
    }
    if (refusal == null) {
      switch (Declarations.of(r.kind(), r.object(), project, environment)) {
        case Declarations.Refused no -> refusal = no.reason();
        case Declarations.Digests yes -> {
          var denials = new ArrayList<String>();
          for (String digest : yes.digests()) {
            try {
              JsonNode verdict = admission.check(project, environment, digest, by);
              if (!verdict.path("allowed").asBoolean(false)) {
                denials.add(verdict.path("reason").asText());
              }
            } catch (RampartException e) {
              denials.add("sha256:" + digest + ": " + e.getMessage());
            }
          }
          if (denials.isEmpty()) {
            answer(ctx, 200, r.uid(), true, 200, "admitted into " + project + "/" + environment + ": " + yes.digests().size()
                + " model digest(s) approved");
          } else {
            answer(ctx, 200, r.uid(), false, 403, "Rampart denies " + describe(r) + " in " + project + "/" + environment + ": "
                + String.join("; ", denials));
          }
          return;
        }
      }
    }
    String message = "Rampart denies " + describe(r) + ": " + refusal;
    answer(ctx, 200, r.uid(), false, 403, message);
    refused(r, r.uid(), project, environment, refusal, by);
  }

  /** What must hold before the object's declarations are read; null when it does. */
  private static String preconditions(Review r) {
    if (!r.subResource().isEmpty()) {
      return "subresource " + Declarations.preview(r.subResource()) + " is not reviewed; the webhook's rules should name the "
          + "resource alone";
    }
    if (!r.operation().equals("CREATE") && !r.operation().equals("UPDATE")) {
      return "operation " + Declarations.preview(r.operation()) + " is not reviewed; the webhook's rules should name CREATE "
          + "and UPDATE only";
    }
    if (r.object() == null || !r.object().isObject()) {
      return "the review carries no object";
    }
    return null;
  }

  private static boolean isBeingDeleted(Review r) {
    return r.operation().equals("UPDATE") && r.object().path("metadata").path("deletionTimestamp").isTextual();
  }

  private static String describe(Review r) {
    String name = r.name().isEmpty() ? r.object() == null ? "" : r.object().path("metadata").path("name").asText("")
        : r.name();
    String generated = r.object() == null ? "" : r.object().path("metadata").path("generateName").asText("");
    return r.kind().kind() + " " + Declarations.preview(r.namespace().isEmpty() ? "" : r.namespace() + "/")
        + Declarations.preview(name.isEmpty() ? generated + "*" : name);
  }

  /** A refusal before any digest was decided on is audited too: the cluster asked, and Rampart said no. */
  private void refused(Review r, String uid, String project, String environment, String reason, Principal by) {
    var details = new LinkedHashMap<String, Object>();
    details.put("project", project);
    details.put("environment", environment);
    details.put("uid", uid == null ? "" : uid);
    details.put("reason", reason);
    if (r != null) {
      details.put("kind", r.kind().toString());
      details.put("object", describe(r));
      details.put("operation", r.operation());
      details.put("dryRun", r.dryRun());
    }
    writes.append(h -> audit.append(h, "kubernetes.admission.denied", by.name(), details));
  }

  private static void answer(Context ctx, int httpStatus, String uid, boolean allowed, int code, String message) {
    ObjectNode review = Json.MAPPER.createObjectNode();
    review.put("apiVersion", Review.API_VERSION);
    review.put("kind", "AdmissionReview");
    ObjectNode response = review.putObject("response");
    if (uid != null) {
      response.put("uid", uid);
    }
    response.put("allowed", allowed);
    ObjectNode status = response.putObject("status");
    status.put("code", code);
    status.put("message", message);
    if (!allowed) {
      status.put("reason", code == 400 ? "BadRequest" : "Forbidden");
    }
    ctx.status(httpStatus).contentType("application/json").result(Json.write(review));
  }
}
