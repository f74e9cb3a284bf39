package dev.rampart.integrity.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;

/**
 * The latest checkpoint a log key signed, kept in a file beside the key rather than in the log's own storage: a
 * database restored from an old backup, truncated or rewritten cannot take the signer's memory with it, so the signer
 * can refuse to sign a tree that does not extend what it already signed (a fork). Written atomically (temporary file,
 * fsync, rename, fsync of the folder), so after a crash it holds either the previous checkpoint or the new one.
 */
public final class SignedHead {
  private static final String FILE = "latest-checkpoint";

  private final Path file;
  private final String origin;
  private final PublicKey key;

  public SignedHead(Path keyDir, String origin, PublicKey key) {
    this.file = keyDir.resolve(FILE);
    this.origin = origin;
    this.key = key;
  }

  /** The latest signed checkpoint, verified under the log key; empty before the first signature. */
  public Optional<Checkpoint> read() throws IOException, LogException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(Checkpoint.verify(Files.readString(file, StandardCharsets.UTF_8), origin, key));
  }

  /** The remembered checkpoint as signed, unverified; call {@link #read} first. */
  public String note() throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** Replaces the remembered checkpoint with {@code note}; durable when this returns. */
  public void write(String note) throws IOException {
    AtomicFile.write(file, note);
  }
}
