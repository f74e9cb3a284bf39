package dev.rampart.eval.grad;

/** Numpy-style broadcasting of two shapes: the output shape and, per output element, where each operand is read. */
final class Broadcast {
  final int[] shape;
  final int[] a;
  final int[] b;

  Broadcast(int[] left, int[] right) throws UnsupportedGraph {
    int rank = Math.max(left.length, right.length);
    shape = new int[rank];
    int[] sa = strides(left, rank);
    int[] sb = strides(right, rank);
    for (int k = 0; k < rank; k++) {
      int da = dim(left, rank, k);
      int db = dim(right, rank, k);
      if (da != db && da != 1 && db != 1) {
        throw new UnsupportedGraph("shapes " + java.util.Arrays.toString(left) + " and "
            + java.util.Arrays.toString(right) + " do not broadcast");
      }
      shape[k] = Math.max(da, db);
      if (da == 1) {
        sa[k] = 0;
      }
      if (db == 1) {
        sb[k] = 0;
      }
    }
    int n = Tensor.size(shape);
    a = new int[n];
    b = new int[n];
    int[] counter = new int[rank];
    int ia = 0;
    int ib = 0;
    for (int i = 0; i < n; i++) {
      a[i] = ia;
      b[i] = ib;
      for (int k = rank - 1; k >= 0; k--) {
        counter[k]++;
        ia += sa[k];
        ib += sb[k];
        if (counter[k] < shape[k]) {
          break;
        }
        ia -= sa[k] * shape[k];
        ib -= sb[k] * shape[k];
        counter[k] = 0;
      }
    }
  }

  private static int dim(int[] s, int rank, int k) {
    int at = k - (rank - s.length);
    return at < 0 ? 1 : s[at];
  }

  private static int[] strides(int[] s, int rank) {
    int[] out = new int[rank];
    int stride = 1;
    for (int k = rank - 1; k >= 0; k--) {
      int at = k - (rank - s.length);
      int d = at < 0 ? 1 : s[at];
      out[k] = stride;
      stride *= d;
    }
    return out;
  }
}
