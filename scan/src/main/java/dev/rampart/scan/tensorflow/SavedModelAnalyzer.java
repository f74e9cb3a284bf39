package dev.rampart.scan.tensorflow;

import dev.rampart.core.Finding;
import dev.rampart.core.Severity;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.protobuf.MalformedProtoException;
import dev.rampart.scan.protobuf.ProtoReader;
import java.io.IOException;
import java.util.Set;

/**
 * TensorFlow SavedModel ({@code saved_model.pb}): every GraphDef is walked, including the function library and
 * GraphDefs serialized inside node attributes (such as {@code DatasetFromGraph}), looking for ops that call back
 * into Python or touch files.
 */
public final class SavedModelAnalyzer implements Analyzer {
  private static final Set<String> PY_OPS = Set.of("PyFunc", "PyFuncStateless", "EagerPyFunc");
  private static final Set<String> FILE_OPS =
      Set.of("ReadFile", "WriteFile", "ImmutableConst", "WholeFileReader", "WholeFileReaderV2", "DeleteFile",
          "LoadAndRemapMatrix");
  private static final int MAX_DEPTH = 16;

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var saved = ProtoReader.of(blob);
    while (saved.next()) {
      if (saved.field() == 2 && saved.wireType() == ProtoReader.LEN) {
        var meta = saved.message();
        while (meta.next()) {
          if (meta.field() == 2 && meta.wireType() == ProtoReader.LEN) {
            graphDef(target, meta.message(), "meta_graph", 0);
          }
        }
      }
    }
  }

  private void graphDef(Target target, ProtoReader g, String where, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      target.incomplete("GraphDefs nested deeper than " + MAX_DEPTH);
      return;
    }
    while (g.next()) {
      target.checkDeadline();
      if (g.wireType() != ProtoReader.LEN) {
        continue;
      }
      if (g.field() == 1) {
        node(target, g.message(), where, depth);
      } else if (g.field() == 2) {
        var library = g.message();
        while (library.next()) {
          if (library.field() == 1 && library.wireType() == ProtoReader.LEN) {
            function(target, library.message(), depth);
          }
        }
      }
    }
  }

  private void function(Target target, ProtoReader f, int depth) throws IOException {
    String name = "";
    while (f.next()) {
      if (f.wireType() != ProtoReader.LEN) {
        continue;
      }
      if (f.field() == 1) {
        var sig = f.message();
        while (sig.next()) {
          if (sig.field() == 1 && sig.wireType() == ProtoReader.LEN) {
            name = sig.string(4096);
          }
        }
      } else if (f.field() == 3) {
        node(target, f.message(), "function '" + name + "'", depth);
      }
    }
  }

  private void node(Target target, ProtoReader n, String where, int depth) throws IOException {
    String name = "";
    String op = "";
    String outputStream = "";
    while (n.next()) {
      if (n.wireType() != ProtoReader.LEN) {
        continue;
      }
      switch (n.field()) {
        case 1 -> name = n.string(65536);
        case 2 -> op = n.string(4096);
        case 5 -> outputStream = attribute(target, n.message(), where, depth, outputStream);
        default -> {}
      }
    }
    String place = where + " node '" + name + "'";
    if (PY_OPS.contains(op)) {
      target.report(ScanRules.TF_PYFUNC, place + " runs " + op);
    } else if (FILE_OPS.contains(op)) {
      target.report(ScanRules.TF_FILE_OP, place + " runs " + op);
    } else if (op.equals("PrintV2") && outputStream.startsWith("file://")) {
      target.report(ScanRules.TF_FILE_OP, place + " prints to " + outputStream);
    } else if (op.equals("InitializeTableFromTextFile") || op.equals("InitializeTableFromTextFileV2")) {
      target.report(
          Finding.of(ScanRules.TF_FILE_OP, place + " reads a vocabulary file (common for lookup tables)", target.location())
              .withSeverity(Severity.LOW));
    }
  }

  /** Returns the node's output_stream attribute when this entry is it; recurses into nested GraphDefs. */
  private String attribute(Target target, ProtoReader entry, String where, int depth, String outputStream)
      throws IOException {
    String key = "";
    String result = outputStream;
    while (entry.next()) {
      if (entry.field() == 1 && entry.wireType() == ProtoReader.LEN) {
        key = entry.string(4096);
      } else if (entry.field() == 2 && entry.wireType() == ProtoReader.LEN) {
        var value = entry.message();
        while (value.next()) {
          if (value.field() == 2 && value.wireType() == ProtoReader.LEN) {
            if (key.equals("output_stream")) {
              result = value.string(4096);
            } else if (value.length() > 16) {
              nestedGraph(target, value.message(), where + " attr '" + key + "'", depth);
            }
          } else if (value.field() == 1 && value.wireType() == ProtoReader.LEN) {
            var list = value.message();
            while (list.next()) {
              if (list.field() == 2 && list.wireType() == ProtoReader.LEN && list.length() > 16) {
                nestedGraph(target, list.message(), where + " attr '" + key + "'", depth);
              }
            }
          }
        }
      }
    }
    return result;
  }

  /** A bytes attribute that parses as a GraphDef with nodes is walked like any graph. */
  private void nestedGraph(Target target, ProtoReader candidate, String where, int depth) throws IOException {
    if (!GraphSniffer.looksLikeGraphDef(candidate.blob(), candidate.position(), candidate.end())) {
      return;
    }
    graphDef(target, new ProtoReader(candidate.blob(), candidate.position(), candidate.end()), where + " (nested GraphDef)", depth + 1);
  }

  /** Cheap structural test for a serialized GraphDef. */
  static final class GraphSniffer {
    static boolean looksLikeGraphDef(Blob blob, long start, long end) {
      try {
        var g = new ProtoReader(blob, start, end);
        int nodes = 0;
        while (g.next()) {
          if (g.field() == 1 && g.wireType() == ProtoReader.LEN) {
            var n = g.message();
            boolean hasOp = false;
            while (n.next()) {
              if (n.field() == 2 && n.wireType() == ProtoReader.LEN && n.length() < 256) {
                hasOp = n.string(256).matches("[A-Z][A-Za-z0-9_]*");
              }
            }
            if (!hasOp) {
              return false;
            }
            nodes++;
          } else if (g.field() > 4) {
            return false;
          }
        }
        return nodes > 0;
      } catch (MalformedProtoException e) {
        return false;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
