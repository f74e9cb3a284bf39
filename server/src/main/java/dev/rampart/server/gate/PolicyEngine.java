package dev.rampart.server.gate;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.rampart.server.domain.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates gate policies written in CEL. Every rule is evaluated (no short-circuit across rules), so a decision
 * names every rule that failed; an expression that errors or is not boolean fails its rule with the reason.
 */
public final class PolicyEngine {
  /** The variables a rule can read; each is a map from strings to values. */
  public static final List<String> FACTS =
      List.of("findings", "scan", "signature", "provenance", "datasets", "evaluations", "robustness", "approvals", "model",
          "environment", "history");
  /** Every attestation and claim about the model version, oldest first (CEL list of maps). */
  public static final String ATTESTATIONS = "attestations";

  private final CelCompiler compiler;
  /**
   * A fact recorded as a whole number (an accuracy of 1, say) compares with a fractional threshold as a number: without
   * this, CEL refuses {@code 1 >= 0.99} as a type mismatch and the rule fails for a perfect score.
   */
  private static final dev.cel.common.CelOptions OPTIONS =
      dev.cel.common.CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

  private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  public PolicyEngine() {
    var b = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
        .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS);
    for (String f : FACTS) {
      b.addVar(f, MapType.create(SimpleType.STRING, SimpleType.DYN));
    }
    b.addVar(ATTESTATIONS, dev.cel.common.types.ListType.create(MapType.create(SimpleType.STRING, SimpleType.DYN)));
    compiler = b.build();
  }

  /** One rule's outcome. */
  public record RuleResult(String name, boolean passed, String message) {}

  /** The decision: allowed unless an enforced rule failed. */
  public record Decision(boolean allowed, GatePolicy.Mode mode, List<RuleResult> results) {
    public List<RuleResult> failed() {
      return results.stream().filter(r -> !r.passed()).toList();
    }
  }

  /** Compiles every rule; a policy that does not compile is refused before it is stored. */
  public void validate(GatePolicy policy) {
    for (PolicyRule r : policy.rules()) {
      program(r);
    }
  }

  public Decision evaluate(GatePolicy policy, Map<String, Object> facts) {
    if (policy.mode() == GatePolicy.Mode.OFF) {
      return new Decision(true, policy.mode(), List.of());
    }
    var results = new ArrayList<RuleResult>();
    for (PolicyRule r : policy.rules()) {
      try {
        Object v = program(r).eval(facts);
        if (v instanceof Boolean b) {
          results.add(new RuleResult(r.name(), b, b ? "" : r.message()));
        } else {
          results.add(new RuleResult(r.name(), false, r.message() + " (the rule returned " + v + ", not a boolean)"));
        }
      } catch (CelEvaluationException e) {
        results.add(new RuleResult(r.name(), false, r.message() + " (" + e.getMessage() + ")"));
      }
    }
    boolean failed = results.stream().anyMatch(x -> !x.passed());
    return new Decision(!(failed && policy.mode() == GatePolicy.Mode.ENFORCE), policy.mode(), results);
  }

  private CelRuntime.Program program(PolicyRule r) {
    return programs.computeIfAbsent(r.expression(), expr -> {
      try {
        CelAbstractSyntaxTree ast = compiler.compile(expr).getAst();
        if (!ast.getResultType().equals(SimpleType.BOOL) && !ast.getResultType().equals(SimpleType.DYN)) {
          throw new InvalidInput(InvalidInput.Reason.INVALID_POLICY, "rule '" + r.name() + "' must be a boolean expression, not "
              + ast.getResultType());
        }
        return runtime.createProgram(ast);
      } catch (CelValidationException e) {
        throw new InvalidInput(InvalidInput.Reason.INVALID_POLICY, "rule '" + r.name() + "' does not compile: " + e.getMessage());
      } catch (CelEvaluationException e) {
        throw new InvalidInput(InvalidInput.Reason.INVALID_POLICY, "rule '" + r.name() + "' cannot be planned: " + e.getMessage());
      }
    });
  }
}
