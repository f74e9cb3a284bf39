package dev.rampart.cli;

import dev.rampart.core.ExitCode;
import dev.rampart.core.report.RenderOptions;
import dev.rampart.data.io.Column;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetReadException;
import dev.rampart.eval.InputSpace;
import dev.rampart.eval.RobustnessEvaluation;
import dev.rampart.eval.attack.HopSkipJump;
import dev.rampart.eval.attack.NoiseBaseline;
import dev.rampart.eval.attack.SquareAttack;
import dev.rampart.eval.backdoor.BackdoorProbe;
import dev.rampart.eval.report.BackdoorReport;
import dev.rampart.eval.report.RobustnessReport;
import dev.rampart.eval.runner.ModelException;
import dev.rampart.eval.runner.OnnxClassifier;
import dev.rampart.scan.Version;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart eval}: adversarial robustness and backdoor probes as promotion gates. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model before promotion.",
    subcommands = {EvalCommand.Robustness.class, EvalCommand.Backdoor.class, LlmProbeCommand.class})
final class EvalCommand {

  /** The model and the evaluation rows every model evaluation starts from. */
  static final class ModelData {
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
        description = {"Valid input range: 'observed' (each feature's min and max in the data; for images the pixel",
            "range seen), 'none', or LO:HI for every input (0:255 for 8-bit pixels). A range the model declares in",
            "its metadata (input_range or pixel_range) replaces 'observed'."})
    String bounds;

    @Option(names = "--outputs", defaultValue = "auto", paramLabel = "auto|probabilities|logits",
        description = "What the model's output holds; 'auto' reads the model's output_kind metadata or detects it.")
    String outputs;

    @Option(names = "--preprocess", paramLabel = "OFFSET:SCALE",
        description = {"Preprocessing the model expects: each value becomes (value - OFFSET) / SCALE before the",
            "model sees it, so bounds and epsilons stay in the data's units (0:255 for 8-bit pixels a model wants in",
            "[0, 1]; lists give one value per channel or feature). Default: the model's input_preprocessing metadata."})
    String preprocess;

    @Mixin DataCommand.ReadOptions read;

    /** Rows ready for the model, their class indexes, and the input space they live in. */
    record Loaded(float[][] x, int[] y, List<String> classes, List<String> features, InputSpace space) {}

    /** What an evaluation does once the model and its rows are loaded. */
    interface Evaluation {
      int run(OnnxClassifier model, Loaded loaded) throws IOException, ModelException;
    }

