package dev.rampart.cli;

import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetReadException;
import dev.rampart.eval.InputSpace;
import dev.rampart.eval.runner.ModelException;
import dev.rampart.eval.runner.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model and the evaluation rows every model evaluation starts from. */
final class EvalInputs {
  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "An ONNX classifier.")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "FILE",
      description = "Evaluation rows: a table (CSV, TSV, JSONL, Parquet) or a NumPy .npy array [n, ...].")
  Path data;

  @Option(names = {"-l", "--label"}, paramLabel = "COLUMN", description = "The label column of a table.")
  String label;

  @Option(names = "--labels", paramLabel = "FILE",
      description = "Labels for .npy data: a 1-D .npy array or a text file, one label per line.")
  Path labelsFile;

  @Option(names = "--ignore", split = ",", paramLabel = "COLUMNS", description = "Columns that are not inputs.")
  List<String> ignore = List.of();

  @Option(names = "--samples", defaultValue = "500", description = "Rows evaluated, drawn with --seed (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--seed", defaultValue = "0", description = "Seed for sampling and attacks (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--bounds", defaultValue = "observed", paramLabel = "observed|none|LO:HI",
      description = {"Valid input range: 'observed' (each feature's min and max in the data; for images the pixel "
              + "range seen), 'none', or LO:HI for every input (0:255 for 8-bit pixels). A range the model declares in "
              + "its metadata (input_range or pixel_range) replaces 'observed'."})
  String bounds;

  @Option(names = "--outputs", defaultValue = "auto", paramLabel = "auto|probabilities|logits",
      description = "What the model's output holds; 'auto' reads the model's output_kind metadata or detects it.")
  String outputs;

  @Option(names = "--preprocess", paramLabel = "OFFSET:SCALE",
      description = {"Preprocessing the model expects: each value becomes (value - OFFSET) / SCALE before the "
              + "model sees it, so bounds and epsilons stay in the data's units (0:255 for 8-bit pixels a model wants in "
              + "[0, 1]; lists give one value per channel or feature). Default: the model's input_preprocessing metadata."})
  String preprocess;

  @Mixin DataCommand.ReadOptions read;

  /** Rows ready for the model, their class indexes, and the input space they live in. */
  record Loaded(float[][] x, int[] y, List<String> classes, List<String> features, InputSpace space) {}

  /** What an evaluation does once the model and its rows are loaded. */
  interface Evaluation {
    int run(OnnxClassifier model, Loaded loaded) throws IOException, ModelException;
  }

  /** How the rows reach the model: from a NumPy array or from a table read beforehand. */
  private interface Rows {
    Loaded load(OnnxClassifier classifier) throws IOException, DatasetReadException;
  }

  int evaluate(CommandSpec spec, Evaluation evaluation) throws IOException {
    if (!Files.exists(model)) {
      throw new NoSuchFileException(model.toString());
    }
    var declared = OnnxClassifier.Outputs.parse(outputs);
    var pre = preprocess == null ? null : dev.rampart.eval.runner.Preprocessing.parse(preprocess);
    Rows rows;
    if (data.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
      if (labelsFile == null) {
        throw new IllegalArgumentException("--data is a .npy array; give its labels with --labels FILE");
      }
      rows = classifier -> NpyInputs.load(this, classifier);
    } else {
      if (label == null) {
        throw new IllegalArgumentException("give the label column of " + data.getFileName() + " with --label");
      }
      Dataset dataset;
      try {
        dataset = read.read(data);
      } catch (DatasetReadException e) {
        return DataCommand.ReadOptions.refuse(spec.commandLine().getErr(), e);
      }
      rows = classifier -> load(dataset, classifier);
    }
    try (var classifier = OnnxClassifier.load(model)) {
      classifier.outputs(declared).preprocessing(pre);
      return evaluation.run(classifier, rows.load(classifier));
    } catch (ModelException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (DatasetReadException e) {
      return DataCommand.ReadOptions.refuse(spec.commandLine().getErr(), e);
    }
  }

  private Loaded load(Dataset dataset, OnnxClassifier classifier) throws DatasetReadException {
    var labels = dataset.labels(label);
    int[] chosen = sample(dataset.rows(), samples, seed);
    float[][] x = Scoring.inputs(dataset, label, ignore, classifier, model, chosen);
    int[] y = new int[chosen.length];
    List<String> classes = classifier.classes(Math.max(2, labels.levels().size()));
    for (int i = 0; i < chosen.length; i++) {
      y[i] = classes.indexOf(labels.display(chosen[i]));
      if (y[i] < 0) {
        throw new IllegalArgumentException("label '" + labels.display(chosen[i]) + "' is not one of the model's "
            + "classes " + classes);
      }
    }
    var skip = new java.util.ArrayList<>(ignore);
    skip.add(label);
    List<String> features = dataset.columnsExcept(skip).stream().map(Column::name).toList();
    return new Loaded(x, y, classes, features, space(classifier, x));
  }

  InputSpace space(OnnxClassifier classifier, float[][] x) {
    String declared = classifier.metadata("input_range");
    return InputSpace.of(classifier.inputShape(), bounds, x,
        Optional.of(declared.isBlank() ? classifier.metadata("pixel_range") : declared));
  }

  static int[] sample(int rows, int wanted, long seed) {
    int[] all = new int[rows];
    for (int i = 0; i < rows; i++) {
      all[i] = i;
    }
    if (wanted >= rows) {
      return all;
    }
    var random = new SplittableRandom(seed);
    for (int i = 0; i < wanted; i++) {
      int j = i + random.nextInt(rows - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] out = Arrays.copyOf(all, wanted);
    Arrays.sort(out);
    return out;
  }
}
