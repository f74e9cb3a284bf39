package dev.rampart.cli;

import dev.rampart.core.ExitCode;
import dev.rampart.core.report.RenderOptions;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetReadException;
import dev.rampart.eval.RobustnessEvaluation;
import dev.rampart.eval.attack.HopSkipJump;
import dev.rampart.eval.attack.NoiseBaseline;
import dev.rampart.eval.attack.SquareAttack;
import dev.rampart.eval.report.RobustnessReport;
import dev.rampart.eval.runner.ModelException;
import dev.rampart.eval.runner.OnnxClassifier;
import dev.rampart.scan.Version;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

/** {@code rampart eval robustness}: adversarial robustness as a promotion gate. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model before promotion.", subcommands = EvalCommand.Robustness.class)
final class EvalCommand {

  @Command(name = "robustness", mixinStandardHelpOptions = true,
      description = {
        "Clean accuracy, then black-box evasion (Square Attack from scores, HopSkipJump from labels only, and a",
        "random-noise baseline; L-inf) at each epsilon, under a query budget Rampart counts. Epsilon is in",
        "standard deviations of each feature over the evaluation rows. The JSON 'robustness' record is what the server's promotion gates read."
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

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "An ONNX classifier.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Evaluation rows (CSV, Parquet...).")
    Path data;

    @Option(names = {"-l", "--label"}, required = true, paramLabel = "COLUMN", description = "The label column.")
    String label;

    @Option(names = "--ignore", split = ",", paramLabel = "COLUMNS", description = "Columns that are not inputs.")
    List<String> ignore = List.of();

    @Option(names = "--eps", split = ",", required = true, paramLabel = "E1,E2", description = "Epsilons to test.")
    List<Double> eps;

    @Option(names = "--budget", defaultValue = "1000", description = "Queries per sample (default: ${DEFAULT-VALUE}).")
    long budget;

    @Option(names = "--samples", defaultValue = "500", description = "Rows evaluated, drawn with --seed (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for sampling and attacks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bounds", defaultValue = "observed",
        description = "Valid input range: 'observed' (each feature's min and max in the data) or 'none'.")
    String bounds;

    @Option(names = "--fail-under", paramLabel = "robust-accuracy@eps=E=FLOOR",
        description = "Exit 1 when robust accuracy at E is below FLOOR.")
    String failUnder;

    @Mixin DataCommand.ReadOptions read;

    @Mixin OutputOptions out;

    @Override
    public Integer call() throws Exception {
      out.validate();
      var floor = Optional.ofNullable(failUnder).map(RobustnessReport.Floor::parse);
      if (!bounds.equals("observed") && !bounds.equals("none")) {
        throw new IllegalArgumentException("--bounds is observed or none");
      }
      if (!Files.exists(model)) {
        throw new NoSuchFileException(model.toString());
      }
      Dataset dataset;
      try {
        dataset = read.read(data);
      } catch (DatasetReadException e) {
        spec.commandLine().getErr().println("rampart: " + e.getMessage());
        return e instanceof DatasetReadException.MissingColumn ? ExitCode.USAGE.code() : ExitCode.INCOMPLETE.code();
      }
      try (var classifier = OnnxClassifier.load(model)) {
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
        float[][] limits = bounds.equals("none") ? RobustnessEvaluation.unbounded(x[0].length)
            : RobustnessEvaluation.observedBounds(x);
        var settings = new RobustnessEvaluation.Settings(eps, List.of(new SquareAttack(), new HopSkipJump(), new NoiseBaseline()), budget,
            seed, RobustnessEvaluation.standardDeviations(x), limits[0], limits[1]);
        var result = RobustnessEvaluation.run(classifier, x, y, settings);
        var report = RobustnessReport.report(result, model.toString(), data.toString(), floor, Version.current());
        return out.emit(report, new OutputOptions.Extras() {
          @Override
          public void json(com.fasterxml.jackson.databind.node.ObjectNode root) {
            root.set("robustness", RobustnessReport.record(result, floor));
          }

          @Override
          public void table(PrintStream ps, RenderOptions render) {
            RobustnessReport.printTable(ps, result);
            ps.printf("%s%n", DataCommand.verdictWord(report, render));
          }
        }, spec.commandLine().getOut());
      } catch (ModelException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      } catch (DatasetReadException e) {
        spec.commandLine().getErr().println("rampart: " + e.getMessage());
        return ExitCode.USAGE.code();
      }
    }

    private static int[] sample(int rows, int wanted, long seed) {
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
      int[] out = java.util.Arrays.copyOf(all, wanted);
      java.util.Arrays.sort(out);
      return out;
    }

  }
}
