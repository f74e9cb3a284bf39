package dev.rampart.server.witness;

import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.Cosignature;
import dev.rampart.integrity.log.LogException;
import dev.rampart.integrity.log.Merkle;
import dev.rampart.integrity.log.NoteKey;
import dev.rampart.integrity.log.NoteSigner;
import dev.rampart.integrity.log.SignedNote;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A C2SP {@code tlog-witness} cosigner: for each log it knows (origin and key), it keeps the latest checkpoint it
 * cosigned and cosigns a new one only when it is signed by the log and a consistency proof shows it extends that one.
 * It never cosigns a smaller tree or another tree of the same size (a fork). Checking and recording happen under one
 * lock, and the new state is durable before the cosignature leaves, so two racing requests cannot roll it back.
 */
public final class Witness {
  private final NoteSigner key;
  private final Map<String, List<NoteKey>> logs;
  private final WitnessState state;
  private final Clock clock;

  /** What became of a submission. */
  public sealed interface Outcome {
    /** Cosigned: the cosignature lines of the answer. */
    record Cosigned(String lines) implements Outcome {}

    /** The old size is not the size this witness last cosigned (409, the body names the size). */
    record Conflict(long knownSize, String reason) implements Outcome {}

    /** Refused with an HTTP status: 400 malformed, 403 no trusted signature, 404 unknown log, 422 bad proof. */
    record Refused(int status, String reason) implements Outcome {}
  }

  /**
   * @param logs for each origin, the verifier keys (type 0x01) whose signature makes a checkpoint the log's
   */
  public Witness(NoteSigner key, Map<String, List<NoteKey>> logs, WitnessState state, Clock clock) {
    this.key = key;
    this.logs = Map.copyOf(logs);
    this.state = state;
    this.clock = clock;
  }

  /** The verifier key clients and logs use to check this witness's cosignatures. */
  public NoteKey verifierKey() {
    return key.key(NoteKey.COSIGNATURE_V1);
  }

  public Outcome add(String body) {
    AddCheckpoint request;
    try {
      request = AddCheckpoint.parse(body);
    } catch (AddCheckpoint.Malformed e) {
      return new Outcome.Refused(400, e.getMessage());
    }
    SignedNote note;
    Checkpoint cp;
    try {
      note = SignedNote.parse(request.checkpoint());
      cp = Checkpoint.parseText(note.text());
    } catch (LogException e) {
      return new Outcome.Refused(400, e.getMessage());
    }
    List<NoteKey> keys = logs.get(cp.origin());
    if (keys == null) {
      return new Outcome.Refused(404, "unknown log origin " + cp.origin());
    }
    if (!signedByLog(request.checkpoint(), keys)) {
      return new Outcome.Refused(403, "no signature by a trusted key of " + cp.origin() + " verifies the checkpoint");
    }
    if (request.oldSize() > cp.size()) {
      return new Outcome.Refused(400, "old size " + request.oldSize() + " is larger than the checkpoint's "
          + cp.size());
    }
    synchronized (this) {
      try {
        return checkAndRecord(request, note, cp);
      } catch (IOException e) {
        return new Outcome.Refused(500, "the witness could not record its state: " + e.getMessage());
      }
    }
  }

  private Outcome checkAndRecord(AddCheckpoint request, SignedNote note, Checkpoint cp) throws IOException {
    Optional<Checkpoint> known = state.latest(cp.origin());
    long knownSize = known.map(Checkpoint::size).orElse(0L);
    if (request.oldSize() != knownSize) {
      return new Outcome.Conflict(knownSize, "this witness last cosigned size " + knownSize + " of " + cp.origin()
          + ", not " + request.oldSize());
    }
    if (request.oldSize() == 0) {
      if (!request.proof().isEmpty()) {
        return new Outcome.Refused(422, "a consistency proof from size 0 must be empty");
      }
      if (cp.size() == 0 && !MessageDigest.isEqual(cp.root(), Merkle.emptyRoot())) {
        return new Outcome.Refused(422, "a tree of size 0 has the empty root");
      }
    } else if (request.oldSize() == cp.size()) {
      if (!MessageDigest.isEqual(known.get().root(), cp.root())) {
        state.keepEvidence(cp.origin(), request.checkpoint());
        return new Outcome.Conflict(knownSize, "a checkpoint of size " + cp.size() + " with another root than the one"
            + " this witness cosigned: the log forked");
      }
      if (!request.proof().isEmpty()) {
        return new Outcome.Refused(422, "a consistency proof between equal sizes must be empty");
      }
    } else if (!Merkle.verifyConsistency(request.oldSize(), cp.size(), request.proof(), known.get().root(), cp.root())) {
      state.keepEvidence(cp.origin(), request.checkpoint());
      return new Outcome.Refused(422, "the consistency proof from size " + request.oldSize() + " to " + cp.size()
          + " does not verify: the checkpoint does not extend the one this witness cosigned");
    }
    var line = Cosignature.sign(key, note.text(), clock.instant().getEpochSecond());
    state.record(cp.origin(), note.text() + "\n" + logLines(note) + line.format());
    return new Outcome.Cosigned(line.format());
  }

  private boolean signedByLog(String checkpoint, List<NoteKey> keys) {
    for (var k : keys) {
      try {
        Checkpoint.verify(checkpoint, k);
        return true;
      } catch (LogException e) {
        // the next trusted key may verify it
      }
    }
    return false;
  }

  /** The log's own signature lines, kept with the recorded checkpoint so the state file is a verifiable note. */
  private String logLines(SignedNote note) {
    var sb = new StringBuilder();
    for (var line : note.signatures()) {
      if (logs.values().stream().flatMap(List::stream).anyMatch(line::isFrom)) {
        sb.append(line.format());
      }
    }
    return sb.toString();
  }

  /** The latest checkpoint cosigned for {@code origin}, with the log's signature and this witness's cosignature. */
  public Optional<String> latestNote(String origin) throws IOException {
    return state.note(origin);
  }

  /** {@link #latestNote} for the log whose origin hashes to {@code hex} (the monitoring path names logs so). */
  public Optional<String> latestNoteByHash(String hex) throws IOException {
    for (String origin : logs.keySet()) {
      if (WitnessState.hex(origin).equals(hex)) {
        return state.note(origin);
      }
    }
    return Optional.empty();
  }
}
