package dev.rampart.eval.grad;

import dev.rampart.eval.grad.OnnxGraph.Node;

/**
 * Forward and reverse passes of the 2-D image operators (Conv, MaxPool, AveragePool, GlobalAveragePool), inference-mode
 * BatchNormalization and Concat. Inputs are [batch, channels, height, width]; explicit padding only.
 */
final class ConvOps {
  private ConvOps() {}

  /** Kernel geometry: kernel, strides, dilations and the begin/end pads of a 2-D window. */
  private record Window(int kh, int kw, int sh, int sw, int dh, int dw, int pt, int pl, int pb, int pr) {
    int outH(int h) {
      return (h + pt + pb - dh * (kh - 1) - 1) / sh + 1;
    }

    int outW(int w) {
      return (w + pl + pr - dw * (kw - 1) - 1) / sw + 1;
    }
  }

  private static Window window(Node n, int kh, int kw) throws UnsupportedGraph {
    String autoPad = n.attributes().containsKey("auto_pad") ? n.attributes().get("auto_pad").s() : "NOTSET";
    if (autoPad != null && !autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
      throw new UnsupportedGraph(n.op() + " with auto_pad " + autoPad + " is not supported");
    }
    if (n.integer("ceil_mode", 0) != 0) {
      throw new UnsupportedGraph(n.op() + " with ceil_mode is not supported");
    }
    long[] s = pair(n.integers("strides"), 2);
    long[] d = pair(n.integers("dilations"), 2);
    long[] p = n.integers("pads");
    if (p == null) {
      p = new long[4];
    }
    if (p.length != 4 || s.length != 2 || d.length != 2) {
      throw new UnsupportedGraph(n.op() + " is supported in 2-D only");
    }
    return new Window(kh, kw, (int) s[0], (int) s[1], (int) d[0], (int) d[1], (int) p[0], (int) p[1], (int) p[2],
        (int) p[3]);
  }

  private static long[] pair(long[] v, int rank) {
    if (v == null) {
      long[] one = new long[rank];
      java.util.Arrays.fill(one, 1);
      return one;
    }
    return v;
  }

  private static void image(Node n, Tensor x) throws UnsupportedGraph {
    if (x.rank() != 4) {
      throw new UnsupportedGraph(n.op() + " on " + x + " (only [batch, channels, height, width])");
    }
  }

