package dev.rampart.eval.runner;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A classifier in ONNX, run with ONNX Runtime: one float input of shape {@code [batch, features]} (or an image,
 * {@code [batch, channels, height, width]}, fed from flat rows in that order), and an output of
 * shape {@code [batch, classes]} holding probabilities or logits (detected per batch: rows that are not distributions
 * go through a softmax). Class names come from the model's {@code classes} metadata when present. Batched; the query
 * count is kept so that callers can budget it.
 */
public final class OnnxClassifier implements Classifier, AutoCloseable {
  public static final long MAX_MODEL_BYTES = 2L << 30;
  static final int BATCH = 1024;
  static final long MAX_FEATURES = 1L << 24;

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String input;
  private final String output;
  private final long[] shape;
  private final int features;
  private final int batch;
  private final List<String> classes;
  private Outputs outputs = Outputs.AUTO;
  private Preprocessing preprocessing = Preprocessing.NONE;
  private long queries;

  private OnnxClassifier(OrtEnvironment env, OrtSession session, String input, String output, long[] shape,
      int batch, List<String> classes) {
    this.batch = batch;
    this.shape = shape;
    this.features = (int) Arrays.stream(shape).reduce(1, Math::multiplyExact);
    this.env = env;
    this.session = session;
    this.input = input;
    this.output = output;
    this.classes = classes;
  }

  public static OnnxClassifier load(Path model) throws IOException, ModelException.Unsupported {
    long size = Files.size(model);
    if (size > MAX_MODEL_BYTES) {
      throw new ModelException.Unsupported(model + ": " + size + " bytes is over the 2 GiB model limit", null);
    }
    byte[] bytes = Files.readAllBytes(model);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (var options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
      session = env.createSession(bytes, options);
    } catch (OrtException e) {
      throw new ModelException.Unsupported(model + ": not a model ONNX Runtime can load ("
          + firstLine(e.getMessage()) + "); give an ONNX classifier", e);
    }
    try {
      return describe(model, env, session);
    } catch (ModelException.Unsupported | RuntimeException e) {
      close(session);
      throw e;
    }
  }

  private static OnnxClassifier describe(Path model, OrtEnvironment env, OrtSession session)
      throws ModelException.Unsupported {
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      if (inputs.size() != 1) {
        throw new ModelException.Unsupported(model + ": a classifier takes one input; this model takes "
            + inputs.keySet(), null);
      }
      var in = inputs.values().iterator().next();
      if (!(in.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT || t.getShape().length < 2
          || t.getShape().length > 4 || Arrays.stream(t.getShape()).skip(1).anyMatch(d -> d <= 0)
          || Arrays.stream(t.getShape()).skip(1).reduce(1, (a, b) -> a * b) > MAX_FEATURES) {
        throw new ModelException.Unsupported(model + ": the input must be a float tensor [batch, features] or "
            + "[batch, channels, height, width] with fixed sizes after the batch; it is " + in.getInfo(), null);
      }
      String output = null;
      for (var e : session.getOutputInfo().entrySet()) {
        if (e.getValue().getInfo() instanceof TensorInfo o && o.type == OnnxJavaType.FLOAT && o.getShape().length == 2) {
          output = e.getKey();
          break;
        }
      }
      if (output == null) {
        throw new ModelException.Unsupported(model + ": no float output of shape [batch, classes] among "
            + session.getOutputInfo().keySet(), null);
      }
      long width = ((TensorInfo) session.getOutputInfo().get(output).getInfo()).getShape()[1];
      String declared = session.getMetadata().getCustomMetadata().getOrDefault("classes", "");
      List<String> classes = new ArrayList<>();
      if (!declared.isBlank()) {
        classes.addAll(Arrays.asList(declared.split(",")));
      }
      if (width > 0 && !classes.isEmpty() && classes.size() != width) {
        throw new ModelException.Unsupported(model + ": the metadata names " + classes.size()
            + " classes but the output has " + width, null);
      }
      // A model exported with a fixed batch size gets exactly that many rows per run, padded at the end.
      int batch = t.getShape()[0] > 0 ? (int) Math.min(t.getShape()[0], BATCH) : BATCH;
      long[] shape = Arrays.copyOfRange(t.getShape(), 1, t.getShape().length);
      return new OnnxClassifier(env, session, in.getName(), output, shape, batch, classes);
    } catch (OrtException e) {
      throw new ModelException.Unsupported(model + ": " + firstLine(e.getMessage()), e);
    }
  }

  /** What the model's output holds: detected per row, or declared. */
  public enum Outputs { AUTO, PROBABILITIES, LOGITS;

