package dev.rampart.server.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Content-addressed storage of uploaded files. The filesystem store is the default; an S3-compatible one fits here. */
public interface ArtifactStore {
  /** Stores the file under its SHA-256; returns true when the blob is new. */
  boolean put(String sha256, Path file) throws IOException;

  boolean exists(String sha256);

  InputStream open(String sha256) throws IOException;

  void delete(String sha256) throws IOException;
}
