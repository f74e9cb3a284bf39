package dev.rampart.scan.tensorflow;

import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.protobuf.MalformedProtoException;
import dev.rampart.scan.protobuf.ProtoReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * TensorFlow SavedModel ({@code saved_model.pb}): every GraphDef is walked, including the function library and
 * GraphDefs serialized inside node attributes (such as {@code DatasetFromGraph}), looking for ops that call back
 * into Python or touch files.
 */
public final class SavedModelAnalyzer implements Analyzer {
  private static final int MAX_INPUTS = 4096;
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
    var nodes = new ArrayList<GraphOps.Node>();
    while (g.next()) {
      target.checkDeadline();
      if (g.wireType() != ProtoReader.LEN) {
        continue;
      }
      if (g.field() == 1) {
        nodes.add(node(target, g.message(), where, depth));
      } else if (g.field() == 2) {
        var library = g.message();
        while (library.next()) {
          if (library.field() == 1 && library.wireType() == ProtoReader.LEN) {
            function(target, library.message(), depth);
          }
        }
      }
    }
    GraphOps.judge(target, nodes, where);
  }

  private void function(Target target, ProtoReader f, int depth) throws IOException {
    String name = "";
    var nodes = new ArrayList<GraphOps.Node>();
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
        nodes.add(node(target, f.message(), "function", depth));
      }
    }
    GraphOps.judge(target, nodes, "function '" + name + "'");
  }

  private GraphOps.Node node(Target target, ProtoReader n, String where, int depth) throws IOException {
    String name = "";
    String op = "";
    var inputs = new ArrayList<String>();
    var attrs = new Attrs();
    while (n.next()) {
      if (n.wireType() != ProtoReader.LEN) {
        continue;
      }
      switch (n.field()) {
        case 1 -> name = n.string(65536);
        case 2 -> op = n.string(4096);
        case 3 -> {
          if (inputs.size() < MAX_INPUTS) {
            inputs.add(n.string(65536));
          }
        }
        case 5 -> attribute(target, n.message(), where, depth, attrs);
        default -> {}
      }
    }
    Optional<String> constant = op.equals("Const") ? attrs.stringValue : Optional.empty();
    return new GraphOps.Node(name, op, List.copyOf(inputs), constant, List.copyOf(attrs.urls), attrs.outputStream);
  }

  /** The attributes the checks need: a Const's string value, debug URLs and PrintV2's output stream. */
  private static final class Attrs {
    Optional<String> stringValue = Optional.empty();
    final List<String> urls = new ArrayList<>();
    String outputStream = "";
  }

  /** Reads one attribute entry into {@code attrs}; recurses into nested GraphDefs. */
  private void attribute(Target target, ProtoReader entry, String where, int depth, Attrs attrs) throws IOException {
    String key = "";
    while (entry.next()) {
      if (entry.field() == 1 && entry.wireType() == ProtoReader.LEN) {
        key = entry.string(4096);
      } else if (entry.field() == 2 && entry.wireType() == ProtoReader.LEN) {
        var value = entry.message();
        while (value.next()) {
          if (value.field() == 2 && value.wireType() == ProtoReader.LEN) {
            if (key.equals("output_stream")) {
              attrs.outputStream = value.string(4096);
            } else if (value.length() > 16) {
              nestedGraph(target, value.message(), where + " attr '" + key + "'", depth);
            }
          } else if (value.field() == 1 && value.wireType() == ProtoReader.LEN) {
            var list = value.message();
            while (list.next()) {
              if (list.field() == 2 && list.wireType() == ProtoReader.LEN) {
                if (key.equals("debug_urls") && attrs.urls.size() < MAX_INPUTS) {
                  String url = list.string(4096);
                  if (!url.isEmpty()) {
                    attrs.urls.add(url);
                  }
                } else if (list.length() > 16) {
                  nestedGraph(target, list.message(), where + " attr '" + key + "'", depth);
                }
              }
            }
          } else if (value.field() == 8 && value.wireType() == ProtoReader.LEN && key.equals("value")) {
            var tensor = value.message();
            while (tensor.next()) {
              if (tensor.field() == 8 && tensor.wireType() == ProtoReader.LEN && attrs.stringValue.isEmpty()
                  && tensor.length() <= 65536) {
                attrs.stringValue = Optional.of(tensor.string(65536));
              }
            }
          }
        }
      }
    }
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
