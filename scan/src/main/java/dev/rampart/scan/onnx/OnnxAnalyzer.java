package dev.rampart.scan.onnx;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.hf.MetadataCheck;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.protobuf.ProtoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * ONNX ModelProto, walked field by field (graphs, subgraphs in control-flow attributes, functions, training
 * graphs): external-data paths, custom operator domains and tensors whose bytes disagree with their shape.
 */
public final class OnnxAnalyzer implements Analyzer {
  private static final Set<String> STANDARD_DOMAINS =
      Set.of("", "ai.onnx", "ai.onnx.ml", "ai.onnx.training", "ai.onnx.preview.training", "com.microsoft",
          "com.microsoft.nchwc", "com.microsoft.experimental", "com.microsoft.mlfeaturizers");
  private static final int MAX_GRAPH_DEPTH = 32;

  private final class Walk {
    final Target target;
    final Set<String> functionDomains = new HashSet<>();
    final TreeMap<String, TreeSet<String>> customOps = new TreeMap<>();
    int tensorProblems;

    Walk(Target target) {
      this.target = target;
    }
  }

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var walk = new Walk(target);
    var model = ProtoReader.of(blob);
    // functions first, so their domains count as defined by the model
    var pre = ProtoReader.of(blob);
    while (pre.next()) {
      if (pre.field() == 25 && pre.wireType() == ProtoReader.LEN) {
        var fn = pre.message();
        while (fn.next()) {
          if (fn.field() == 10 && fn.wireType() == ProtoReader.LEN) {
            walk.functionDomains.add(fn.string(4096));
          }
        }
      }
    }
    while (model.next()) {
      target.checkDeadline();
      switch (model.field()) {
        case 7 -> graph(walk, model.message(), 0);
        case 20 -> {
          var training = model.message();
          while (training.next()) {
            if (training.wireType() == ProtoReader.LEN && (training.field() == 1 || training.field() == 2)) {
              graph(walk, training.message(), 1);
            }
          }
        }
        case 25 -> function(walk, model.message());
        case 14 -> {
          var entry = model.message();
          String key = "";
          String value = "";
          while (entry.next()) {
            if (entry.field() == 1) {
              key = entry.string(4096);
            } else if (entry.field() == 2) {
              value = entry.string(1 << 20);
            }
          }
          MetadataCheck.check(target, "metadata_props." + key, value);
        }
        default -> {}
      }
    }
    walk.customOps.forEach(
        (domain, ops) ->
            target.report(ScanRules.ONNX_CUSTOM_OP, "domain '" + domain + "' operators " + String.join(", ", ops)));
  }

  private void graph(Walk walk, ProtoReader g, int depth) throws IOException {
    if (depth > MAX_GRAPH_DEPTH) {
      walk.target.incomplete("ONNX subgraphs nested deeper than " + MAX_GRAPH_DEPTH);
      return;
    }
    while (g.next()) {
      if (g.wireType() != ProtoReader.LEN) {
        continue;
      }
      switch (g.field()) {
        case 1 -> node(walk, g.message(), depth);
        case 5 -> tensor(walk, g.message());
        case 15 -> sparseTensor(walk, g.message());
        default -> {}
      }
    }
  }

  private void function(Walk walk, ProtoReader fn) throws IOException {
    while (fn.next()) {
      if (fn.field() == 7 && fn.wireType() == ProtoReader.LEN) {
        node(walk, fn.message(), 1);
      } else if (fn.field() == 11 && fn.wireType() == ProtoReader.LEN) {
        // attribute_proto: default attribute values, tensors (and their external data) included
        attribute(walk, fn.message(), 1);
      }
    }
  }

  /** SparseTensorProto: its values and indices are tensors like any other, external data included. */
  private void sparseTensor(Walk walk, ProtoReader sparse) throws IOException {
    while (sparse.next()) {
      if (sparse.wireType() == ProtoReader.LEN && (sparse.field() == 1 || sparse.field() == 2)) {
        tensor(walk, sparse.message());
      }
    }
  }

  private void node(Walk walk, ProtoReader n, int depth) throws IOException {
    String op = "";
    String domain = "";
    while (n.next()) {
      if (n.wireType() != ProtoReader.LEN) {
        continue;
      }
      switch (n.field()) {
        case 4 -> op = n.string(4096);
        case 7 -> domain = n.string(4096);
        case 5 -> attribute(walk, n.message(), depth);
        default -> {}
      }
    }
    if (!STANDARD_DOMAINS.contains(domain) && !walk.functionDomains.contains(domain)) {
      walk.customOps.computeIfAbsent(domain, d -> new TreeSet<>()).add(op);
    }
  }

  private void attribute(Walk walk, ProtoReader a, int depth) throws IOException {
    while (a.next()) {
      if (a.wireType() != ProtoReader.LEN) {
        continue;
      }
      switch (a.field()) {
        case 5, 10 -> tensor(walk, a.message());
        case 6, 11 -> graph(walk, a.message(), depth + 1);
        case 22, 23 -> sparseTensor(walk, a.message());
        default -> {}
      }
    }
  }

  private void tensor(Walk walk, ProtoReader t) throws IOException {
    var dims = new java.util.ArrayList<Long>();
    int type = 0;
    long rawLength = -1;
    boolean external = false;
    String name = "";
    String location = null;
    while (t.next()) {
      switch (t.field()) {
        case 1 -> {
          for (long d : t.varints()) {
            dims.add(d);
          }
        }
        case 2 -> type = (int) t.varint();
        case 8 -> name = t.string(4096);
        case 9 -> rawLength = t.length();
        case 14 -> external = t.varint() == 1;
        case 13 -> {
          String value = externalDataLocation(t.message());
          if (value != null) {
            location = value;
          }
        }
        default -> {}
      }
    }
    if (location != null) {
      externalLocation(walk.target, name, location);
    }
    if (!external && rawLength >= 0 && walk.tensorProblems < 20) {
      long expected = expectedBytes(type, dims);
      if (expected >= 0 && expected != rawLength) {
        walk.tensorProblems++;
        walk.target.report(
            ScanRules.ONNX_TENSOR_SIZE,
            "tensor '" + name + "' has " + rawLength + " bytes of raw data but type " + type + " " + dims + " needs " + expected);
      }
    }
  }

  /** One external_data key/value entry of a tensor: its value when the key is {@code location}, else null. */
  static String externalDataLocation(ProtoReader entry) throws IOException {
    String key = "";
    String value = "";
    while (entry.next()) {
      if (entry.field() == 1) {
        key = entry.string(4096);
      } else if (entry.field() == 2) {
        value = entry.string(65536);
      }
    }
    return key.equals("location") ? value : null;
  }

  private static void externalLocation(Target target, String tensor, String location) {
    String l = location.replace('\\', '/');
    boolean escapes = l.startsWith("/") || l.matches("^[A-Za-z]:.*") || l.contains("\0");
    var normal = new java.util.ArrayDeque<String>();
    for (String part : l.split("/")) {
      if (part.equals("..")) {
        if (normal.isEmpty()) {
          escapes = true;
          break;
        }
        normal.removeLast();
      } else if (!part.isEmpty() && !part.equals(".")) {
        normal.addLast(part);
      }
    }
    if (!escapes && target.fsPath().isPresent()) {
      Path dir = target.fsPath().get().toAbsolutePath().getParent();
      Path resolved = dir.resolve(String.join("/", normal));
      try {
        if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)
            && !resolved.toRealPath().startsWith(dir.toRealPath())) {
          escapes = true;
        }
      } catch (IOException e) {
        escapes = true;
      }
    }
    if (escapes) {
      target.report(ScanRules.ONNX_EXTERNAL_DATA_ESCAPE, "tensor '" + tensor + "' reads external data from '" + location + "'");
    }
  }

  private static long expectedBytes(int type, java.util.List<Long> dims) {
    long n = 1;
    for (long d : dims) {
      if (d < 0) {
        return -1;
      }
      n = Math.multiplyExact(n, d);
    }
    return switch (type) {
      case 1, 6, 12 -> n * 4;
      case 2, 3, 9, 17, 18, 19, 20 -> n;
      case 4, 5, 10, 16 -> n * 2;
      case 7, 11, 13, 14 -> n * 8;
      case 15 -> n * 16;
      case 21, 22, 23 -> (n + 1) / 2;
      default -> -1;
    };
  }
}
