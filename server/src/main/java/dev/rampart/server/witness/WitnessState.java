package dev.rampart.server.witness;

import dev.rampart.integrity.log.AtomicFile;
import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.LogException;
import dev.rampart.integrity.log.SignedNote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A witness's memory: for each log, the latest checkpoint it cosigned, one file per origin named by the hex SHA-256
 * of the origin, replaced atomically and fsync'd before a cosignature is returned. Checkpoints a log signed but the
 * witness refused (a fork, a proof that does not verify) are kept under {@code evidence/} as proof of misbehaviour.
 */
public final class WitnessState {
  private final Path dir;

  public WitnessState(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  /** The latest cosigned checkpoint of {@code origin}; a state file that does not parse stops the witness. */
  public Optional<Checkpoint> latest(String origin) throws IOException {
    Optional<String> note = note(origin);
    if (note.isEmpty()) {
      return Optional.empty();
    }
    try {
      var cp = Checkpoint.parseText(SignedNote.parse(note.get()).text());
      if (!cp.origin().equals(origin)) {
        throw new IOException("the witness state for " + origin + " holds a checkpoint of " + cp.origin());
      }
      return Optional.of(cp);
    } catch (LogException e) {
      throw new IOException("the witness state for " + origin + " is corrupt (" + e.getMessage()
          + "); refusing to cosign rather than forget what was cosigned", e);
    }
  }

  public Optional<String> note(String origin) throws IOException {
    Path file = file(origin);
    return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
  }

  void record(String origin, String note) throws IOException {
    AtomicFile.write(file(origin), note);
  }

  void keepEvidence(String origin, String signedCheckpoint) throws IOException {
    Path evidence = Files.createDirectories(dir.resolve("evidence"));
    String name = hex(origin) + "-" + System.currentTimeMillis() + "-" + Integer.toHexString(signedCheckpoint.hashCode());
    AtomicFile.write(evidence.resolve(name), signedCheckpoint);
  }

  private Path file(String origin) {
    return dir.resolve(hex(origin));
  }

  static String hex(String origin) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
