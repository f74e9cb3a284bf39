package dev.rampart.eval.grad;

import java.util.Arrays;

/** A dense float tensor in row-major order; integer tensors (shapes, axes) are held as floats too. */
record Tensor(int[] shape, float[] data) {
  Tensor {
    if (size(shape) != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
    }
  }

  static Tensor zeros(int[] shape) {
    return new Tensor(shape, new float[size(shape)]);
  }

  /** The largest tensor Rampart allocates (256 MiB of floats): a small graph must not expand into all memory. */
  static final long MAX_VALUES = 1L << 26;

  static int size(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension " + d);
      }
      n = Math.multiplyExact(n, (long) d);
      if (n > MAX_VALUES) {
        throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " is over "
            + MAX_VALUES + " values");
      }
    }
    return (int) n;
  }

  int rank() {
    return shape.length;
  }

  int dim(int axis) {
    return shape[axis];
  }

  Tensor reshaped(int[] to) {
    return new Tensor(to, data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
