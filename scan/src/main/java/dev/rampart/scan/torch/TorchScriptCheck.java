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
  /**
   * Builtins and operators with file effects that TorchScript compiles: torch.save/load, storage and tensor
   * {@code from_file}, jit save/load, and the audio, image and video readers and writers of the standard op sets.
   */
  private static final Pattern FILE_EFFECTS =
      Pattern.compile("((?<![\\w.])(?:torch\\.(?:jit\\.)?)?(?:save|load)(?=\\s*\\()|\\b[A-Za-z_.]*from_file|"
          + "\\baten::(?:save|load|from_file)[A-Za-z_.]*|ops\\.aten\\.(?:save|load|from_file)[A-Za-z_]*|"
          + "ops\\.torchaudio\\.[A-Za-z_]*(?:load|save|file)[A-Za-z_]*|"
          + "ops\\.torchvision\\.[A-Za-z_]*(?:read|write|file)[A-Za-z_]*|"
          + "ops\\.image\\.[A-Za-z_]+|ops\\.video_reader\\.[A-Za-z_]+|_load_for_mobile|_save_for_mobile|"
          + "_import_ir_module_from_package|torch\\.hub\\.[A-Za-z_]+)");
  private static final Pattern SETSTATE = Pattern.compile("\\bdef\\s+__setstate__\\s*\\(");
  private static final java.util.Set<String> STANDARD_OPS =
      java.util.Set.of("aten", "prim", "quantized", "_quantized", "quantized_decomposed", "_caffe2", "prepacked",
          "_c10d_functional", "profiler", "torchvision", "torchaudio");

  private TorchScriptCheck() {}

  public static void check(Target target, String raw) {
    // TorchScript's tokenizer, like Python's, takes "torch . save" and line continuations as "torch.save"
    String code = raw.replaceAll("\\\\\\r?\\n", " ").replaceAll("[ \\t]*\\.[ \\t]*", ".");
    var reasons = new ArrayList<String>();
    var files = FILE_EFFECTS.matcher(code);
    boolean setstate = SETSTATE.matcher(code).find();
    while (files.find() && reasons.size() < 10) {
      reasons.add("file access '" + files.group(1) + "'" + (setstate ? " in code that defines __setstate__, run on load" : ""));
    }
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
