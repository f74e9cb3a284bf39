package dev.rampart.cli;

import dev.rampart.eval.io.NpyArray;
import dev.rampart.eval.runner.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/** Evaluation rows from a NumPy array, with labels from a second array or a text file. */
final class NpyInputs {
  private NpyInputs() {}

  static EvalInputs.Loaded load(EvalInputs options, OnnxClassifier model) throws IOException {
    if (!(NpyArray.read(options.data, NpyArray.DEFAULT_MAX_BYTES) instanceof NpyArray.Numbers numbers)) {
      throw new IllegalArgumentException(options.data + " holds text; model inputs are numbers");
    }
    float[][] all = numbers.rows();
    if (all.length > 0 && all[0].length != model.features()) {
      throw new IllegalArgumentException(options.model + " takes " + model.features() + " values per row; "
          + options.data + " has " + all[0].length + " (shape " + java.util.Arrays.toString(numbers.shape()) + ")");
    }
    List<String> labels = labels(options.labelsFile);
    if (labels.size() != all.length) {
      throw new IllegalArgumentException(options.labelsFile + " has " + labels.size() + " labels for " + all.length
          + " rows in " + options.data);
    }
    int[] chosen = EvalInputs.sample(all.length, options.samples, options.seed);
    float[][] x = new float[chosen.length][];
    int[] y = new int[chosen.length];
    List<String> classes = model.classes((int) labels.stream().distinct().count());
    for (int i = 0; i < chosen.length; i++) {
      x[i] = all[chosen[i]];
      y[i] = classIndex(labels.get(chosen[i]), classes);
    }
    var features = IntStream.range(0, model.features()).mapToObj(j -> "input[" + j + "]").toList();
    return new EvalInputs.Loaded(x, y, classes, features, options.space(model, x));
  }

  /** A class name, or the class's index when the labels are numbers and the model names its classes otherwise. */
  private static int classIndex(String label, List<String> classes) {
    int named = classes.indexOf(label);
    if (named >= 0) {
      return named;
    }
    try {
      double v = Double.parseDouble(label);
      if (v == Math.rint(v) && v >= 0 && v < classes.size()) {
        return (int) v;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new IllegalArgumentException("label '" + label + "' is not one of the model's classes " + classes);
  }

  private static List<String> labels(Path file) throws IOException {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
      var array = NpyArray.read(file, NpyArray.DEFAULT_MAX_BYTES);
      if (array.shape().length != 1) {
        throw new IllegalArgumentException(file + ": labels must be a 1-D array; this one has shape "
            + java.util.Arrays.toString(array.shape()));
      }
      var out = new ArrayList<String>();
      switch (array) {
        case NpyArray.Numbers n -> {
          for (float v : n.values()) {
            out.add(v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v));
          }
        }
        case NpyArray.Texts t -> out.addAll(List.of(t.values()));
      }
      return out;
    }
    if (Files.size(file) > NpyArray.DEFAULT_MAX_BYTES) {
      throw new IOException(file + " is over the size limit for a label file");
    }
    return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}
