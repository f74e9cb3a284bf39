package dev.rampart.cli;

import dev.rampart.eval.RobustnessEvaluation;
import dev.rampart.eval.attack.Apgd;
import dev.rampart.eval.grad.WhiteBox;
import dev.rampart.eval.attack.HopSkipJump;
import dev.rampart.eval.attack.NoiseBaseline;
import dev.rampart.eval.attack.SquareAttack;
import dev.rampart.eval.backdoor.BackdoorProbe;
import dev.rampart.eval.backdoor.TriggerInversion;
import dev.rampart.eval.report.BackdoorReport;
import dev.rampart.eval.report.RobustnessReport;
import dev.rampart.scan.Version;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rampart eval}: adversarial robustness and backdoor probes as promotion gates. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model before promotion.",
    subcommands = {EvalCommand.Robustness.class, EvalCommand.Backdoor.class, LlmProbeCommand.class})
final class EvalCommand {

  @Command(name = "robustness", mixinStandardHelpOptions = true,
      description = {
        "Clean accuracy, then evasion at each epsilon (L-inf): white-box APGD-CE with restarts on Rampart's own "
            + "gradients of the ONNX graph when every operator has one (otherwise the report says why not), and beside "
            + "it black-box Square Attack from scores, HopSkipJump from labels only and a random-noise baseline, under "
            + "a query budget Rampart counts. Epsilon is in standard deviations of each feature for tabular models and "
            + "in input units (pixel levels) for image models. The gate reads the points no attack broke and names the "
            + "strongest attack; the JSON 'robustness' record is what the server's promotion gates read."
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

    @Mixin EvalInputs input;

    @Option(names = "--eps", split = ",", required = true, paramLabel = "E1,E2", description = "Epsilons to test.")
    List<Double> eps;

    @Option(names = "--budget", defaultValue = "1000", description = "Queries per sample (default: ${DEFAULT-VALUE}).")
    long budget;

    @Option(names = "--restarts", defaultValue = "5",
        description = "APGD-CE random restarts (default: ${DEFAULT-VALUE}); 0 runs black-box attacks only.")
    int restarts;

    @Option(names = "--iterations", defaultValue = "100",
        description = "APGD-CE iterations per restart (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--fail-under", paramLabel = "robust-accuracy@eps=E=FLOOR",
        description = "Exit 1 when robust accuracy at E is below FLOOR.")
    String failUnder;

    @Mixin OutputOptions out;

    @Mixin AttestOptions attest;

    @Override
    public Integer call() throws Exception {
      out.validate();
      attest.validate(input.model);
      var floor = Optional.ofNullable(failUnder).map(RobustnessReport.Floor::parse);
      if (restarts < 0 || iterations < 2) {
        throw new IllegalArgumentException("--restarts is 0 or more and --iterations at least 2");
      }
      return input.evaluate(spec, (classifier, in) -> {
        float[] scale = in.space().image() ? unit(in.x()[0].length) : RobustnessEvaluation.standardDeviations(in.x());
        var attacks = new java.util.ArrayList<dev.rampart.eval.attack.Attack>();
        String gradients;
        if (restarts > 0) {
          var white = WhiteBox.of(input.model, classifier, in.x());
          switch (white) {
            case WhiteBox.Available a -> {
              attacks.add(new Apgd(a.model(), iterations, restarts));
              gradients = RobustnessEvaluation.RAMPART_GRADIENTS;
            }
            case WhiteBox.Unavailable u -> gradients = u.reason();
          }
        } else {
          gradients = "white-box attacks disabled with --restarts 0";
        }
        attacks.addAll(List.of(SquareAttack.forImages(in.space()), new HopSkipJump(), new NoiseBaseline()));
        var settings = new RobustnessEvaluation.Settings(eps, attacks, budget, input.seed, scale, in.space().lower(),
            in.space().upper(), gradients);
        var result = RobustnessEvaluation.run(classifier, in.x(), in.y(), settings);
        var report = RobustnessReport.report(result, input.model.toString(), input.data.toString(), floor,
            Version.current());
        OutputOptions.Extras.Table table = (ps, render) -> {
          RobustnessReport.printTable(ps, result);
          ps.printf("%s%n", DataCommand.verdictWord(report, render));
        };
        var record = RobustnessReport.record(result, floor);
        if (attest.wanted()) {
          attest.write(dev.rampart.integrity.attest.PredicateType.ROBUSTNESS, input.model, record, spec.commandLine().getErr());
        }
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
        "A black-box search for small triggers that force one class on most inputs (AML.T0018): patches at the "
            + "corners and at random positions for image models, each feature at either end of its valid range for "
            + "tabular models. A tabular trigger counts only where the rows already at that value do not support the "
            + "forced class. With three classes or more, Neural Cleanse-style trigger inversion then finds for every "
            + "class the smallest mask and pattern that send other inputs to it (on Rampart's own gradients, or "
            + "estimated from scores when the graph is not differentiable) and flags a class whose trigger is an "
            + "outlier on the small side by median absolute deviation."
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

    @Mixin EvalInputs input;

    @Option(names = "--threshold", defaultValue = "0.8", paramLabel = "SHARE",
        description = "Share of other-class inputs a trigger must force into one class (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--max-patch", defaultValue = "0", paramLabel = "PIXELS",
        description = "Largest patch side tried on images; 0 means one eighth of the smaller side, at least 3.")
    int maxPatch;

    @Option(names = "--positions", defaultValue = "8", paramLabel = "N",
        description = "Random patch positions per size besides the four corners (default: ${DEFAULT-VALUE}).")
    int positions;

    @Option(names = "--invert-steps", defaultValue = "300", paramLabel = "N",
        description = "Trigger inversion steps per class and restart; 0 skips inversion (default: ${DEFAULT-VALUE}).")
    int invertSteps;

    @Option(names = "--invert-rows", defaultValue = "100", paramLabel = "N",
        description = "Evaluation rows the inversion optimises on (default: ${DEFAULT-VALUE}); all rows verify it.")
    int invertRows;

    @Option(names = "--anomaly", defaultValue = "2", paramLabel = "INDEX",
        description = "Anomaly index (MAD, small side) above which a class is flagged (default: ${DEFAULT-VALUE}).")
    double anomaly;

    @Option(names = "--gradients", defaultValue = "auto", paramLabel = "auto|estimated",
        description = {"Where the inversion's gradients come from: 'auto' uses Rampart's own when the graph allows"
            + " it, 'estimated' always estimates them from scores (NES), as for a graph Rampart cannot differentiate."})
    String gradients;

    @Mixin OutputOptions out;

    @Mixin AttestOptions attest;

    @Override
    public Integer call() throws Exception {
      out.validate();
      attest.validate(input.model);
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("--threshold is a share in (0, 1], for example 0.8");
      }
      if (invertSteps < 0 || invertRows < 1 || !(anomaly > 0)) {
        throw new IllegalArgumentException("--invert-steps is 0 or more, --invert-rows at least 1, --anomaly above 0");
      }
      if (!gradients.equals("auto") && !gradients.equals("estimated")) {
        throw new IllegalArgumentException("--gradients is auto or estimated, not '" + gradients + "'");
      }
      return input.evaluate(spec, (classifier, in) -> {
        var settings = new BackdoorProbe.Settings(threshold, maxPatch, positions, 0.05, input.seed);
        var result = BackdoorProbe.run(classifier, in.space(), in.x(), in.y(), in.classes().size(), settings);
        Optional<TriggerInversion.Result> inversion = Optional.empty();
        if (invertSteps > 0 && in.classes().size() > TriggerInversion.MAX_CLASSES) {
          spec.commandLine().getErr().printf("trigger inversion skipped: %d classes, more than the %d it runs on%n",
              in.classes().size(), TriggerInversion.MAX_CLASSES);
        }
        if (invertSteps > 0 && in.classes().size() >= 3 && in.classes().size() <= TriggerInversion.MAX_CLASSES
            && in.x().length > 0) {
          Optional<dev.rampart.eval.grad.GraphModel> white = Optional.empty();
          String why = "--gradients estimated was given";
          if (gradients.equals("auto")) {
            switch (WhiteBox.of(input.model, classifier, in.x())) {
              case WhiteBox.Available a -> white = Optional.of(a.model());
              case WhiteBox.Unavailable u -> why = u.reason();
            }
          }
          var inv = TriggerInversion.Settings.defaults(input.seed);
          inversion = Optional.of(TriggerInversion.run(classifier, white, why, in.space(), in.x(), in.y(),
              in.classes().size(), new TriggerInversion.Settings(invertRows, invertSteps, inv.restarts(),
                  inv.success(), anomaly, threshold, inv.directions(), input.seed)));
        }
        var inverted = inversion;
        var report = BackdoorReport.report(result, inverted, in.classes(), in.features(), input.model.toString(),
            input.data.toString(), Version.current());
        OutputOptions.Extras.Table table = (ps, render) -> {
          BackdoorReport.printTable(ps, result, inverted, in.classes(), in.features());
          ps.printf("%s%n", DataCommand.verdictWord(report, render));
        };
        var record = BackdoorReport.record(result, inverted, in.classes(), in.features());
        if (attest.wanted()) {
          attest.write(dev.rampart.integrity.attest.PredicateType.BACKDOOR, input.model, record, spec.commandLine().getErr());
        }
        return out.emit(report, OutputOptions.Extras.of(root -> root.set("backdoor", record), table),
            spec.commandLine().getOut());
      });
    }
  }
}