    public static Outputs parse(String s) {
      return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "auto", "" -> AUTO;
        case "probabilities", "probs" -> PROBABILITIES;
        case "logits" -> LOGITS;
        default -> throw new IllegalArgumentException("outputs are auto, probabilities or logits, not '" + s + "'");
      };
    }
  }

  /**
   * Declares the output kind instead of detecting it, for models whose logits can look like a distribution. AUTO
   * takes the model's {@code output_kind} metadata when it has one.
   */
  public OnnxClassifier outputs(Outputs declared) {
    this.outputs = declared == Outputs.AUTO ? Outputs.parse(metadata("output_kind")) : declared;
    return this;
  }

  /**
   * Declares the preprocessing between the data and the model; null takes the model's {@code input_preprocessing}
   * metadata ({@code OFFSET:SCALE}) when it has one.
   */
  public OnnxClassifier preprocessing(Preprocessing declared) {
    String meta = metadata("input_preprocessing");
    Preprocessing p = declared != null ? declared : meta.isBlank() ? Preprocessing.NONE : Preprocessing.parse(meta);
    p.check(features);
    this.preprocessing = p;
    return this;
  }

  /** The name of the graph output read as the classifier's scores. */
  public String outputName() {
    return output;
  }

  /** The preprocessing applied to every row before the model sees it. */
  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** A metadata property of the model, or empty. */
  public String metadata(String key) {
    try {
      return session.getMetadata().getCustomMetadata().getOrDefault(key, "");
    } catch (OrtException e) {
      return "";
    }
  }

  /** The input's shape after the batch dimension: {@code [features]}, or {@code [channels, height, width]}. */
  public long[] inputShape() {
    return shape.clone();
  }

  /** How many features a row must have. */
  @Override
  public int features() {
    return features;
  }

  /** The class names, index by index; numbered when the model does not name them. */
  public List<String> classes(int count) {
    if (!classes.isEmpty()) {
      return List.copyOf(classes);
    }
    return java.util.stream.IntStream.range(0, count).mapToObj(Integer::toString).toList();
  }

  /** Rows run through the model so far. */
  public long queries() {
    return queries;
  }

  /** Class probabilities for each row. */
  @Override
  public float[][] probabilities(float[][] rows) throws ModelException {
    float[][] out = new float[rows.length][];
    boolean fixed = batch < BATCH;
    for (int start = 0; start < rows.length; start += batch) {
      int n = Math.min(batch, rows.length - start);
      float[] flat = new float[(fixed ? batch : n) * features];
      for (int i = 0; i < n; i++) {
        float[] row = rows[start + i];
        if (row.length != features) {
          throw new ModelException.ShapeMismatch("row " + (start + i) + " has " + row.length
              + " features; the model takes " + features);
        }
        if (preprocessing.identity()) {
          System.arraycopy(row, 0, flat, i * features, features);
        } else {
          for (int j = 0; j < features; j++) {
            flat[i * features + j] = preprocessing.apply(row[j], j, features);
          }
        }
      }
      float[][] scored = run(flat, fixed ? batch : n);
      System.arraycopy(scored, 0, out, start, n);
      queries += n;
    }
    return out;
  }

  private float[][] run(float[] flat, int n) throws ModelException {
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), batchShape(n));
        OrtSession.Result result = session.run(Map.of(input, tensor), java.util.Set.of(output))) {
      Object value = result.get(0).getValue();
      if (!(value instanceof float[][] rows) || rows.length != n) {
        throw new ModelException.BadOutput("the model's output is not [" + n + ", classes]");
      }
      for (int i = 0; i < n; i++) {
        rows[i] = asDistribution(rows[i], i, outputs);
      }
      return rows;
    } catch (OrtException e) {
      throw new ModelException.BadOutput("the model failed to run: " + firstLine(e.getMessage()));
    }
  }

  private long[] batchShape(int n) {
    long[] full = new long[shape.length + 1];
    full[0] = n;
    System.arraycopy(shape, 0, full, 1, shape.length);
    return full;
  }

  /** Probabilities as they are; logits through a softmax (or a sigmoid for one column). */
  static float[] asDistribution(float[] row, int index, Outputs outputs) throws ModelException.BadOutput {
    double sum = 0;
    boolean unit = true;
    for (float v : row) {
      if (!Float.isFinite(v)) {
        throw new ModelException.BadOutput("the model returned " + v + " for row " + index
            + "; check the input for values out of the range it was trained on");
      }
      unit &= v >= 0 && v <= 1;
      sum += v;
    }
    boolean probabilities = switch (outputs) {
      case PROBABILITIES -> true;
      case LOGITS -> false;
      case AUTO -> unit && (row.length == 1 || Math.abs(sum - 1) < 1e-3);
    };
    if (probabilities && !(unit && (row.length == 1 || Math.abs(sum - 1) < 1e-3))) {
      throw new ModelException.BadOutput("row " + index + " is declared probabilities but does not sum to 1; "
          + "declare the outputs as logits");
    }
    if (row.length == 1) {
      float p = probabilities ? row[0] : (float) (1 / (1 + Math.exp(-row[0])));
      return new float[] {1 - p, p};
    }
    if (probabilities) {
      return row;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float v : row) {
      max = Math.max(max, v);
    }
    double total = 0;
    float[] out = new float[row.length];
    for (int k = 0; k < row.length; k++) {
      out[k] = (float) Math.exp(row[k] - max);
      total += out[k];
    }
    for (int k = 0; k < row.length; k++) {
      out[k] /= (float) total;
    }
    return out;
  }

  @Override
  public void close() {
    close(session);
  }

  private static void close(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // nothing left to release
    }
  }

  private static String firstLine(String s) {
    String m = String.valueOf(s);
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
