package dev.rampart.scan.torch;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;
import java.util.ArrayList;
import java.util.regex.Pattern;

/**
 * TorchScript code is a restricted language, but it can call any registered operator and some builtins. Flag code
 * that reaches outside tensor maths: custom operator namespaces, file and process access.
 */
public final class TorchScriptCheck {
  private static final Pattern OPS = Pattern.compile("\\bops\\.([A-Za-z_][A-Za-z0-9_]*)\\.");
  private static final Pattern RISKY =
      Pattern.compile("\\b(__import__|eval|exec|open|subprocess|os\\.system|os\\.popen|torch\\.classes|"
          + "torch\\.load|_load_from_bytes|pickle)\\b");
  private static final java.util.Set<String> STANDARD_OPS =
      java.util.Set.of("aten", "prim", "quantized", "_quantized", "quantized_decomposed", "_caffe2", "prepacked",
          "_c10d_functional", "profiler", "torchvision", "torchaudio");

  private TorchScriptCheck() {}

  public static void check(Target target, String code) {
    var reasons = new ArrayList<String>();
    var ops = OPS.matcher(code);
    while (ops.find()) {
      if (!STANDARD_OPS.contains(ops.group(1))) {
        reasons.add("custom operator namespace ops." + ops.group(1));
      }
    }
    var risky = RISKY.matcher(code);
    while (risky.find() && reasons.size() < 10) {
      reasons.add("'" + risky.group(1) + "'");
    }
    if (reasons.isEmpty()) {
      target.report(ScanRules.TORCH_SCRIPT_CODE, code.length() + " characters of TorchScript");
    } else {
      target.report(ScanRules.TORCH_SCRIPT_SUSPICIOUS, String.join(", ", reasons.stream().distinct().toList()));
    }
  }
}
