package dev.rampart.scan.onnx;

import dev.rampart.scan.io.FileBlob;
import dev.rampart.scan.protobuf.ProtoReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the ONNX model that names a file as its external data. onnxruntime reads such a file as raw tensor bytes,
 * never as code, so it is analysed as part of its model (whose locations are checked there); a data file that no
 * model beside it names stays unrecognised.
 */
public final class ExternalDataOwner {
  private static final int MAX_LEVELS = 3;
  private static final int MAX_MODELS_PER_FOLDER = 64;
  private static final int MAX_GRAPH_DEPTH = 32;

  private ExternalDataOwner() {}

  /** The model, in the file's folder or up to two folders above, whose external data includes this file. */
  public static Optional<Path> of(Path file) {
    try {
      Path real = file.toRealPath();
      Path dir = real.getParent();
      for (int level = 0; dir != null && level < MAX_LEVELS; level++, dir = dir.getParent()) {
        int seen = 0;
        try (DirectoryStream<Path> models = Files.newDirectoryStream(dir, "*.{onnx,ONNX}")) {
          for (Path model : models) {
            if (seen++ >= MAX_MODELS_PER_FOLDER) {
              break;
            }
            if (Files.isRegularFile(model, LinkOption.NOFOLLOW_LINKS) && references(model, real)) {
              return Optional.of(model);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static boolean references(Path model, Path data) {
    try (var blob = FileBlob.open(model)) {
      var r = ProtoReader.of(blob);
      while (r.next()) {
        if (r.wireType() == ProtoReader.LEN && r.field() == 7 && graph(r.message(), model.getParent(), data, 0)) {
          return true;
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  private static boolean graph(ProtoReader g, Path dir, Path data, int depth) throws IOException {
    if (depth > MAX_GRAPH_DEPTH) {
      return false;
    }
    while (g.next()) {
      if (g.wireType() != ProtoReader.LEN) {
        continue;
      }
      boolean hit = switch (g.field()) {
        case 5 -> tensor(g.message(), dir, data);
        case 15 -> sparse(g.message(), dir, data);
        case 1 -> node(g.message(), dir, data, depth);
        default -> false;
      };
      if (hit) {
        return true;
      }
    }
    return false;
  }

  private static boolean node(ProtoReader n, Path dir, Path data, int depth) throws IOException {
    while (n.next()) {
      if (n.field() == 5 && n.wireType() == ProtoReader.LEN) {
        var a = n.message();
        while (a.next()) {
          if (a.wireType() != ProtoReader.LEN) {
            continue;
          }
          boolean hit = switch (a.field()) {
            case 5, 10 -> tensor(a.message(), dir, data);
            case 22, 23 -> sparse(a.message(), dir, data);
            case 6, 11 -> graph(a.message(), dir, data, depth + 1);
            default -> false;
          };
          if (hit) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean sparse(ProtoReader s, Path dir, Path data) throws IOException {
    while (s.next()) {
      if (s.wireType() == ProtoReader.LEN && (s.field() == 1 || s.field() == 2) && tensor(s.message(), dir, data)) {
        return true;
      }
    }
    return false;
  }

  private static boolean tensor(ProtoReader t, Path dir, Path data) throws IOException {
    while (t.next()) {
      if (t.field() == 13 && t.wireType() == ProtoReader.LEN) {
        var entry = t.message();
        String key = "";
        String value = "";
        while (entry.next()) {
          if (entry.field() == 1) {
            key = entry.string(4096);
          } else if (entry.field() == 2) {
            value = entry.string(65536);
          }
        }
        if (key.equals("location") && !value.isEmpty()) {
          try {
            Path target = dir.resolve(value.replace('\\', '/')).normalize();
            if (Files.exists(target) && target.toRealPath().equals(data)) {
              return true;
            }
          } catch (IOException | RuntimeException e) {
            // an unusable location is the model's finding, reported when the model is scanned
          }
        }
      }
    }
    return false;
  }

}
