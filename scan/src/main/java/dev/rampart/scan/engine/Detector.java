package dev.rampart.scan.engine;

import dev.rampart.scan.io.Blob;
import java.io.IOException;

/** Identifies an artifact by its bytes, never by its name. */
@FunctionalInterface
public interface Detector {
  Detection detect(Blob blob) throws IOException;
}
