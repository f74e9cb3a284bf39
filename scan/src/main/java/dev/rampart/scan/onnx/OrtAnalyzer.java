package dev.rampart.scan.onnx;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.flatbuffers.FlatBuffer;
import dev.rampart.scan.hf.MetadataCheck;
import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * ONNX Runtime's ORT format ({@code ORTM} flatbuffers, schema {@code ort.fbs}): every graph, subgraphs in node
 * attributes included, for operators from custom domains, and the metadata properties, as for ONNX protobufs.
 */
public final class OrtAnalyzer implements Analyzer {
  private static final Set<String> STANDARD_DOMAINS =
      Set.of("", "ai.onnx", "ai.onnx.ml", "ai.onnx.training", "ai.onnx.preview.training", "com.microsoft",
          "com.microsoft.nchwc", "com.microsoft.experimental", "com.microsoft.mlfeaturizers");
  private static final int MAX_VECTOR = 1_000_000;
  private static final long MAX_TABLES = 4_000_000;
  private static final int MAX_NAME = 4096;
  private static final int MAX_DEPTH = 32;

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var session = FlatBuffer.root(blob, "ORTM", MAX_VECTOR, MAX_TABLES);
    var model = session.table(1, "Model");
    if (model == null) {
      target.incomplete("ORT file holds no model");
      return;
    }
    int props = model.vectorLength(9);
    for (int i = 0; i < props; i++) {
      var entry = model.tableAt(9, i, "StringStringEntry");
      String key = entry.string(0, MAX_NAME);
      String value = entry.string(1, 1 << 20);
      MetadataCheck.check(target, "metadata_props." + key, value == null ? "" : value);
    }
    var custom = new TreeMap<String, TreeSet<String>>();
    var graph = model.table(7, "Graph");
    if (graph != null) {
      graph(target, graph, custom, 0);
    }
    custom.forEach((domain, ops) ->
        target.report(ScanRules.ONNX_CUSTOM_OP, "domain '" + domain + "' operators " + String.join(", ", ops)));
  }

  private void graph(Target target, FlatBuffer.Table graph, TreeMap<String, TreeSet<String>> custom, int depth)
      throws IOException {
    if (depth > MAX_DEPTH) {
      target.incomplete("ORT subgraphs nested deeper than " + MAX_DEPTH);
      return;
    }
    int nodes = graph.vectorLength(2);
    for (int i = 0; i < nodes; i++) {
      target.checkDeadline();
      var node = graph.tableAt(2, i, "Node");
      String domain = node.string(2, MAX_NAME);
      String op = node.string(5, MAX_NAME);
      if (domain != null && !STANDARD_DOMAINS.contains(domain)) {
        custom.computeIfAbsent(domain, d -> new TreeSet<>()).add(op == null ? "?" : op);
      }
      int attributes = node.vectorLength(10);
      for (int a = 0; a < attributes; a++) {
        var attribute = node.tableAt(10, a, "Attribute");
        var g = attribute.table(7, "Graph");
        if (g != null) {
          graph(target, g, custom, depth + 1);
        }
        int graphs = attribute.vectorLength(12);
        for (int k = 0; k < graphs; k++) {
          graph(target, attribute.tableAt(12, k, "Graph"), custom, depth + 1);
        }
      }
    }
  }
}
