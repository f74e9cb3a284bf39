package dev.rampart.scan.tensorflow;

import dev.rampart.core.Finding;
import dev.rampart.core.Severity;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges the nodes of one GraphDef or function body together, so a file or network op is judged with the constant
 * that names its path: a saver's SaveV2 fed by the {@code saver_filename} placeholder is how every SavedModel saves,
 * while the same op fed by a constant writes to a place the model chose.
 */
public final class GraphOps {
  /** One node as far as these checks need it. */
  record Node(String name, String op, List<String> inputs, Optional<String> stringConstant, List<String> urls,
      String outputStream) {}

  private static final Set<String> PY_OPS = Set.of("PyFunc", "PyFuncStateless", "EagerPyFunc");
  /** Ops that touch files whatever feeds them. */
  private static final Set<String> FILE_OPS =
      Set.of("ReadFile", "WriteFile", "ImmutableConst", "WholeFileReader", "WholeFileReaderV2", "DeleteFile",
          "LoadAndRemapMatrix");
  /** Ops that read files named by an input: tf.data sources, the legacy readers, file matching. */
  private static final Set<String> READERS =
      Set.of("TextLineDataset", "TFRecordDataset", "TFRecordDatasetV2", "FixedLengthRecordDataset",
          "FixedLengthRecordDatasetV2", "CSVDataset", "CSVDatasetV2", "ExperimentalCSVDataset", "SqlDataset",
          "ExperimentalSqlDataset", "LMDBDataset", "ExperimentalLMDBDataset", "LoadDataset", "SnapshotDataset",
          "SnapshotDatasetV2", "TextLineReader", "TextLineReaderV2", "TFRecordReader", "TFRecordReaderV2",
          "FixedLengthRecordReader", "FixedLengthRecordReaderV2", "LMDBReader", "MatchingFiles",
          "MatchingFilesDataset", "ExperimentalMatchingFilesDataset");
  /** Ops that write or read checkpoints and caches; normal when the path is fed at run time, not when it is fixed. */
  private static final Set<String> SAVERS =
      Set.of("Save", "SaveSlices", "SaveV2", "MergeV2Checkpoints", "Restore", "RestoreV2", "RestoreSlice",
          "DatasetToTFRecord", "ExperimentalDatasetToTFRecord", "SaveDataset", "SaveDatasetV2", "CacheDataset",
          "CacheDatasetV2", "CreateSummaryFileWriter");
  /** Ops that talk to remote endpoints. */
  private static final Set<String> REMOTE =
      Set.of("RpcClient", "RpcCall", "RpcServer", "RpcServerStart", "RpcServerRegister", "RpcCheckStatus",
          "RpcGetValue");
  /** Which inputs name a path, where it is not the first. */
  private static final Map<String, Set<Integer>> PATH_INPUTS =
      Map.of("MergeV2Checkpoints", Set.of(0, 1), "DatasetToTFRecord", Set.of(1), "ExperimentalDatasetToTFRecord",
          Set.of(1), "SaveDataset", Set.of(1), "SaveDatasetV2", Set.of(1), "CacheDataset", Set.of(1),
          "CacheDatasetV2", Set.of(1), "CreateSummaryFileWriter", Set.of(1), "SnapshotDataset", Set.of(1),
          "SnapshotDatasetV2", Set.of(1));
  private static final int MAX_IDENTITY_HOPS = 16;

  private GraphOps() {}

  /**
   * The rule an op raises whatever feeds it, for graphs whose inputs cannot be followed (TFLite Flex ops); null for
   * ops that are harmless on their own.
   */
  public static dev.rampart.core.Rule riskOf(String op) {
    if (PY_OPS.contains(op)) {
      return ScanRules.TF_PYFUNC;
    }
    if (REMOTE.contains(op) || op.startsWith("Debug")) {
      return ScanRules.TF_NETWORK_OP;
    }
    if (FILE_OPS.contains(op) || READERS.contains(op) || SAVERS.contains(op) || op.equals("PrintV2")) {
      return ScanRules.TF_FILE_OP;
    }
    return null;
  }

