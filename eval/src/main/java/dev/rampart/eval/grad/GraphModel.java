package dev.rampart.eval.grad;

import dev.rampart.eval.grad.OnnxGraph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An ONNX classifier that Rampart runs and differentiates itself, in plain Java over float arrays: the forward pass
 * keeps every intermediate value, and the reverse pass carries the gradient of the cross-entropy from the logits back
 * to the input rows. The logits are the classifier's output, or the input of a final Softmax. Rows are in the data's
 * units; the declared preprocessing ({@code (x - offset) / scale}) is part of the differentiated function.
 */
public final class GraphModel {
  static final Set<String> SUPPORTED = Set.of("Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh",
      "Softmax", "LogSoftmax", "Gemm", "MatMul", "Flatten", "Reshape", "Identity", "Dropout", "Constant", "Conv",
      "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization", "Concat");

  private final OnnxGraph graph;
  private final String input;
  private final String logits;
  private final int[] shape;
  private final float[] offset;
  private final float[] scale;
  private final Set<String> live;

  private GraphModel(OnnxGraph graph, String input, String logits, int[] shape, float[] offset, float[] scale,
      Set<String> live) {
    this.graph = graph;
    this.input = input;
    this.logits = logits;
    this.shape = shape;
    this.offset = offset;
    this.scale = scale;
    this.live = live;
  }

  /**
   * @param output the graph output the classifier reads
   * @param shape the input shape after the batch dimension
   * @param offset per-feature preprocessing offsets
   * @param scale per-feature preprocessing scales
   */
  public static GraphModel load(byte[] model, String output, long[] shape, float[] offset, float[] scale)
      throws UnsupportedGraph {
    var graph = OnnxGraph.parse(model);
    var missing = new TreeSet<String>();
    for (var n : graph.nodes()) {
      if (!SUPPORTED.contains(n.op())) {
        missing.add(n.op());
      }
    }
    if (!missing.isEmpty()) {
      throw new UnsupportedGraph("operators without gradients in Rampart: " + String.join(", ", missing));
    }
    if (graph.inputs().size() != 1) {
      throw new UnsupportedGraph("the graph has inputs " + graph.inputs() + "; one is needed");
    }
    if (!graph.outputs().contains(output)) {
      throw new UnsupportedGraph("the graph has no output '" + output + "'");
    }
    String in = graph.inputs().get(0);
    Set<String> live = new HashSet<>(Set.of(in));
    for (var n : graph.nodes()) {
      if (n.inputs().stream().anyMatch(live::contains)) {
        live.addAll(n.outputs());
      }
    }
    if (!live.contains(output)) {
      throw new UnsupportedGraph("the output does not depend on the input");
    }
    String logits = output;
    for (var n : graph.nodes()) {
      if (n.outputs().contains(output) && n.op().equals("Softmax")) {
        logits = n.input(0);
      }
    }
    int[] dims = new int[shape.length];
    for (int k = 0; k < shape.length; k++) {
      dims[k] = Math.toIntExact(shape[k]);
    }
    return new GraphModel(graph, in, logits, dims, offset.clone(), scale.clone(), Set.copyOf(live));
  }

  /** The cross-entropy of each row's logits against its label, the logits, and the gradient of the loss by row. */
  public record Gradient(float[] loss, float[][] logits, float[][] input) {}

  /** Rows per pass: memory stays that of the batch the forward pass was checked on. */
  static final int CHUNK = 256;

  /** Logits for each row. */
  public float[][] logits(float[][] rows) throws UnsupportedGraph {
    float[][] out = new float[rows.length][];
    for (int start = 0; start < rows.length; start += CHUNK) {
      float[][] part = rowsOf(forward(java.util.Arrays.copyOfRange(rows, start, Math.min(rows.length, start + CHUNK)))
          .get(logits));
      System.arraycopy(part, 0, out, start, part.length);
    }
    return out;
  }

  public Gradient gradient(float[][] rows, int[] labels) throws UnsupportedGraph {
    if (rows.length <= CHUNK) {
      return chunk(rows, labels);
    }
    float[] loss = new float[rows.length];
    float[][] z = new float[rows.length][];
    float[][] grad = new float[rows.length][];
    for (int start = 0; start < rows.length; start += CHUNK) {
      int end = Math.min(rows.length, start + CHUNK);
      var part = chunk(java.util.Arrays.copyOfRange(rows, start, end), java.util.Arrays.copyOfRange(labels, start, end));
      System.arraycopy(part.loss(), 0, loss, start, end - start);
      System.arraycopy(part.logits(), 0, z, start, end - start);
      System.arraycopy(part.input(), 0, grad, start, end - start);
    }
    return new Gradient(loss, z, grad);
  }

