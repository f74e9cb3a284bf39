package dev.rampart.server.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Blobs at {@code <root>/<first two hex digits>/<sha256>}; names come from digests only, never from clients. */
public final class FileArtifactStore implements ArtifactStore {
  private final Path root;

  public FileArtifactStore(Path root) throws IOException {
    this.root = Files.createDirectories(root);
  }

  private Path path(String sha256) {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a sha256 digest");
    }
    return root.resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  @Override
  public boolean put(String sha256, Path file) throws IOException {
    Path target = path(sha256);
    if (Files.exists(target)) {
      return false;
    }
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(sha256 + ".tmp-" + Thread.currentThread().threadId());
    Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return true;
  }

  @Override
  public boolean exists(String sha256) {
    return Files.exists(path(sha256));
  }

  @Override
  public InputStream open(String sha256) throws IOException {
    return Files.newInputStream(path(sha256));
  }

  @Override
  public void delete(String sha256) throws IOException {
    Files.deleteIfExists(path(sha256));
  }
}
