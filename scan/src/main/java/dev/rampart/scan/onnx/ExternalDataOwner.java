package dev.rampart.scan.onnx;

import dev.rampart.scan.io.FileBlob;
import dev.rampart.scan.protobuf.ProtoReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the ONNX model that names a file as its external data. onnxruntime reads such a file as raw tensor bytes,
 * never as code, so it is analysed as part of its model (whose locations are checked there); a data file that no
 * model beside it names stays unrecognised.
 */
public final class ExternalDataOwner {
  private static final int MAX_LEVELS = 3;
  private static final int MAX_MODELS_PER_FOLDER = 64;
  private static final int MAX_GRAPH_DEPTH = 32;
  private static final int MAX_LOCATIONS = 100_000;

  /** A model as it is on disk; its locations are remembered while it is unchanged (a big folder asks often). */
  private record Key(Path model, long size, long modified) {}

  private static final Map<Key, Set<Path>> LOCATIONS = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Set<Path>> eldest) {
          return size() > 256;
        }
      });

  /** A folder as it is on disk; its model list is remembered while its entries are unchanged. */
  private record Folder(Path dir, long modified) {}

  private static final Map<Folder, java.util.List<Path>> MODELS = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Folder, java.util.List<Path>> eldest) {
          return size() > 1024;
        }
      });

  private ExternalDataOwner() {}

  /** The ONNX models of a folder (at most {@link #MAX_MODELS_PER_FOLDER}), listed once per folder state. */
  private static java.util.List<Path> models(Path dir) throws IOException {
    var key = new Folder(dir, Files.getLastModifiedTime(dir).toMillis());
    var known = MODELS.get(key);
    if (known == null) {
      var found = new java.util.ArrayList<Path>();
      try (DirectoryStream<Path> models = Files.newDirectoryStream(dir, "*.{onnx,ONNX}")) {
        for (Path model : models) {
          if (found.size() >= MAX_MODELS_PER_FOLDER) {
            break;
          }
          found.add(model);
        }
      }
      known = java.util.List.copyOf(found);
      MODELS.put(key, known);
    }
    return known;
  }

  /** The model, in the file's folder or up to two folders above, whose external data includes this file. */
  public static Optional<Path> of(Path file) {
    try {
      Path real = file.toRealPath();
      Path dir = real.getParent();
      for (int level = 0; dir != null && level < MAX_LEVELS; level++, dir = dir.getParent()) {
        for (Path model : models(dir)) {
          if (Files.isRegularFile(model, LinkOption.NOFOLLOW_LINKS) && locations(model).contains(real)) {
            return Optional.of(model);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Set<Path> locations(Path model) throws IOException {
    var key = new Key(model.toRealPath(), Files.size(model), Files.getLastModifiedTime(model).toMillis());
    var known = LOCATIONS.get(key);
    if (known == null) {
      var found = new HashSet<Path>();
      try (var blob = FileBlob.open(model)) {
        var r = ProtoReader.of(blob);
        while (r.next()) {
          if (r.wireType() == ProtoReader.LEN && r.field() == 7) {
            graph(r.message(), key.model().getParent(), found, 0);
          }
        }
      } catch (IOException | RuntimeException unreadable) {
        // a model that cannot be read claims nothing; it is reported when it is scanned itself
      }
      known = Set.copyOf(found);
      LOCATIONS.put(key, known);
    }
    return known;
  }

  private static void graph(ProtoReader g, Path dir, Set<Path> found, int depth) throws IOException {
    if (depth > MAX_GRAPH_DEPTH) {
      return;
    }
    while (g.next()) {
      if (g.wireType() != ProtoReader.LEN) {
        continue;
      }
      switch (g.field()) {
        case 5 -> tensor(g.message(), dir, found);
        case 15 -> sparse(g.message(), dir, found);
        case 1 -> node(g.message(), dir, found, depth);
        default -> {}
      }
    }
  }

  private static void node(ProtoReader n, Path dir, Set<Path> found, int depth) throws IOException {
    while (n.next()) {
      if (n.field() == 5 && n.wireType() == ProtoReader.LEN) {
        var a = n.message();
        while (a.next()) {
          if (a.wireType() != ProtoReader.LEN) {
            continue;
          }
          switch (a.field()) {
            case 5, 10 -> tensor(a.message(), dir, found);
            case 22, 23 -> sparse(a.message(), dir, found);
            case 6, 11 -> graph(a.message(), dir, found, depth + 1);
            default -> {}
          }
        }
      }
    }
  }

  private static void sparse(ProtoReader s, Path dir, Set<Path> found) throws IOException {
    while (s.next()) {
      if (s.wireType() == ProtoReader.LEN && (s.field() == 1 || s.field() == 2)) {
        tensor(s.message(), dir, found);
      }
    }
  }

  private static void tensor(ProtoReader t, Path dir, Set<Path> found) throws IOException {
    while (t.next()) {
      if (t.field() == 13 && t.wireType() == ProtoReader.LEN) {
        String value = OnnxAnalyzer.externalDataLocation(t.message());
        if (value != null && !value.isEmpty() && found.size() < MAX_LOCATIONS) {
          try {
            Path target = dir.resolve(value.replace('\\', '/')).normalize();
            if (Files.exists(target)) {
              found.add(target.toRealPath());
            }
          } catch (IOException | RuntimeException e) {
            // an unusable location is the model's finding, reported when the model is scanned
          }
        }
      }
    }
  }
}
