package dev.rampart.integrity.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * C2SP {@code tlog-cosignature} v1 with Ed25519: a witness's statement that, at a time, the checkpoint is the largest
 * consistent tree it has seen of that log. The signed message is {@code cosignature/v1\ntime <unix>\n} followed by the
 * checkpoint's text (extension lines included); the signature is the 8-byte big-endian timestamp and the 64-byte
 * Ed25519 signature, under a key ID of type 0x04.
 */
public final class Cosignature {
  private Cosignature() {}

  /** A cosignature that verified: by which witness, and when it was made. */
  public record Verified(NoteKey witness, long time) {}

  static byte[] message(String checkpointText, long time) {
    return ("cosignature/v1\ntime " + time + "\n" + checkpointText).getBytes(StandardCharsets.UTF_8);
  }

  /** Cosigns {@code checkpointText} (the note's text, without signature lines) at {@code time} (Unix seconds). */
  public static SignedNote.Line sign(NoteSigner witness, String checkpointText, long time) {
    if (time < 0) {
      throw new IllegalArgumentException("a cosignature's time is not negative");
    }
    byte[] sig = NoteSigner.ed25519(witness.keys().getPrivate(), message(checkpointText, time));
    byte[] stamped = ByteBuffer.allocate(8 + sig.length).putLong(time).put(sig).array();
    return new SignedNote.Line(witness.name(), witness.key(NoteKey.COSIGNATURE_V1).keyId(), stamped);
  }

  /** The time of a valid cosignature by {@code witness} on {@code checkpointText}; empty when it does not verify. */
  public static Optional<Long> verify(String checkpointText, SignedNote.Line line, NoteKey witness) {
    if (witness.type() != NoteKey.COSIGNATURE_V1 || !line.isFrom(witness)) {
      return Optional.empty();
    }
    byte[] raw = line.signature();
    if (raw.length != 72) {
      return Optional.empty();
    }
    var buf = ByteBuffer.wrap(raw);
    long time = buf.getLong();
    if (time < 0) {
      return Optional.empty();
    }
    byte[] sig = new byte[64];
    buf.get(sig);
    return NoteSigner.ed25519Verifies(witness, message(checkpointText, time), sig) ? Optional.of(time) : Optional.empty();
  }

  /**
   * The distinct witnesses among {@code trusted} whose cosignature on the note verifies. Lines from unknown keys are
   * ignored; a line from a trusted key that does not verify is not counted (and never counts twice).
   */
  public static List<Verified> verified(SignedNote note, Collection<NoteKey> trusted) {
    var found = new LinkedHashMap<NoteKey, Verified>();
    for (var line : note.signatures()) {
      for (var key : trusted) {
        if (!found.containsKey(key)) {
          verify(note.text(), line, asCosigner(key)).ifPresent(t -> found.put(key, new Verified(key, t)));
        }
      }
    }
    return new ArrayList<>(found.values());
  }

  /**
   * A witness key given as a plain Ed25519 vkey (type 0x01, as Go's note tools print it) stands for the cosignature
   * key of the same name and public key, as the transparency-dev verifiers read it.
   */
  public static NoteKey asCosigner(NoteKey key) {
    return key.type() == NoteKey.COSIGNATURE_V1 ? key : new NoteKey(key.name(), NoteKey.COSIGNATURE_V1, key.publicKey());
  }
}
