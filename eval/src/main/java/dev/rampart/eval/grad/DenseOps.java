package dev.rampart.eval.grad;

import dev.rampart.eval.grad.OnnxGraph.Node;
import java.util.Arrays;

/**
 * Forward and reverse passes of the elementwise, dense and shape operators. A backward pass gets the node's inputs,
 * its output and the gradient at the output, and returns the gradient for each input marked live (null elsewhere).
 */
final class DenseOps {
  private DenseOps() {}

  static Tensor binary(String op, Tensor x, Tensor y) throws UnsupportedGraph {
    var bc = new Broadcast(x.shape(), y.shape());
    float[] out = new float[bc.a.length];
    float[] a = x.data();
    float[] b = y.data();
    for (int i = 0; i < out.length; i++) {
      float u = a[bc.a[i]];
      float v = b[bc.b[i]];
      out[i] = switch (op) {
        case "Add" -> u + v;
        case "Sub" -> u - v;
        case "Mul" -> u * v;
        default -> u / v;
      };
    }
    return new Tensor(bc.shape, out);
  }

  static Tensor[] binaryBackward(String op, Tensor x, Tensor y, Tensor g, boolean[] live) throws UnsupportedGraph {
    var bc = new Broadcast(x.shape(), y.shape());
    float[] ga = live[0] ? new float[x.data().length] : null;
    float[] gb = live[1] ? new float[y.data().length] : null;
    float[] a = x.data();
    float[] b = y.data();
    float[] d = g.data();
    for (int i = 0; i < d.length; i++) {
      float u = a[bc.a[i]];
      float v = b[bc.b[i]];
      switch (op) {
        case "Add" -> {
          if (ga != null) ga[bc.a[i]] += d[i];
          if (gb != null) gb[bc.b[i]] += d[i];
        }
        case "Sub" -> {
          if (ga != null) ga[bc.a[i]] += d[i];
          if (gb != null) gb[bc.b[i]] -= d[i];
        }
        case "Mul" -> {
          if (ga != null) ga[bc.a[i]] += d[i] * v;
          if (gb != null) gb[bc.b[i]] += d[i] * u;
        }
        default -> {
          if (ga != null) ga[bc.a[i]] += d[i] / v;
          if (gb != null) gb[bc.b[i]] -= d[i] * u / (v * v);
        }
      }
    }
    return new Tensor[] {ga == null ? null : new Tensor(x.shape(), ga), gb == null ? null : new Tensor(y.shape(), gb)};
  }

  static Tensor unary(Node n, Tensor x) {
    float[] in = x.data();
    float[] out = new float[in.length];
    float alpha = n.real("alpha", 0.01f);
    for (int i = 0; i < in.length; i++) {
      float v = in[i];
      out[i] = switch (n.op()) {
        case "Relu" -> v > 0 ? v : 0;
        case "LeakyRelu" -> v > 0 ? v : alpha * v;
        case "Sigmoid" -> (float) (1 / (1 + Math.exp(-v)));
        case "Tanh" -> (float) Math.tanh(v);
        default -> v; // Identity, Dropout at inference
      };
    }
    return new Tensor(x.shape(), out);
  }

  static Tensor unaryBackward(Node n, Tensor x, Tensor y, Tensor g) {
    float[] in = x.data();
    float[] out = y.data();
    float[] d = g.data();
    float[] r = new float[d.length];
    float alpha = n.real("alpha", 0.01f);
    for (int i = 0; i < d.length; i++) {
      r[i] = d[i] * switch (n.op()) {
        case "Relu" -> in[i] > 0 ? 1 : 0;
        case "LeakyRelu" -> in[i] > 0 ? 1 : alpha;
        case "Sigmoid" -> out[i] * (1 - out[i]);
        case "Tanh" -> 1 - out[i] * out[i];
        default -> 1;
      };
    }
    return new Tensor(x.shape(), r);
  }

  /** The [outer, axis, inner] blocks a softmax runs over: one axis from opset 13, the flattened tail before. */
  private static int[] softmaxBlocks(Node n, Tensor x, long opset) throws UnsupportedGraph {
    int rank = x.rank();
    int axis = (int) n.integer("axis", opset >= 13 ? -1 : 1);
    if (axis < 0) {
      axis += rank;
    }
    if (axis < 0 || axis >= rank) {
      throw new UnsupportedGraph(n.op() + " axis " + axis + " out of range for rank " + rank);
    }
    int outer = 1;
    for (int k = 0; k < axis; k++) {
      outer *= x.dim(k);
    }
    if (opset < 13) {
      return new int[] {outer, x.data().length / Math.max(1, outer), 1};
    }
    int inner = 1;
    for (int k = axis + 1; k < rank; k++) {
      inner *= x.dim(k);
    }
    return new int[] {outer, x.dim(axis), inner};
  }

