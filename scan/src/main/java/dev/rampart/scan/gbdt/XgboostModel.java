package dev.rampart.scan.gbdt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;

/**
 * XGBoost JSON and UBJSON models (schema {@code doc/model.schema}). They hold numbers and names only; XGBoost's
 * loader trusts the node arrays, so every tree is checked as the loader indexes it: each array as long as
 * {@code num_nodes}, children inside the tree, split features below {@code num_feature}.
 */
public final class XgboostModel {
  private static final String[] NODE_ARRAYS =
      {"left_children", "right_children", "parents", "split_indices", "split_conditions", "default_left",
          "loss_changes", "sum_hessian"};
  private static final int MAX_REPORTED = 20;

  private XgboostModel() {}

  public static boolean is(JsonNode root) {
    return root.isObject() && root.path("learner").isObject() && root.path("version").isArray();
  }

  public static void check(Target target, JsonNode root) {
    JsonNode learner = root.path("learner");
    long features = asLong(learner.path("learner_model_param").path("num_feature"), Long.MAX_VALUE);
    JsonNode booster = learner.path("gradient_booster");
    JsonNode model = booster.path("model").isObject() ? booster.path("model") : booster.path("gbtree").path("model");
    JsonNode trees = model.path("trees");
    if (!trees.isArray()) {
      if (!booster.path("name").asText("").equals("gblinear")) {
        target.report(ScanRules.MODEL_STRUCTURE, "XGBoost model without a trees array");
      }
      return;
    }
    int reported = 0;
    for (int t = 0; t < trees.size() && reported < MAX_REPORTED; t++) {
      String problem = treeProblem(trees.get(t), features);
      if (problem != null) {
        reported++;
        target.report(ScanRules.MODEL_STRUCTURE, "tree " + t + ": " + problem);
      }
    }
  }

  private static String treeProblem(JsonNode tree, long features) {
    long nodes = asLong(tree.path("tree_param").path("num_nodes"), -1);
    if (nodes < 1) {
      return "num_nodes is missing or not positive";
    }
    for (String key : NODE_ARRAYS) {
      JsonNode a = tree.path(key);
      if (!a.isArray() || a.size() != nodes) {
        return key + " has " + (a.isArray() ? a.size() : 0) + " entries, num_nodes is " + nodes;
      }
    }
    JsonNode left = tree.path("left_children");
    JsonNode right = tree.path("right_children");
    JsonNode split = tree.path("split_indices");
    for (int i = 0; i < nodes; i++) {
      long l = left.get(i).asLong();
      long r = right.get(i).asLong();
      for (long child : new long[] {l, r}) {
        if (child != -1 && (child <= i || child >= nodes)) {
          return "node " + i + " has child " + child + " outside 1.." + (nodes - 1);
        }
      }
      if (l != -1) {
        long f = split.get(i).asLong();
        if (f < 0 || f >= features) {
          return "node " + i + " splits on feature " + f + ", the model has " + features;
        }
      }
    }
    return null;
  }

  private static long asLong(JsonNode n, long otherwise) {
    if (n.isNumber()) {
      return n.asLong();
    }
    try {
      return n.isTextual() ? Long.parseLong(n.asText().trim()) : otherwise;
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
