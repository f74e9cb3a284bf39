package dev.rampart.eval.grad;

import dev.rampart.eval.grad.OnnxGraph.Node;

/** The dispatch from an ONNX operator to its forward and reverse passes. */
final class Operators {
  private Operators() {}

  static Tensor forward(Node n, Tensor[] in, long opset) throws UnsupportedGraph {
    for (int k = 0; k < Math.min(in.length, required(n.op())); k++) {
      if (in[k] == null) {
        throw new UnsupportedGraph(n.op() + " is missing input " + k);
      }
    }
    return switch (n.op()) {
      case "Add", "Sub", "Mul", "Div" -> DenseOps.binary(n.op(), in[0], in[1]);
      case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Identity", "Dropout" -> DenseOps.unary(n, in[0]);
      case "Softmax", "LogSoftmax" -> DenseOps.softmax(n, in[0], opset);
      case "Gemm" -> DenseOps.gemm(n, in[0], in[1], in.length > 2 ? in[2] : null);
      case "MatMul" -> DenseOps.matmul(in[0], in[1]);
      case "Flatten" -> DenseOps.flatten(n, in[0]);
      case "Reshape" -> DenseOps.reshape(n, in[0], in[1]);
      case "Constant" -> constant(n);
      case "Conv" -> ConvOps.conv(n, in[0], in[1], in.length > 2 ? in[2] : null);
      case "MaxPool", "AveragePool", "GlobalAveragePool" -> ConvOps.pool(n, in[0]);
      case "BatchNormalization" -> ConvOps.batchNorm(n, in);
      case "Concat" -> ConvOps.concat(n, in);
      default -> throw new UnsupportedGraph("operator " + n.op() + " has no gradient in Rampart");
    };
  }

  static Tensor[] backward(Node n, Tensor[] in, Tensor out, Tensor g, boolean[] live, long opset)
      throws UnsupportedGraph {
    Tensor[] none = new Tensor[in.length];
    return switch (n.op()) {
      case "Add", "Sub", "Mul", "Div" -> DenseOps.binaryBackward(n.op(), in[0], in[1], g, live);
      case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Identity", "Dropout" -> first(in.length,
          DenseOps.unaryBackward(n, in[0], out, g));
      case "Softmax", "LogSoftmax" -> first(in.length, DenseOps.softmaxBackward(n, in[0], out, g, opset));
      case "Gemm" -> DenseOps.gemmBackward(n, in[0], in[1], in.length > 2 ? in[2] : null, g, live);
      case "MatMul" -> DenseOps.matmulBackward(in[0], in[1], g, live);
      case "Flatten", "Reshape" -> first(in.length, g.reshaped(in[0].shape()));
      case "Constant" -> none;
      case "Conv" -> ConvOps.convBackward(n, in[0], in[1], g, live);
      case "MaxPool", "AveragePool", "GlobalAveragePool" -> first(in.length, ConvOps.poolBackward(n, in[0], g));
      case "BatchNormalization" -> first(in.length, ConvOps.batchNormBackward(n, in, g));
      case "Concat" -> ConvOps.concatBackward(n, in, g, live);
      default -> throw new UnsupportedGraph("operator " + n.op() + " has no gradient in Rampart");
    };
  }

  private static int required(String op) {
    return switch (op) {
      case "Add", "Sub", "Mul", "Div", "Gemm", "MatMul", "Reshape", "Conv" -> 2;
      case "BatchNormalization" -> 5;
      case "Constant", "Concat" -> 0;
      default -> 1;
    };
  }

  private static Tensor[] first(int inputs, Tensor g) {
    Tensor[] out = new Tensor[inputs];
    out[0] = g;
    return out;
  }

  private static Tensor constant(Node n) throws UnsupportedGraph {
    var a = n.attributes().get("value");
    if (a != null && a.t() != null) {
      return a.t();
    }
    var f = n.attributes().get("value_float");
    if (f != null) {
      return new Tensor(new int[0], new float[] {f.f()});
    }
    var i = n.attributes().get("value_int");
    if (i != null) {
      return new Tensor(new int[0], new float[] {i.i()});
    }
    var is = n.attributes().get("value_ints");
    if (is != null && is.ints() != null) {
      float[] v = new float[is.ints().length];
      for (int k = 0; k < v.length; k++) {
        v[k] = is.ints()[k];
      }
      return new Tensor(new int[] {v.length}, v);
    }
    throw new UnsupportedGraph("a Constant without a tensor, float or int value");
  }
}