  static Tensor softmax(Node n, Tensor x, long opset) throws UnsupportedGraph {
    int[] b = softmaxBlocks(n, x, opset);
    float[] in = x.data();
    float[] out = new float[in.length];
    boolean log = n.op().equals("LogSoftmax");
    for (int o = 0; o < b[0]; o++) {
      for (int i = 0; i < b[2]; i++) {
        int base = o * b[1] * b[2] + i;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < b[1]; k++) {
          max = Math.max(max, in[base + k * b[2]]);
        }
        double sum = 0;
        for (int k = 0; k < b[1]; k++) {
          sum += Math.exp(in[base + k * b[2]] - max);
        }
        for (int k = 0; k < b[1]; k++) {
          int at = base + k * b[2];
          out[at] = (float) (log ? in[at] - max - Math.log(sum) : Math.exp(in[at] - max) / sum);
        }
      }
    }
    return new Tensor(x.shape(), out);
  }

  static Tensor softmaxBackward(Node n, Tensor x, Tensor y, Tensor g, long opset) throws UnsupportedGraph {
    int[] b = softmaxBlocks(n, x, opset);
    float[] out = y.data();
    float[] d = g.data();
    float[] r = new float[d.length];
    boolean log = n.op().equals("LogSoftmax");
    for (int o = 0; o < b[0]; o++) {
      for (int i = 0; i < b[2]; i++) {
        int base = o * b[1] * b[2] + i;
        double dot = 0;
        for (int k = 0; k < b[1]; k++) {
          int at = base + k * b[2];
          dot += log ? d[at] : d[at] * out[at];
        }
        for (int k = 0; k < b[1]; k++) {
          int at = base + k * b[2];
          r[at] = (float) (log ? d[at] - Math.exp(out[at]) * dot : out[at] * (d[at] - dot));
        }
      }
    }
    return new Tensor(x.shape(), r);
  }

  /** C[m][n] = sum_k A'[m][k] B'[k][n], with A' and B' optionally transposed views. */
  static float[] matmul(float[] a, boolean ta, float[] b, boolean tb, int m, int k, int n) {
    float[] c = new float[m * n];
    if (tb && !ta) {
      // both operands row-major along k: one contiguous dot product per output
      for (int i = 0; i < m; i++) {
        int arow = i * k;
        for (int j = 0; j < n; j++) {
          int brow = j * k;
          float acc = 0;
          for (int p = 0; p < k; p++) {
            acc += a[arow + p] * b[brow + p];
          }
          c[i * n + j] = acc;
        }
      }
      return c;
    }
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        float av = ta ? a[p * m + i] : a[i * k + p];
        if (av == 0) {
          continue;
        }
        int row = i * n;
        if (tb) {
          for (int j = 0; j < n; j++) {
            c[row + j] += av * b[j * k + p];
          }
        } else {
          int brow = p * n;
          for (int j = 0; j < n; j++) {
            c[row + j] += av * b[brow + j];
          }
        }
      }
    }
    return c;
  }

  static Tensor gemm(Node n, Tensor a, Tensor b, Tensor c) throws UnsupportedGraph {
    boolean ta = n.integer("transA", 0) != 0;
    boolean tb = n.integer("transB", 0) != 0;
    if (a.rank() != 2 || b.rank() != 2) {
      throw new UnsupportedGraph("Gemm needs rank-2 operands, got " + a + " and " + b);
    }
    int m = ta ? a.dim(1) : a.dim(0);
    int k = ta ? a.dim(0) : a.dim(1);
    int kb = tb ? b.dim(1) : b.dim(0);
    int nn = tb ? b.dim(0) : b.dim(1);
    if (k != kb) {
      throw new UnsupportedGraph("Gemm inner sizes " + k + " and " + kb + " differ");
    }
    float alpha = n.real("alpha", 1);
    float beta = n.real("beta", 1);
    float[] y = matmul(a.data(), ta, b.data(), tb, m, k, nn);
    for (int i = 0; i < y.length; i++) {
      y[i] *= alpha;
    }
    Tensor out = new Tensor(new int[] {m, nn}, y);
    if (c != null) {
      var scaled = c.data().clone();
      for (int i = 0; i < scaled.length; i++) {
        scaled[i] *= beta;
      }
      out = binary("Add", out, new Tensor(c.shape(), scaled));
    }
    return out;
  }

  static Tensor[] gemmBackward(Node n, Tensor a, Tensor b, Tensor c, Tensor g, boolean[] live)
      throws UnsupportedGraph {
    boolean ta = n.integer("transA", 0) != 0;
    boolean tb = n.integer("transB", 0) != 0;
    int m = ta ? a.dim(1) : a.dim(0);
    int k = ta ? a.dim(0) : a.dim(1);
    int nn = tb ? b.dim(0) : b.dim(1);
    float alpha = n.real("alpha", 1);
    Tensor[] out = new Tensor[3];
    if (live[0]) {
      // dA' = dY B'^T  [m, k]; stored transposed when A is
      float[] da = ta ? matmul(b.data(), tb, g.data(), true, k, nn, m) : matmul(g.data(), false, b.data(), !tb, m, nn, k);
      scale(da, alpha);
      out[0] = new Tensor(a.shape(), da);
    }
    if (live[1]) {
      // dB' = A'^T dY  [k, n]; stored transposed when B is
      float[] db = tb ? matmul(g.data(), true, a.data(), ta, nn, m, k) : matmul(a.data(), !ta, g.data(), false, k, m, nn);
      scale(db, alpha);
      out[1] = new Tensor(b.shape(), db);
    }
    if (c != null && live.length > 2 && live[2]) {
      var bc = new Broadcast(g.shape(), c.shape());
      float[] gc = new float[c.data().length];
      float beta = n.real("beta", 1);
      for (int i = 0; i < bc.b.length; i++) {
        gc[bc.b[i]] += beta * g.data()[i];
      }
      out[2] = new Tensor(c.shape(), gc);
    }
    return out;
  }

  private static void scale(float[] v, float s) {
    if (s != 1) {
      for (int i = 0; i < v.length; i++) {
        v[i] *= s;
      }
    }
  }

  /** MatMul of [..., M, K] by a rank-2 [K, N]: the leading dimensions are rows. */
  static Tensor matmul(Tensor a, Tensor b) throws UnsupportedGraph {
    if (a.rank() < 2 || b.rank() != 2 || a.dim(a.rank() - 1) != b.dim(0)) {
      throw new UnsupportedGraph("MatMul of " + a + " by " + b + " is not supported (rank-2 right operand only)");
    }
    int k = b.dim(0);
    int nn = b.dim(1);
    int m = a.data().length / k;
    int[] shape = a.shape().clone();
    shape[shape.length - 1] = nn;
    return new Tensor(shape, matmul(a.data(), false, b.data(), false, m, k, nn));
  }

  static Tensor[] matmulBackward(Tensor a, Tensor b, Tensor g, boolean[] live) {
    int k = b.dim(0);
    int nn = b.dim(1);
    int m = a.data().length / k;
    Tensor[] out = new Tensor[2];
    if (live[0]) {
      out[0] = new Tensor(a.shape(), matmul(g.data(), false, b.data(), true, m, nn, k));
    }
    if (live[1]) {
      out[1] = new Tensor(b.shape(), matmul(a.data(), true, g.data(), false, k, m, nn));
    }
    return out;
  }

  static Tensor flatten(Node n, Tensor x) throws UnsupportedGraph {
    int axis = (int) n.integer("axis", 1);
    if (axis < 0) {
      axis += x.rank();
    }
    if (axis < 0 || axis > x.rank()) {
      throw new UnsupportedGraph("Flatten axis " + axis + " out of range for " + x);
    }
    int outer = 1;
    for (int k = 0; k < axis; k++) {
      outer *= x.dim(k);
    }
    return x.reshaped(new int[] {outer, x.data().length / Math.max(1, outer)});
  }

  static Tensor reshape(Node n, Tensor x, Tensor target) throws UnsupportedGraph {
    boolean allowZero = n.integer("allowzero", 0) != 0;
    float[] t = target.data();
    int[] shape = new int[t.length];
    int unknown = -1;
    long known = 1;
    for (int k = 0; k < t.length; k++) {
      int v = (int) t[k];
      if (v == 0 && !allowZero) {
        if (k >= x.rank()) {
          throw new UnsupportedGraph("Reshape copies dimension " + k + " of " + x);
        }
        v = x.dim(k);
      }
      if (v == -1) {
        if (unknown >= 0) {
          throw new UnsupportedGraph("Reshape with two -1 dimensions");
        }
        unknown = k;
        continue;
      }
      if (v < 0) {
        throw new UnsupportedGraph("Reshape to dimension " + v);
      }
      shape[k] = v;
      known *= v;
    }
    if (unknown >= 0) {
      if (known == 0 || x.data().length % known != 0) {
        throw new UnsupportedGraph("Reshape of " + x + " to " + Arrays.toString(t));
      }
      shape[unknown] = (int) (x.data().length / known);
    }
    if (Tensor.size(shape) != x.data().length) {
      throw new UnsupportedGraph("Reshape of " + x + " to " + Arrays.toString(shape));
    }
    return x.reshaped(shape);
  }
}