    int evaluate(CommandSpec spec, Evaluation evaluation) throws IOException {
      if (!Files.exists(model)) {
        throw new NoSuchFileException(model.toString());
      }
      var declared = OnnxClassifier.Outputs.parse(outputs);
      var pre = preprocess == null ? null : dev.rampart.eval.runner.Preprocessing.parse(preprocess);
      if (data.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
        if (labelsFile == null) {
          throw new IllegalArgumentException("--data is a .npy array; give its labels with --labels FILE");
        }
        try (var classifier = OnnxClassifier.load(model)) {
          return evaluation.run(classifier.outputs(declared).preprocessing(pre), NpyInputs.load(this, classifier));
        } catch (ModelException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      }
      if (label == null) {
        throw new IllegalArgumentException("give the label column of " + data.getFileName() + " with --label");
      }
      Dataset dataset;
      try {
        dataset = read.read(data);
      } catch (DatasetReadException e) {
        spec.commandLine().getErr().println("rampart: " + e.getMessage());
        return e instanceof DatasetReadException.MissingColumn ? ExitCode.USAGE.code() : ExitCode.INCOMPLETE.code();
      }
      try (var classifier = OnnxClassifier.load(model)) {
        return evaluation.run(classifier.outputs(declared).preprocessing(pre), load(dataset, classifier));
      } catch (ModelException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      } catch (DatasetReadException e) {
        spec.commandLine().getErr().println("rampart: " + e.getMessage());
        return ExitCode.USAGE.code();
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

  @Command(name = "robustness", mixinStandardHelpOptions = true,
      description = {
        "Clean accuracy, then black-box evasion (Square Attack from scores, HopSkipJump from labels only, and a",
        "random-noise baseline; L-inf) at each epsilon, under a query budget Rampart counts. Epsilon is in",
        "standard deviations of each feature for tabular models and in input units (pixel levels) for image",
        "models. The JSON 'robustness' record is what the server's promotion gates read."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:robust accuracy meets --fail-under (or no floor was set)",
        "1:robust accuracy below --fail-under",
        "2:usage error: unreadable model, wrong shapes, unknown labels",
        "3:the evaluation data could not be read"
      })
  static final class Robustness implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelData input;

    @Option(names = "--eps", split = ",", required = true, paramLabel = "E1,E2", description = "Epsilons to test.")
    List<Double> eps;

    @Option(names = "--budget", defaultValue = "1000", description = "Queries per sample (default: ${DEFAULT-VALUE}).")
    long budget;

    @Option(names = "--fail-under", paramLabel = "robust-accuracy@eps=E=FLOOR",
        description = "Exit 1 when robust accuracy at E is below FLOOR.")
    String failUnder;

    @Mixin OutputOptions out;

    @Override
    public Integer call() throws Exception {
      out.validate();
      var floor = Optional.ofNullable(failUnder).map(RobustnessReport.Floor::parse);
      return input.evaluate(spec, (classifier, in) -> {
        float[] scale = in.space().image() ? unit(in.x()[0].length) : RobustnessEvaluation.standardDeviations(in.x());
        var settings = new RobustnessEvaluation.Settings(eps,
            List.of(SquareAttack.forImages(in.space()), new HopSkipJump(), new NoiseBaseline()), budget, input.seed,
            scale, in.space().lower(), in.space().upper());
        var result = RobustnessEvaluation.run(classifier, in.x(), in.y(), settings);
        var report = RobustnessReport.report(result, input.model.toString(), input.data.toString(), floor,
            Version.current());
        OutputOptions.Extras.Table table = (ps, render) -> {
          RobustnessReport.printTable(ps, result);
          ps.printf("%s%n", DataCommand.verdictWord(report, render));
        };
        var record = RobustnessReport.record(result, floor);
        return out.emit(report, OutputOptions.Extras.of(root -> root.set("robustness", record), table),
            spec.commandLine().getOut());
      });
    }

    private static float[] unit(int d) {
      float[] one = new float[d];
      Arrays.fill(one, 1f);
      return one;
    }
  }

  @Command(name = "backdoor", mixinStandardHelpOptions = true,
      description = {
        "A black-box search for small triggers that force one class on most inputs (AML.T0018): patches at the",
        "corners and at random positions for image models, each feature at either end of its valid range for",
        "tabular models. A tabular trigger counts only where the rows already at that value do not support the",
        "forced class."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:no trigger found",
        "1:a trigger forces one class (or a finding at --fail-on)",
        "2:usage error: unreadable model, wrong shapes, unknown labels",
        "3:the evaluation data could not be read"
      })
  static final class Backdoor implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelData input;

    @Option(names = "--threshold", defaultValue = "0.8", paramLabel = "SHARE",
        description = "Share of other-class inputs a trigger must force into one class (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--max-patch", defaultValue = "0", paramLabel = "PIXELS",
        description = "Largest patch side tried on images; 0 means one eighth of the smaller side, at least 3.")
    int maxPatch;

    @Option(names = "--positions", defaultValue = "8", paramLabel = "N",
        description = "Random patch positions per size besides the four corners (default: ${DEFAULT-VALUE}).")
    int positions;

    @Mixin OutputOptions out;

    @Override
    public Integer call() throws Exception {
      out.validate();
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("--threshold is a share in (0, 1], for example 0.8");
      }
      return input.evaluate(spec, (classifier, in) -> {
        var settings = new BackdoorProbe.Settings(threshold, maxPatch, positions, 0.05, input.seed);
        var result = BackdoorProbe.run(classifier, in.space(), in.x(), in.y(), in.classes().size(), settings);
        var report = BackdoorReport.report(result, in.classes(), in.features(), input.model.toString(),
            input.data.toString(), Version.current());
        OutputOptions.Extras.Table table = (ps, render) -> {
          BackdoorReport.printTable(ps, result, in.classes(), in.features());
          ps.printf("%s%n", DataCommand.verdictWord(report, render));
        };
        var record = BackdoorReport.record(result, in.classes(), in.features());
        return out.emit(report, OutputOptions.Extras.of(root -> root.set("backdoor", record), table),
            spec.commandLine().getOut());
      });
    }
  }
}
