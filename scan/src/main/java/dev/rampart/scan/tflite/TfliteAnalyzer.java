package dev.rampart.scan.tflite;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.flatbuffers.FlatBuffer;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.tensorflow.GraphOps;
import java.io.IOException;
import java.util.TreeSet;

/**
 * TensorFlow Lite flatbuffers ({@code TFL3}), read against the published schema: custom operators (native code the
 * application registers), TF Select ({@code Flex}) operators that run full TensorFlow kernels such as file and
 * Python ops, and operator, tensor and buffer references that point outside their tables.
 */
public final class TfliteAnalyzer implements Analyzer {
  private static final int CUSTOM = 32;
  private static final int MAX_VECTOR = 1_000_000;
  private static final long MAX_TABLES = 2_000_000;
  private static final int MAX_NAME = 4096;

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var model = FlatBuffer.root(blob, "TFL3", MAX_VECTOR, MAX_TABLES);
    int codes = model.vectorLength(1);
    var custom = new TreeSet<String>();
    for (int i = 0; i < codes; i++) {
      var code = model.tableAt(1, i, "OperatorCode");
      int builtin = Math.max(code.int8(0, 0), (int) code.int32(3, 0));
      if (builtin != CUSTOM) {
        continue;
      }
      String name = code.string(1, MAX_NAME);
      name = name == null ? "(unnamed)" : name;
      var risk = name.startsWith("Flex") ? GraphOps.riskOf(name.substring(4)) : null;
      if (risk != null) {
        target.report(risk, "TF Select operator " + name + " runs the TensorFlow kernel " + name.substring(4));
      } else {
        custom.add(name);
      }
    }
    if (!custom.isEmpty()) {
      target.report(ScanRules.MODEL_CUSTOM_OP, "custom operators " + String.join(", ", custom));
    }
    int buffers = model.vectorLength(4);
    for (int i = 0; i < buffers; i++) {
      target.checkDeadline();
      var buffer = model.tableAt(4, i, "Buffer");
      buffer.checkedVector(0, 1);
      long offset = buffer.int64(1, 0);
      long size = buffer.int64(2, 0);
      if (offset != 0 && (offset < 0 || size < 0 || offset > blob.size() || size > blob.size() - offset)) {
        target.report(ScanRules.MODEL_STRUCTURE, "buffer " + i + " points at " + size + " bytes at offset " + offset
            + ", outside the " + blob.size() + "-byte file");
      }
    }
    int subgraphs = model.vectorLength(2);
    for (int s = 0; s < subgraphs; s++) {
      var subgraph = model.tableAt(2, s, "SubGraph");
      int operators = subgraph.vectorLength(3);
      for (int o = 0; o < operators; o++) {
        target.checkDeadline();
        long index = Integer.toUnsignedLong((int) subgraph.tableAt(3, o, "Operator").int32(0, 0));
        if (index >= codes) {
          target.report(ScanRules.MODEL_STRUCTURE,
              "subgraph " + s + " operator " + o + " uses operator code " + index + " of " + codes);
        }
      }
      int tensors = subgraph.vectorLength(0);
      for (int t = 0; t < tensors; t++) {
        long buffer = Integer.toUnsignedLong((int) subgraph.tableAt(0, t, "Tensor").int32(2, 0));
        if (buffer >= buffers && !(buffer == 0 && buffers == 0)) {
          target.report(ScanRules.MODEL_STRUCTURE, "subgraph " + s + " tensor " + t + " uses buffer " + buffer + " of " + buffers);
        }
      }
    }
  }
}
