package dev.rampart.eval.grad;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model's main graph as Rampart reads it, from its own protobuf reader: nodes in file order (ONNX requires
 * topological order, checked here), float initializers, the graph's inputs and outputs. Only the default operator
 * domain is accepted; anything else is an {@link UnsupportedGraph}.
 */
record OnnxGraph(List<Node> nodes, Map<String, Tensor> initializers, List<String> inputs, List<String> outputs,
    long opset) {
  static final int MAX_NODES = 10_000;
  static final long MAX_VALUES = 1L << 26;
  static final int MAX_RANK = 8;

  /** One attribute; only the fields its type uses are set. */
  record Attribute(String name, float f, long i, String s, float[] floats, long[] ints, Tensor t) {}

  record Node(String op, List<String> inputs, List<String> outputs, Map<String, Attribute> attributes) {
    long integer(String name, long fallback) {
      var a = attributes.get(name);
      return a == null ? fallback : a.i();
    }

    float real(String name, float fallback) {
      var a = attributes.get(name);
      return a == null ? fallback : a.f();
    }

    long[] integers(String name) {
      var a = attributes.get(name);
      return a == null || a.ints() == null ? null : a.ints();
    }

    /** The i-th input's name, or empty when absent or left blank (an optional input). */
    String input(int i) {
      return i < inputs.size() ? inputs.get(i) : "";
    }
  }

  static OnnxGraph parse(byte[] model) throws UnsupportedGraph {
    var top = new Wire(model);
    Wire graph = null;
    long opset = -1;
    while (top.next()) {
      if (top.field == 7) {
        graph = top.message();
      } else if (top.field == 8) {
        var set = top.message();
        String domain = "";
        long version = 0;
        while (set.next()) {
          if (set.field == 1) {
            domain = set.string();
          } else if (set.field == 2 && set.type == Wire.VARINT) {
            version = set.varint;
          }
        }
        if (domain.isEmpty() || domain.equals("ai.onnx")) {
          opset = version;
        }
      }
    }
    if (graph == null) {
      throw new UnsupportedGraph("the model has no graph");
    }
    var nodes = new ArrayList<Node>();
    var initializers = new HashMap<String, Tensor>();
    var inputs = new ArrayList<String>();
    var outputs = new ArrayList<String>();
    long[] values = {0};
    while (graph.next()) {
      switch (graph.field) {
        case 1 -> {
          if (nodes.size() >= MAX_NODES) {
            throw new UnsupportedGraph("more than " + MAX_NODES + " nodes");
          }
          nodes.add(node(graph.message(), values));
        }
        case 5 -> {
          var t = tensor(graph.message(), values);
          initializers.put(t.name(), t.tensor());
        }
        case 11 -> inputs.add(valueName(graph.message()));
        case 12 -> outputs.add(valueName(graph.message()));
        case 15 -> throw new UnsupportedGraph("sparse initializers are not supported");
        default -> { }
      }
    }
    inputs.removeIf(initializers::containsKey);
    var known = new java.util.HashSet<String>(initializers.keySet());
    known.addAll(inputs);
    known.add("");
    for (var n : nodes) {
      for (String in : n.inputs()) {
        if (!known.contains(in)) {
          throw new UnsupportedGraph("node " + n.op() + " reads '" + in + "' before it is computed");
        }
      }
      known.addAll(n.outputs());
    }
    return new OnnxGraph(List.copyOf(nodes), Map.copyOf(initializers), List.copyOf(inputs), List.copyOf(outputs),
        opset);
  }

  private static String valueName(Wire info) throws UnsupportedGraph {
    while (info.next()) {
      if (info.field == 1) {
        return info.string();
      }
    }
    return "";
  }

  private static Node node(Wire w, long[] values) throws UnsupportedGraph {
    var inputs = new ArrayList<String>();
    var outputs = new ArrayList<String>();
    var attributes = new HashMap<String, Attribute>();
    String op = "";
    String domain = "";
    while (w.next()) {
      switch (w.field) {
        case 1 -> inputs.add(w.string());
        case 2 -> outputs.add(w.string());
        case 4 -> op = w.string();
        case 5 -> {
          var a = attribute(w.message(), values);
          attributes.put(a.name(), a);
        }
        case 7 -> domain = w.string();
        default -> { }
      }
    }
    if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
      throw new UnsupportedGraph("operator " + domain + "." + op + " is outside the standard ONNX domain");
    }
    return new Node(op, List.copyOf(inputs), List.copyOf(outputs), Map.copyOf(attributes));
  }

  private static Attribute attribute(Wire w, long[] values) throws UnsupportedGraph {
    String name = "";
    float f = 0;
    long i = 0;
    String s = null;
    var floats = new ArrayList<float[]>();
    var ints = new ArrayList<long[]>();
    Tensor t = null;
    while (w.next()) {
      switch (w.field) {
        case 1 -> name = w.string();
        case 2 -> f = w.fixed32Float();
        case 3 -> i = w.varint;
        case 4 -> s = w.string();
        case 5 -> t = tensor(w.message(), values).tensor();
        case 6, 10 -> throw new UnsupportedGraph("subgraph attributes (control flow) are not supported");
        case 7 -> floats.add(w.floats());
        case 8 -> ints.add(w.varints());
        default -> { }
      }
    }
    return new Attribute(name, f, i, s, floats.isEmpty() ? null : concat(floats),
        ints.isEmpty() ? null : concatLongs(ints), t);
  }

  record Named(String name, Tensor tensor) {}

  private static Named tensor(Wire w, long[] values) throws UnsupportedGraph {
    var dims = new ArrayList<long[]>();
    int type = 0;
    String name = "";
    var floatData = new ArrayList<float[]>();
    var intData = new ArrayList<long[]>();
    int rawStart = -1;
    int rawLength = 0;
    while (w.next()) {
      switch (w.field) {
        case 1 -> dims.add(w.varints());
        case 2 -> type = (int) w.varint;
        case 4 -> floatData.add(w.floats());
        case 5, 7 -> intData.add(w.varints());
        case 8 -> name = w.string();
        case 9 -> {
          rawStart = w.start;
          rawLength = w.length();
        }
        case 10 -> throw new UnsupportedGraph("double tensors are not supported");
        case 13, 14 -> throw new UnsupportedGraph("tensor '" + name + "' keeps its data outside the model file");
        default -> { }
      }
    }
    long[] d = concatLongs(dims);
    if (d.length > MAX_RANK) {
      throw new UnsupportedGraph("tensor '" + name + "' has rank " + d.length);
    }
    int[] shape = new int[d.length];
    long count = 1;
    for (int k = 0; k < d.length; k++) {
      if (d[k] < 0 || d[k] > MAX_VALUES) {
        throw new UnsupportedGraph("tensor '" + name + "' has dimension " + d[k]);
      }
      shape[k] = (int) d[k];
      count *= d[k];
      if (count > MAX_VALUES) {
        throw new UnsupportedGraph("tensor '" + name + "' is larger than " + MAX_VALUES + " values");
      }
    }
    values[0] += count;
    if (values[0] > MAX_VALUES) {
      throw new UnsupportedGraph("the model's tensors hold more than " + MAX_VALUES + " values");
    }
    float[] data = new float[(int) count];
    int width = switch (type) {
      case 1, 6 -> 4; // FLOAT, INT32
      case 7 -> 8; // INT64
      default -> throw new UnsupportedGraph("tensor '" + name + "' has data type " + type
          + "; only float, int32 and int64 are supported");
    };
    if (rawStart >= 0) {
      if (rawLength != count * width) {
        throw new UnsupportedGraph("tensor '" + name + "' holds " + rawLength + " bytes for " + count + " values");
      }
      for (int k = 0; k < count; k++) {
        int at = rawStart + k * width;
        data[k] = switch (type) {
          case 1 -> Float.intBitsToFloat(w.littleInt(at));
          case 6 -> w.littleInt(at);
          default -> w.littleLong(at);
        };
      }
    } else {
      float[] given = type == 1 ? concat(floatData) : toFloats(concatLongs(intData));
      if (given.length != count) {
        throw new UnsupportedGraph("tensor '" + name + "' holds " + given.length + " values for " + count);
      }
      data = given;
    }
    return new Named(name, new Tensor(shape, data));
  }

  private static float[] toFloats(long[] v) {
    float[] out = new float[v.length];
    for (int k = 0; k < v.length; k++) {
      out[k] = v[k];
    }
    return out;
  }

  private static float[] concat(List<float[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static long[] concatLongs(List<long[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    long[] out = new long[n];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