  static Tensor conv(Node n, Tensor x, Tensor w, Tensor bias) throws UnsupportedGraph {
    image(n, x);
    if (w.rank() != 4) {
      throw new UnsupportedGraph("Conv weights " + w + " are not 2-D kernels");
    }
    int group = (int) n.integer("group", 1);
    int batch = x.dim(0);
    int c = x.dim(1);
    int h = x.dim(2);
    int wd = x.dim(3);
    int m = w.dim(0);
    int cg = w.dim(1);
    if (group <= 0 || c != cg * group || m % group != 0) {
      throw new UnsupportedGraph("Conv of " + x + " by " + w + " in " + group + " groups");
    }
    var win = window(n, w.dim(2), w.dim(3));
    int oh = win.outH(h);
    int ow = win.outW(wd);
    float[] out = new float[batch * m * oh * ow];
    float[] in = x.data();
    float[] k = w.data();
    int mg = m / group;
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < m; o++) {
        int g = o / mg;
        float bv = bias == null ? 0 : bias.data()[o];
        for (int y = 0; y < oh; y++) {
          for (int xx = 0; xx < ow; xx++) {
            float acc = bv;
            for (int ci = 0; ci < cg; ci++) {
              int ch = g * cg + ci;
              for (int i = 0; i < win.kh(); i++) {
                int r = y * win.sh() - win.pt() + i * win.dh();
                if (r < 0 || r >= h) {
                  continue;
                }
                for (int j = 0; j < win.kw(); j++) {
                  int col = xx * win.sw() - win.pl() + j * win.dw();
                  if (col < 0 || col >= wd) {
                    continue;
                  }
                  acc += in[((b * c + ch) * h + r) * wd + col] * k[((o * cg + ci) * win.kh() + i) * win.kw() + j];
                }
              }
            }
            out[((b * m + o) * oh + y) * ow + xx] = acc;
          }
        }
      }
    }
    return new Tensor(new int[] {batch, m, oh, ow}, out);
  }

  static Tensor[] convBackward(Node n, Tensor x, Tensor w, Tensor grad, boolean[] live) throws UnsupportedGraph {
    int group = (int) n.integer("group", 1);
    int batch = x.dim(0);
    int c = x.dim(1);
    int h = x.dim(2);
    int wd = x.dim(3);
    int m = w.dim(0);
    int cg = w.dim(1);
    var win = window(n, w.dim(2), w.dim(3));
    int oh = grad.dim(2);
    int ow = grad.dim(3);
    float[] gx = live[0] ? new float[x.data().length] : null;
    float[] gw = live.length > 1 && live[1] ? new float[w.data().length] : null;
    float[] in = x.data();
    float[] k = w.data();
    float[] g = grad.data();
    int mg = m / group;
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < m; o++) {
        int gr = o / mg;
        for (int y = 0; y < oh; y++) {
          for (int xx = 0; xx < ow; xx++) {
            float d = g[((b * m + o) * oh + y) * ow + xx];
            if (d == 0) {
              continue;
            }
            for (int ci = 0; ci < cg; ci++) {
              int ch = gr * cg + ci;
              for (int i = 0; i < win.kh(); i++) {
                int r = y * win.sh() - win.pt() + i * win.dh();
                if (r < 0 || r >= h) {
                  continue;
                }
                for (int j = 0; j < win.kw(); j++) {
                  int col = xx * win.sw() - win.pl() + j * win.dw();
                  if (col < 0 || col >= wd) {
                    continue;
                  }
                  int xi = ((b * c + ch) * h + r) * wd + col;
                  int ki = ((o * cg + ci) * win.kh() + i) * win.kw() + j;
                  if (gx != null) {
                    gx[xi] += d * k[ki];
                  }
                  if (gw != null) {
                    gw[ki] += d * in[xi];
                  }
                }
              }
            }
          }
        }
      }
    }
    Tensor[] out = new Tensor[live.length];
    out[0] = gx == null ? null : new Tensor(x.shape(), gx);
    if (gw != null) {
      out[1] = new Tensor(w.shape(), gw);
    }
    if (live.length > 2 && live[2]) {
      float[] gb = new float[m];
      for (int i = 0; i < g.length; i++) {
        gb[(i / (oh * ow)) % m] += g[i];
      }
      out[2] = new Tensor(new int[] {m}, gb);
    }
    return out;
  }

  private static Window poolWindow(Node n, Tensor x) throws UnsupportedGraph {
    image(n, x);
    if (n.op().equals("GlobalAveragePool")) {
      return new Window(x.dim(2), x.dim(3), 1, 1, 1, 1, 0, 0, 0, 0);
    }
    long[] kernel = n.integers("kernel_shape");
    if (kernel == null || kernel.length != 2) {
      throw new UnsupportedGraph(n.op() + " is supported in 2-D only");
    }
    return window(n, (int) kernel[0], (int) kernel[1]);
  }

  static Tensor pool(Node n, Tensor x) throws UnsupportedGraph {
    var win = poolWindow(n, x);
    boolean max = n.op().equals("MaxPool");
    boolean countPad = n.integer("count_include_pad", 0) != 0;
    int batch = x.dim(0);
    int c = x.dim(1);
    int h = x.dim(2);
    int wd = x.dim(3);
    int oh = win.outH(h);
    int ow = win.outW(wd);
    float[] out = new float[batch * c * oh * ow];
    float[] in = x.data();
    for (int bc = 0; bc < batch * c; bc++) {
      for (int y = 0; y < oh; y++) {
        for (int xx = 0; xx < ow; xx++) {
          float acc = max ? Float.NEGATIVE_INFINITY : 0;
          int count = 0;
          for (int i = 0; i < win.kh(); i++) {
            int r = y * win.sh() - win.pt() + i * win.dh();
            for (int j = 0; j < win.kw(); j++) {
              int col = xx * win.sw() - win.pl() + j * win.dw();
              if (r < 0 || r >= h || col < 0 || col >= wd) {
                count += countPad ? 1 : 0;
                continue;
              }
              float v = in[(bc * h + r) * wd + col];
              acc = max ? Math.max(acc, v) : acc + v;
              count++;
            }
          }
          out[(bc * oh + y) * ow + xx] = max ? acc : acc / Math.max(1, count);
        }
      }
    }
    return new Tensor(new int[] {batch, c, oh, ow}, out);
  }

  static Tensor poolBackward(Node n, Tensor x, Tensor grad) throws UnsupportedGraph {
    var win = poolWindow(n, x);
    boolean max = n.op().equals("MaxPool");
    boolean countPad = n.integer("count_include_pad", 0) != 0;
    int h = x.dim(2);
    int wd = x.dim(3);
    int oh = grad.dim(2);
    int ow = grad.dim(3);
    float[] in = x.data();
    float[] g = grad.data();
    float[] gx = new float[in.length];
    for (int bc = 0; bc < x.dim(0) * x.dim(1); bc++) {
      for (int y = 0; y < oh; y++) {
        for (int xx = 0; xx < ow; xx++) {
          float d = g[(bc * oh + y) * ow + xx];
          int best = -1;
          float bestValue = Float.NEGATIVE_INFINITY;
          int count = 0;
          for (int pass = 0; pass < (max ? 1 : 2); pass++) {
            for (int i = 0; i < win.kh(); i++) {
              int r = y * win.sh() - win.pt() + i * win.dh();
              for (int j = 0; j < win.kw(); j++) {
                int col = xx * win.sw() - win.pl() + j * win.dw();
                boolean inside = r >= 0 && r < h && col >= 0 && col < wd;
                if (pass == 0) {
                  count += inside || countPad ? 1 : 0;
                }
                if (!inside) {
                  continue;
                }
                int at = (bc * h + r) * wd + col;
                if (max && in[at] > bestValue) {
                  bestValue = in[at];
                  best = at;
                } else if (!max && pass == 1) {
                  gx[at] += d / Math.max(1, count);
                }
              }
            }
          }
          if (max && best >= 0) {
            gx[best] += d;
          }
        }
      }
    }
    return new Tensor(x.shape(), gx);
  }

  private static float[] bnScale(Tensor[] in, float epsilon) {
    int c = in[0].dim(1);
    float[] s = new float[c];
    for (int ch = 0; ch < c; ch++) {
      s[ch] = (float) (in[1].data()[ch] / Math.sqrt(in[4].data()[ch] + epsilon));
    }
    return s;
  }

  static Tensor batchNorm(Node n, Tensor[] in) throws UnsupportedGraph {
    if (n.outputs().size() > 1 || n.integer("training_mode", 0) != 0) {
      throw new UnsupportedGraph("BatchNormalization in training mode is not supported");
    }
    Tensor x = in[0];
    if (x.rank() < 2) {
      throw new UnsupportedGraph("BatchNormalization on " + x);
    }
    float[] s = bnScale(in, n.real("epsilon", 1e-5f));
    int c = x.dim(1);
    int inner = x.data().length / Math.max(1, x.dim(0) * c);
    float[] out = new float[x.data().length];
    for (int i = 0; i < out.length; i++) {
      int ch = (i / inner) % c;
      out[i] = (x.data()[i] - in[3].data()[ch]) * s[ch] + in[2].data()[ch];
    }
    return new Tensor(x.shape(), out);
  }

  /** Only the input's gradient: statistics, scale and bias are constants at inference. */
  static Tensor batchNormBackward(Node n, Tensor[] in, Tensor g) {
    Tensor x = in[0];
    float[] s = bnScale(in, n.real("epsilon", 1e-5f));
    int c = x.dim(1);
    int inner = x.data().length / Math.max(1, x.dim(0) * c);
    float[] out = new float[g.data().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = g.data()[i] * s[(i / inner) % c];
    }
    return new Tensor(x.shape(), out);
  }

  static Tensor concat(Node n, Tensor[] in) throws UnsupportedGraph {
    int rank = in[0].rank();
    int axis = (int) n.integer("axis", 0);
    if (axis < 0) {
      axis += rank;
    }
    int outer = 1;
    for (int k = 0; k < axis; k++) {
      outer *= in[0].dim(k);
    }
    int[] shape = in[0].shape().clone();
    shape[axis] = 0;
    for (Tensor t : in) {
      if (t.rank() != rank) {
        throw new UnsupportedGraph("Concat of tensors of different ranks");
      }
      shape[axis] += t.dim(axis);
    }
    float[] out = new float[Tensor.size(shape)];
    int at = 0;
    for (int o = 0; o < outer; o++) {
      for (Tensor t : in) {
        int block = t.data().length / Math.max(1, outer);
        System.arraycopy(t.data(), o * block, out, at, block);
        at += block;
      }
    }
    return new Tensor(shape, out);
  }

  static Tensor[] concatBackward(Node n, Tensor[] in, Tensor g, boolean[] live) {
    int rank = in[0].rank();
    int axis = (int) n.integer("axis", 0);
    if (axis < 0) {
      axis += rank;
    }
    int outer = 1;
    for (int k = 0; k < axis; k++) {
      outer *= in[0].dim(k);
    }
    float[][] parts = new float[in.length][];
    for (int k = 0; k < in.length; k++) {
      parts[k] = new float[in[k].data().length];
    }
    int at = 0;
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < in.length; k++) {
        int block = parts[k].length / Math.max(1, outer);
        System.arraycopy(g.data(), at, parts[k], o * block, block);
        at += block;
      }
    }
    Tensor[] out = new Tensor[in.length];
    for (int k = 0; k < in.length; k++) {
      out[k] = live[k] ? new Tensor(in[k].shape(), parts[k]) : null;
    }
    return out;
  }
}
