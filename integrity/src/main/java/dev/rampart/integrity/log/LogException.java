package dev.rampart.integrity.log;

/** A transparency-log failure; each kind is its own type so callers and tests can tell them apart. */
public sealed class LogException extends Exception {
  LogException(String message) {
    super(message);
  }

  /** Stored history does not match its hashes: entries were rewritten, removed or reordered. */
  public static final class Tampered extends LogException {
    private final long index;

    public Tampered(long index, String message) {
      super(message);
      this.index = index;
    }

    public long index() {
      return index;
    }
  }

  /** A checkpoint is malformed or its signature does not verify. */
  public static final class BadCheckpoint extends LogException {
    public BadCheckpoint(String message) {
      super(message);
    }
  }

  /** A proof does not verify, or a newer checkpoint does not extend an older one. */
  public static final class BadProof extends LogException {
    public BadProof(String message) {
      super(message);
    }
  }

  /** The last record is incomplete (a write cut short by a crash); only an explicit repair removes it. */
  public static final class TornTail extends LogException {
    public TornTail(String message) {
      super(message);
    }
  }
}
