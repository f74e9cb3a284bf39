package dev.rampart.scan.gbdt;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.LimitExceededException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * LightGBM text models ({@code tree\nversion=...}). The format holds numbers only, but LightGBM's C++ reader trusts
 * the array lengths and child indices it reads (out-of-bounds reads on hostile files), so every tree is checked the
 * way the reader indexes it: internal-node arrays of {@code num_leaves - 1}, leaf arrays of {@code num_leaves},
 * children and split features in range.
 */
public final class LightGbmAnalyzer implements Analyzer {
  private static final int MAX_LINE = 64 * 1024 * 1024;
  private static final int MAX_TREES = 1_000_000;
  private static final int MAX_REPORTED = 20;
  private static final String[] INTERNAL =
      {"split_feature", "split_gain", "threshold", "decision_type", "left_child", "right_child", "internal_value",
          "internal_weight", "internal_count"};
  private static final String[] LEAVES = {"leaf_value", "leaf_weight", "leaf_count"};

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var header = new HashMap<String, String>();
    Map<String, String> tree = null;
    String treeName = "";
    int trees = 0;
    int[] reported = {0};
    boolean ended = false;
    try (var in = new BufferedReader(new InputStreamReader(blob.openStream(), StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = readLine(in)) != null) {
        if (line.startsWith("Tree=")) {
          if (tree != null) {
            checkTree(target, treeName, tree, header, reported);
          }
          if (++trees > MAX_TREES) {
            throw new LimitExceededException("LightGBM trees", MAX_TREES);
          }
          target.checkDeadline();
          tree = new HashMap<>();
          treeName = line;
        } else if (line.equals("end of trees")) {
          if (tree != null) {
            checkTree(target, treeName, tree, header, reported);
          }
          tree = null;
          ended = true;
          break;
        } else {
          int eq = line.indexOf('=');
          if (eq > 0) {
            (tree == null ? header : tree).put(line.substring(0, eq), line.substring(eq + 1));
          }
        }
      }
    }
    if (!ended) {
      target.report(ScanRules.MODEL_STRUCTURE, "the model has no 'end of trees' line: it is truncated");
    }
    String declared = header.get("tree_sizes");
    if (declared != null && !declared.isBlank() && declared.trim().split("\\s+").length != trees) {
      target.report(ScanRules.MODEL_STRUCTURE,
          "tree_sizes lists " + declared.trim().split("\\s+").length + " trees, the model holds " + trees);
    }
  }

  /** One line, refused past {@link #MAX_LINE} characters before it is held in memory. */
  private static String readLine(BufferedReader in) throws IOException {
    var line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        break;
      }
      if (line.length() >= MAX_LINE) {
        throw new LimitExceededException("LightGBM line length", MAX_LINE);
      }
      line.append((char) c);
    }
    if (c < 0 && line.isEmpty()) {
      return null;
    }
    int last = line.length() - 1;
    return last >= 0 && line.charAt(last) == '\r' ? line.substring(0, last) : line.toString();
  }

  private static void checkTree(Target target, String name, Map<String, String> tree, Map<String, String> header,
      int[] reported) {
    try {
      long leaves = Long.parseLong(tree.getOrDefault("num_leaves", "").trim());
      if (leaves < 1 || leaves > Integer.MAX_VALUE) {
        problem(target, name + ": num_leaves " + leaves, reported);
        return;
      }
      if (leaves == 1) {
        return;
      }
      for (String key : INTERNAL) {
        long n = count(tree.get(key));
        if (n != leaves - 1) {
          problem(target, name + ": " + key + " has " + n + " values, num_leaves " + leaves + " needs " + (leaves - 1), reported);
          return;
        }
      }
      for (String key : LEAVES) {
        if (tree.containsKey(key) && count(tree.get(key)) != leaves) {
          problem(target, name + ": " + key + " has " + count(tree.get(key)) + " values, num_leaves needs " + leaves, reported);
          return;
        }
      }
      long maxFeature = Long.parseLong(header.getOrDefault("max_feature_idx", String.valueOf(Integer.MAX_VALUE)).trim());
      for (String f : tree.get("split_feature").trim().split("\\s+")) {
        long v = Long.parseLong(f);
        if (v < 0 || v > maxFeature) {
          problem(target, name + ": split feature " + v + " outside 0.." + maxFeature, reported);
          return;
        }
      }
      for (String side : new String[] {"left_child", "right_child"}) {
        for (String c : tree.get(side).trim().split("\\s+")) {
          long child = Long.parseLong(c);
          boolean ok = child >= 0 ? child < leaves - 1 : ~child < leaves;
          if (!ok) {
            problem(target, name + ": " + side + " " + child + " points outside a tree of " + leaves + " leaves", reported);
            return;
          }
        }
      }
    } catch (NumberFormatException e) {
      problem(target, name + ": a count or index is not an integer (" + e.getMessage() + ")", reported);
    }
  }

  private static long count(String values) {
    return values == null || values.isBlank() ? 0 : values.trim().split("\\s+").length;
  }

  private static void problem(Target target, String evidence, int[] reported) {
    if (reported[0]++ < MAX_REPORTED) {
      target.report(ScanRules.MODEL_STRUCTURE, evidence);
    }
  }
}