  private Gradient chunk(float[][] rows, int[] labels) throws UnsupportedGraph {
    Map<String, Tensor> values = forward(rows);
    Tensor z = values.get(logits);
    float[][] out = rowsOf(z);
    float[] loss = new float[rows.length];
    float[] dz = new float[z.data().length];
    int classes = out.length == 0 ? 0 : out[0].length;
    for (int i = 0; i < rows.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (float v : out[i]) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (float v : out[i]) {
        sum += Math.exp(v - max);
      }
      loss[i] = (float) (Math.log(sum) + max - out[i][labels[i]]);
      for (int k = 0; k < classes; k++) {
        dz[i * classes + k] = (float) (Math.exp(out[i][k] - max) / sum) - (k == labels[i] ? 1 : 0);
      }
    }
    Tensor g = backward(values, new Tensor(z.shape(), dz));
    float[][] grad = new float[rows.length][];
    int d = rows.length == 0 ? 0 : rows[0].length;
    for (int i = 0; i < rows.length; i++) {
      grad[i] = new float[d];
      for (int j = 0; j < d; j++) {
        grad[i][j] = g == null ? 0 : g.data()[i * d + j] / scale[j];
      }
    }
    return new Gradient(loss, out, grad);
  }

  private static float[][] rowsOf(Tensor z) throws UnsupportedGraph {
    if (z.rank() != 2) {
      throw new UnsupportedGraph("the logits have shape " + java.util.Arrays.toString(z.shape()) + ", not [batch, classes]");
    }
    float[][] out = new float[z.dim(0)][];
    for (int i = 0; i < out.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(z.data(), i * z.dim(1), (i + 1) * z.dim(1));
    }
    return out;
  }

  Map<String, Tensor> forward(float[][] rows) throws UnsupportedGraph {
    int d = Tensor.size(shape);
    int[] full = new int[shape.length + 1];
    full[0] = rows.length;
    System.arraycopy(shape, 0, full, 1, shape.length);
    float[] flat = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features; the model takes " + d);
      }
      for (int j = 0; j < d; j++) {
        flat[i * d + j] = (rows[i][j] - offset[j]) / scale[j];
      }
    }
    Map<String, Tensor> values = new HashMap<>(graph.initializers());
    values.put(input, new Tensor(full, flat));
    long kept = flat.length;
    for (var n : graph.nodes()) {
      Tensor[] in = new Tensor[n.inputs().size()];
      for (int k = 0; k < in.length; k++) {
        in[k] = n.input(k).isEmpty() ? null : values.get(n.input(k));
      }
      Tensor out = Operators.forward(n, in, graph.opset());
      kept += out.data().length;
      if (kept > Tensor.MAX_VALUES) {
        throw new IllegalArgumentException("the forward pass keeps over " + Tensor.MAX_VALUES + " values");
      }
      values.put(n.outputs().get(0), out);
    }
    return values;
  }

  private Tensor backward(Map<String, Tensor> values, Tensor seed) throws UnsupportedGraph {
    Map<String, Tensor> grads = new HashMap<>();
    grads.put(logits, seed);
    List<Node> nodes = new ArrayList<>(graph.nodes());
    java.util.Collections.reverse(nodes);
    for (var n : nodes) {
      Tensor g = grads.get(n.outputs().get(0));
      if (g == null) {
        continue;
      }
      boolean[] liveIn = new boolean[n.inputs().size()];
      boolean any = false;
      Tensor[] in = new Tensor[liveIn.length];
      for (int k = 0; k < liveIn.length; k++) {
        liveIn[k] = live.contains(n.input(k));
        any |= liveIn[k];
        in[k] = n.input(k).isEmpty() ? null : values.get(n.input(k));
      }
      if (!any) {
        continue;
      }
      Tensor[] back = Operators.backward(n, in, values.get(n.outputs().get(0)), g, liveIn, graph.opset());
      for (int k = 0; k < liveIn.length; k++) {
        if (liveIn[k] && back[k] != null) {
          grads.merge(n.input(k), back[k], GraphModel::sum);
        }
      }
    }
    return grads.get(input);
  }

  private static Tensor sum(Tensor a, Tensor b) {
    float[] out = a.data().clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += b.data()[i];
    }
    return new Tensor(a.shape(), out);
  }
}
