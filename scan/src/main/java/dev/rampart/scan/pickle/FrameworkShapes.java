package dev.rampart.scan.pickle;

import dev.rampart.scan.policy.Policy;
import java.util.List;

/**
 * Classic gadgets that frameworks pickle themselves, accepted only in the exact form they write them and only while
 * the policy names the shape. Any other use of the same callable is judged by the allow and deny lists as usual.
 */
final class FrameworkShapes {
  private FrameworkShapes() {}

  /** Whether this occurrence of {@code g} is used only in the form its policy shape accepts. */
  static boolean accepts(Policy policy, Trace trace, Value.Global g, boolean called) {
    var shape = policy.shapeFor(g.dotted());
    if (shape.isEmpty()) {
      return false;
    }
    if (!called) {
      // getattr(module.Class, 'name') reads what GLOBAL 'module' 'Class.name' reads; that name is judged on its own
      return shape.get().form().equals("attribute-read") && trace.attributeReads.contains(g);
    }
    List<Value> calls = trace.callArguments.get(g);
    if (calls == null || trace.otherCalls.contains(g) || trace.attributeReads.contains(g)) {
      return false;
    }
    return switch (shape.get().form()) {
      // dill._dill._load_type('slice'): one listed built-in data type, and the type it returns is judged as well
      case "constant-argument" -> calls.stream().allMatch(args -> args instanceof Value.Tuple t
          && t.items().size() == 1
          && t.items().get(0) instanceof Value.Str s
          && shape.get().arguments().contains(s.value()));
      // dill._dill._create_array(numpy..._reconstruct, args, state): the forwarded global is marked called and judged
      case "forwards-global" -> calls.stream().allMatch(args -> args instanceof Value.Tuple t
          && !t.items().isEmpty()
          && t.items().get(0) instanceof Value.Global first
          && !first.module().equals("unknown"));
      default -> false;
    };
  }
}
