package dev.rampart.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Atlas;
import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Stage;
import dev.rampart.core.Report;
import dev.rampart.core.Rule;
import dev.rampart.core.Severity;
import dev.rampart.eval.RobustnessEvaluation;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The robustness gate's report: findings for the gate, and in JSON a {@code robustness} record in RobustBench's
 * terms (clean and robust accuracy, epsilon, norm, attacks, budget, sample count, seed) that the server's promotion
 * gates read as the {@code robustness} evaluation.
 */
public final class RobustnessReport {
  public static final Rule MEASURED = Rule.of("EVAL-ROBUSTNESS", Severity.INFO, "Adversarial robustness measured",
      "White-box (APGD-CE on Rampart's own gradients, when the graph allows) and black-box evasion within the "
          + "threat model; the gate reads the points no attack broke, and names the strongest attack.",
      Atlas.EVADE_AI_MODEL, Stage.MODEL_VALIDATION);
  public static final Rule BELOW_FLOOR = Rule.of("EVAL-ROBUSTNESS-BELOW-FLOOR", Severity.HIGH,
      "Robust accuracy below the required floor",
      "Attacks within the threat model fool the model more often than the gate allows. Adversarial "
          + "training, input validation or a smaller attack surface (fewer exposed scores) raise it.",
      Atlas.EVADE_AI_MODEL, Stage.MODEL_VALIDATION);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** {@code robust-accuracy@eps=E} must be at least {@code floor}. */
  public record Floor(double epsilon, double floor) {
    public static Floor parse(String spec) {
      var m = java.util.regex.Pattern.compile("robust-accuracy@eps=([0-9.]+)=([0-9.]+)").matcher(spec.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("--fail-under takes robust-accuracy@eps=EPSILON=FLOOR, for example "
            + "robust-accuracy@eps=0.1=0.8");
      }
      return new Floor(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
    }
  }

  private RobustnessReport() {}

  public static Report report(RobustnessEvaluation.Result result, String model, String data, Optional<Floor> floor,
      String toolVersion) {
    var findings = new ArrayList<Finding>();
    Location at = Location.of(model);
    for (var e : result.epsilons()) {
      findings.add(Finding.of(MEASURED, String.format(Locale.ROOT,
          "eps %.4g (%s): robust accuracy %.3f (strongest attack %s; %s), clean %.3f, %d samples, budget %d queries "
              + "per sample", e.epsilon(), result.norm(), e.robustAccuracy(), e.strongest().attack(),
          whiteBoxNote(result), result.cleanAccuracy(), result.samples(), result.budget()), at));
    }
    floor.ifPresent(f -> {
      var measured = result.robustAccuracy(f.epsilon());
      if (measured.isEmpty()) {
        throw new IllegalArgumentException("--fail-under names eps=" + f.epsilon() + ", which --eps does not include");
      }
      if (measured.getAsDouble() < f.floor()) {
        findings.add(Finding.of(BELOW_FLOOR, String.format(Locale.ROOT,
            "robust accuracy %.3f at eps %.4g is below the floor %.3f", measured.getAsDouble(), f.epsilon(),
            f.floor()), at));
      }
    });
    var artifact = new ArtifactRecord(model, "onnx", 0, ArtifactRecord.Status.SCANNED, result.samples()
        + " samples from " + data);
    return new Report("eval-robustness", toolVersion, Instant.now(), List.of(model, data), findings, List.of(),
        List.of(artifact));
  }

  private static String whiteBoxNote(RobustnessEvaluation.Result result) {
    return result.gradients().equals(RobustnessEvaluation.RAMPART_GRADIENTS) ? "white-box on Rampart's gradients"
        : "black-box only: " + result.gradients();
  }

  /** The record the server's gates read: {@code robust_accuracy} is the figure at the floor's epsilon, or the largest. */
  public static ObjectNode record(RobustnessEvaluation.Result result, Optional<Floor> floor) {
    var node = MAPPER.createObjectNode();
    node.put("clean_accuracy", result.cleanAccuracy());
    var headline = floor.map(Floor::epsilon)
        .orElse(result.epsilons().stream().mapToDouble(RobustnessEvaluation.EpsilonResult::epsilon).max().orElse(0));
    node.put("eps", headline);
    node.put("robust_accuracy", result.robustAccuracy(headline).orElse(result.cleanAccuracy()));
    boolean white = result.gradients().equals(RobustnessEvaluation.RAMPART_GRADIENTS);
    node.put("white_box", white);
    if (!white) {
      node.put("white_box_unavailable", result.gradients());
    }
    result.epsilons().stream().filter(e -> Math.abs(e.epsilon() - headline) < 1e-12).findFirst().ifPresent(e -> {
      node.put("strongest_attack", e.strongest().attack());
      best(e, true).ifPresent(v -> node.put("white_box_robust_accuracy", v));
      best(e, false).ifPresent(v -> node.put("black_box_robust_accuracy", v));
    });
    node.put("norm", result.norm());
    node.put("budget", result.budget());
    node.put("n", result.samples());
    node.put("seed", result.seed());
    var attacks = node.putArray("attacks");
    if (!result.epsilons().isEmpty()) {
      result.epsilons().get(0).attacks().forEach(a -> attacks.add(a.attack()));
    }
    var byEps = node.putArray("by_eps");
    for (var e : result.epsilons()) {
      var item = byEps.addObject().put("eps", e.epsilon()).put("robust_accuracy", e.robustAccuracy())
          .put("strongest_attack", e.strongest().attack());
      var per = item.putArray("attacks");
      e.attacks().forEach(a -> per.addObject().put("attack", a.attack()).put("white_box", a.whiteBox())
          .put("robust_accuracy", a.robustAccuracy())
          .put("success_rate", a.successRate()).put("median_queries", a.medianQueries())
          .put("max_queries", a.maxQueries()).put("queries", a.queries()));
    }
    return node;
  }

  /** The lowest robust accuracy among the white-box (or the black-box) attacks at one epsilon. */
  private static java.util.OptionalDouble best(RobustnessEvaluation.EpsilonResult e, boolean whiteBox) {
    return e.attacks().stream().filter(a -> a.whiteBox() == whiteBox)
        .mapToDouble(RobustnessEvaluation.AttackResult::robustAccuracy).min();
  }

  public static void printTable(PrintStream out, RobustnessEvaluation.Result result) {
    out.printf(Locale.ROOT, "clean accuracy %.3f on %d samples; %s, budget %d queries per sample, seed %d%n%n",
        result.cleanAccuracy(), result.samples(), result.norm(), result.budget(), result.seed());
    out.println(whiteBoxNote(result));
    out.println("  eps        attack             robust acc  success  median q  max q");
    for (var e : result.epsilons()) {
      for (var a : e.attacks()) {
        out.printf(Locale.ROOT, "  %-10.4g %-18s %10.3f  %7.3f  %8d  %5d%n", e.epsilon(), a.attack(),
            a.robustAccuracy(), a.successRate(), a.medianQueries(), a.maxQueries());
      }
      out.printf(Locale.ROOT, "  %-10.4g %-18s %10.3f  (strongest: %s)%n", e.epsilon(), "all attacks",
          e.robustAccuracy(), e.strongest().attack());
    }
    out.println();
  }
}
