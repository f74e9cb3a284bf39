package dev.rampart.scan.engine;

import dev.rampart.scan.io.Blob;
import java.io.IOException;

/** Identifies an artifact by its bytes, never by its name. */
@FunctionalInterface
public interface Detector {
  Detection detect(Blob blob) throws IOException;

  /**
   * Other formats a loader could find in the same bytes than the one {@link #detect} chose; each is analysed too.
   * None by default.
   */
  /**
   * What a file that content detection did not recognise is, when another file beside it says so (ONNX external
   * data named by a model). Empty by default.
   */
  default java.util.Optional<Detection> sidecar(java.nio.file.Path file) {
    return java.util.Optional.empty();
  }

  default java.util.List<Alternative> alternatives(Blob blob, Format primary) throws IOException {
    return java.util.List.of();
  }
}
