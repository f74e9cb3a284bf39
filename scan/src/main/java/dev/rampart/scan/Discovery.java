package dev.rampart.scan;

import dev.rampart.core.Atlas;
import dev.rampart.core.Stage;
import dev.rampart.core.Rule;
import dev.rampart.core.Severity;
import dev.rampart.scan.archive.ZipListing;
import dev.rampart.scan.io.FileBlob;
import dev.rampart.scan.misconfig.ServiceFingerprints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds model artifacts and AI-service configuration in a tree, by content: the raw material for an inventory
 * diff against the registry. Nothing is loaded or executed.
 */
public final class Discovery {
  /** What was found. */
  public enum Kind {
    MODEL,
    SERVICE_CONFIG,
    UNREADABLE
  }

  public static final Rule SHADOW_MODEL =
      Rule.of("SHD-01", Severity.MEDIUM, "Model artifact not in the registry (shadow model)",
          "No registered model version contains this file. Register it (rampart model upload) so that it is scanned,"
              + " signed and gated, or remove it.",
          Atlas.SUPPLY_CHAIN_MODEL, Stage.MODEL_REGISTRY);
  public static final Rule MODEL_DIFFERS =
      Rule.of("SHD-02", Severity.HIGH, "Model file differs from its registered version",
          "A file with this name is registered, but with other content: the model was changed or swapped after"
              + " registration. Compare it with the registered digest and redeploy the registered version.",
          Atlas.MANIPULATE_AI_MODEL, Stage.MODEL_REGISTRY);
  public static final Rule SHADOW_SERVICE =
      Rule.of("SHD-03", Severity.MEDIUM, "AI service configured outside the inventory",
          "This file starts or configures an AI service (model server, notebook, tracking server) that the"
              + " registry does not know. Sanctioned services should be registered; others removed.",
          Atlas.DISCOVER_AI_ARTIFACTS, Stage.AI_SYSTEM);

  /** One discovered file; {@code detail} is the model format or the service name. */
  public record Found(Path path, Kind kind, String detail, long size) {}

  private static final int MAX_CONFIG = 1024 * 1024;
  private static final int MAX_ZIP_ENTRIES = 100_000;
  private static final List<String> MODEL_MEMBER_HINTS =
      List.of(".pkl", "data.pkl", ".h5", ".onnx", ".safetensors", ".pt", ".pth", "saved_model.pb", "mar-inf/manifest.json",
          "model.weights.h5", "config.json", ".joblib", ".npy", ".gguf", "bento.yaml");

  private final ContentDetector detector = new ContentDetector();

  public List<Found> discover(List<Path> roots) throws IOException {
    var found = new ArrayList<Found>();
    for (Path root : roots) {
      if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new NoSuchFileException(root.toString(), null, "no such file or directory");
      }
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
          identify(p).ifPresent(found::add);
        }
      }
    }
    return found;
  }

  private Optional<Found> identify(Path file) {
    try (var blob = FileBlob.open(file)) {
      var format = detector.detect(blob).format();
      long size = blob.size();
      return switch (format) {
        case PICKLE, NUMPY, HDF5, GGUF, SAFETENSORS, ONNX, TF_SAVED_MODEL, KERAS_METADATA, UNSUPPORTED ->
            Optional.of(new Found(file, Kind.MODEL, format.label(), size));
        case ZIP -> modelZip(blob) ? Optional.of(new Found(file, Kind.MODEL, format.label(), size)) : Optional.empty();
        case TEXT, JSON -> {
          if (size > MAX_CONFIG) {
            yield Optional.empty();
          }
          String text = new String(blob.readAll(MAX_CONFIG), StandardCharsets.ISO_8859_1);
          yield ServiceFingerprints.identify(text).map(s -> new Found(file, Kind.SERVICE_CONFIG, s, size));
        }
        default -> Optional.empty();
      };
    } catch (IOException | RuntimeException e) {
      return Optional.of(new Found(file, Kind.UNREADABLE, String.valueOf(e.getMessage()), -1));
    }
  }

  private static boolean modelZip(FileBlob blob) throws IOException {
    for (String name : ZipListing.names(blob, MAX_ZIP_ENTRIES)) {
      String lower = name.toLowerCase(Locale.ROOT);
      for (String hint : MODEL_MEMBER_HINTS) {
        if (lower.endsWith(hint)) {
          return true;
        }
      }
    }
    return false;
  }

}