  static void judge(Target target, List<Node> nodes, String where) {
    var byName = new HashMap<String, Node>();
    for (Node n : nodes) {
      byName.putIfAbsent(n.name(), n);
    }
    for (Node n : nodes) {
      String place = where + " node '" + n.name() + "'";
      String op = n.op();
      if (PY_OPS.contains(op)) {
        target.report(ScanRules.TF_PYFUNC, place + " runs " + op);
        continue;
      }
      for (String url : n.urls()) {
        boolean local = url.toLowerCase(Locale.ROOT).startsWith("file://");
        target.report(local ? ScanRules.TF_FILE_OP : ScanRules.TF_NETWORK_OP,
            place + " (" + op + ") streams tensors to " + url);
      }
      if (REMOTE.contains(op)) {
        target.report(ScanRules.TF_NETWORK_OP, place + " runs " + op);
        continue;
      }
      var paths = constantInputs(n, byName);
      for (String path : paths) {
        if (isUrl(path)) {
          target.report(ScanRules.TF_NETWORK_OP, place + " (" + op + ") reaches the URL '" + preview(path) + "'");
        }
      }
      if (FILE_OPS.contains(op)) {
        target.report(ScanRules.TF_FILE_OP, place + " runs " + op + pathNote(paths));
      } else if (op.equals("PrintV2") && n.outputStream().startsWith("file://")) {
        target.report(ScanRules.TF_FILE_OP, place + " prints to " + n.outputStream());
      } else if (READERS.contains(op)) {
        if (paths.isEmpty()) {
          target.report(Finding.of(ScanRules.TF_FILE_OP, place + " runs " + op + ", which reads files named at run time",
              target.location()).withSeverity(Severity.MEDIUM));
        } else {
          target.report(ScanRules.TF_FILE_OP, place + " runs " + op + pathNote(paths));
        }
      } else if (SAVERS.contains(op) && paths.stream().anyMatch(GraphOps::outside)) {
        // TF1 savers feed a relative default ("model") that the caller replaces; a fixed outside path is the model's
        target.report(ScanRules.TF_FILE_OP, place + " runs " + op + " on a path fixed in the model"
            + pathNote(paths.stream().filter(GraphOps::outside).toList()));
      } else if (op.equals("InitializeTableFromTextFile") || op.equals("InitializeTableFromTextFileV2")) {
        target.report(
            Finding.of(ScanRules.TF_FILE_OP, place + " reads a vocabulary file (common for lookup tables)", target.location())
                .withSeverity(Severity.LOW));
      }
    }
  }

  /**
   * The string constants that reach this node's path inputs, folded through Identity-like nodes, StringJoin and
   * ShardedFilename; a path built at run time (from a placeholder or function argument) gives none.
   */
  private static List<String> constantInputs(Node n, Map<String, Node> byName) {
    var out = new java.util.ArrayList<String>();
    var indexes = PATH_INPUTS.getOrDefault(n.op(), Set.of(0));
    var data = n.inputs().stream().filter(i -> !i.startsWith("^")).toList();
    for (int index : indexes) {
      if (index < data.size()) {
        fold(data.get(index), byName, 0).filter(v -> !v.isEmpty()).ifPresent(out::add);
      }
    }
    return out;
  }

  private static final Set<String> PASS_THROUGH = Set.of("Identity", "Snapshot", "StopGradient", "IdentityN");

  private static Optional<String> fold(String input, Map<String, Node> byName, int depth) {
    if (depth > MAX_IDENTITY_HOPS || input.startsWith("^")) {
      return Optional.empty();
    }
    Node source = byName.get(input.contains(":") ? input.substring(0, input.indexOf(':')) : input);
    if (source == null) {
      return Optional.empty();
    }
    var inputs = source.inputs().stream().filter(i -> !i.startsWith("^")).toList();
    if (source.op().equals("Const")) {
      return source.stringConstant();
    }
    if (PASS_THROUGH.contains(source.op()) && !inputs.isEmpty()) {
      return fold(inputs.get(0), byName, depth + 1);
    }
    if ((source.op().equals("StringJoin") || source.op().equals("Add") || source.op().equals("AddV2"))
        && !inputs.isEmpty()) {
      var joined = new StringBuilder();
      for (String i : inputs) {
        var part = fold(i, byName, depth + 1);
        if (part.isEmpty()) {
          return Optional.empty();
        }
        joined.append(part.get());
      }
      return Optional.of(joined.toString());
    }
    if (source.op().equals("ShardedFilename") && !inputs.isEmpty()) {
      return fold(inputs.get(0), byName, depth + 1);
    }
    return Optional.empty();
  }

  /** Absolute, home-relative, parent-escaping or remote: a path outside wherever the model is used. */
  private static boolean outside(String path) {
    String p = path.replace('\\', '/');
    return p.startsWith("/") || p.startsWith("~") || p.matches("^[A-Za-z]:.*") || isUrl(p)
        || java.util.Arrays.asList(p.split("/")).contains("..");
  }

  private static boolean isUrl(String path) {
    return path.matches("(?i)^[a-z][a-z0-9+.-]*://.*") && !path.toLowerCase(Locale.ROOT).startsWith("file://");
  }

  private static String pathNote(List<String> paths) {
    return paths.isEmpty() ? "" : " on '" + preview(paths.get(0)) + "'";
  }

  private static String preview(String s) {
    String p = s.length() > 160 ? s.substring(0, 160) + "..." : s;
    return p.replaceAll("\\p{Cntrl}", "?");
  }
}
