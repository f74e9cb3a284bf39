package dev.rampart.server.witness;

import dev.rampart.integrity.log.AtomicFile;
import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.Cosignature;
import dev.rampart.integrity.log.LogException;
import dev.rampart.integrity.log.NoteKey;
import dev.rampart.integrity.log.SignedNote;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Publishes the audit log's checkpoints through witnesses. Each checkpoint the log signs (already durable) is
 * submitted to every configured witness with a consistency proof from the size that witness last cosigned; the
 * cosignatures that verify are attached to the checkpoint that is served.
 *
 * <p>With a quorum K above zero, a checkpoint is served as current only once K witnesses cosigned it. Writes never
 * wait for witnesses: a write is durable in the log when it is acknowledged, and while witnesses are unreachable the
 * served checkpoint lags behind the log (the status says by how much) until they cosign a newer one. The last
 * checkpoint that reached the quorum is kept in a file beside the log key, so a restart serves it again at once.
 */
public final class CheckpointPublisher implements AutoCloseable {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** What the publisher needs of the log: its size, roots and consistency proofs over committed entries. */
  public interface Tree {
    long size();

    byte[] root(long size);

    List<byte[]> consistencyProof(long first, long second);
  }

  /** The state of one witness, for the status. */
  public record WitnessStatus(String name, String url, long cosignedSize, long lastCosignedAt, String lastError) {}

  /** What is served and how far behind the log it is. */
  public record Status(int quorum, long signedSize, long servedSize, boolean lagging, String detail,
      List<WitnessStatus> witnesses) {}

  private static final class Tracked {
    final WitnessClient client;
    volatile long knownSize = -1;
    volatile long cosignedSize = -1;
    volatile long lastCosignedAt;
    volatile String lastError = "";
    /** This witness's cosignature of the current target, if it gave one. */
    volatile SignedNote.Line line;
    volatile String lineFor;

    Tracked(WitnessClient client) {
      this.client = client;
    }
  }

  private final List<Tracked> witnesses = new ArrayList<>();
  private final int quorum;
  private final NoteKey logKey;
  private final Tree tree;
  private final Path witnessedFile;
  private final Thread worker;
  private final Object signal = new Object();
  private volatile String target;
  private volatile boolean closed;
  /** The checkpoint served: with quorum K, the newest one K witnesses cosigned; with 0, the newest signed one. */
  private volatile String served;

  public CheckpointPublisher(List<WitnessEndpoint> endpoints, int quorum, NoteKey logKey, Tree tree, Path keyDir) {
    if (quorum < 0 || quorum > endpoints.size()) {
      throw new IllegalArgumentException("the witness quorum must be between 0 and the " + endpoints.size()
          + " witnesses configured, not " + quorum);
    }
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    var names = new java.util.HashSet<String>();
    for (var e : endpoints) {
      if (!names.add(e.key().vkey())) {
        throw new IllegalArgumentException("the witness " + e.name() + " is configured twice; a quorum counts distinct keys");
      }
      witnesses.add(new Tracked(new WitnessClient(e, http)));
    }
    this.quorum = quorum;
    this.logKey = logKey;
    this.tree = tree;
    this.witnessedFile = keyDir.resolve("latest-witnessed-checkpoint");
    this.served = quorum > 0 ? loadWitnessed().orElse(null) : null;
    this.worker = Thread.ofPlatform().daemon().name("rampart-witnessing").unstarted(this::run);
    if (!witnesses.isEmpty()) {
      worker.start();
    }
  }

  /** A checkpoint the log signed and made durable: it goes to the witnesses, and is served now when K is 0. */
  public void signed(String note) {
    synchronized (signal) {
      target = note;
      if (quorum == 0) {
        served = note;
      }
      signal.notifyAll();
    }
  }

  /** The checkpoint to serve; empty while no checkpoint has reached the quorum yet. */
  public Optional<String> current() {
    return Optional.ofNullable(served);
  }

  public int quorum() {
    return quorum;
  }

  public Status status() {
    long signedSize = size(target);
    long servedSize = size(served);
    var list = witnesses.stream().map(t -> new WitnessStatus(t.client.witness().name(), t.client.witness().url().toString(),
        t.cosignedSize, t.lastCosignedAt, t.lastError)).toList();
    boolean lagging = served == null || servedSize < signedSize;
    String detail = !lagging ? "the served checkpoint is the newest signed one (" + servedSize + " entries)"
        : served == null ? "no checkpoint of this log has been cosigned by " + quorum + " witnesses yet; writes are"
            + " durable in the log and are served once witnessed"
        : "the served checkpoint (" + servedSize + " entries) lags the log (" + signedSize + " entries): fewer than "
            + quorum + " witnesses cosigned a newer one; writes are durable in the log and are served once witnessed";
    return new Status(quorum, signedSize, served == null ? -1 : servedSize, lagging, detail, list);
  }

  private static long size(String note) {
    if (note == null) {
      return -1;
    }
    try {
      return Checkpoint.parseText(SignedNote.parse(note).text()).size();
    } catch (LogException e) {
      return -1;
    }
  }

  private void run() {
    Duration backoff = Duration.ofMillis(200);
    String done = null;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      while (!closed) {
        String note = target;
        boolean complete = note == null || note.equals(done);
        if (!complete && round(note, pool)) {
          done = note;
          complete = true;
        }
        synchronized (signal) {
          if (closed) {
            return;
          }
          if (target != note) {
            continue; // a newer checkpoint arrived meanwhile: submit it at once
          }
          signal.wait(complete ? 0 : backoff.toMillis());
        }
        backoff = complete ? Duration.ofMillis(200)
            : backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Submits {@code note} to every witness that has not cosigned it yet; true when all of them have. */
  private boolean round(String note, java.util.concurrent.ExecutorService pool) throws InterruptedException {
    SignedNote signed;
    Checkpoint cp;
    try {
      signed = SignedNote.parse(note);
      cp = Checkpoint.parseText(signed.text());
    } catch (LogException e) {
      return true; // the log's own checkpoint always parses; nothing to witness otherwise
    }
    var futures = new ArrayList<Future<?>>();
    for (var t : witnesses) {
      if (!note.equals(t.lineFor)) {
        futures.add(pool.submit(() -> submit(t, note, signed.text(), cp)));
      }
    }
    for (var f : futures) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        // submit() records its own failures
      }
    }
    var lines = new LinkedHashMap<String, SignedNote.Line>();
    for (var t : witnesses) {
      if (note.equals(t.lineFor) && t.line != null) {
        lines.put(t.client.witness().name(), t.line);
      }
    }
    if (!lines.isEmpty()) {
      String combined = attach(note, lines.values());
      if (lines.size() >= Math.max(quorum, 1)) {
        try {
          AtomicFile.write(witnessedFile, combined);
        } catch (IOException e) {
          // served from memory; the file only spares a restart from waiting for the witnesses again
        }
      }
      synchronized (signal) {
        if (lines.size() >= quorum && (quorum > 0 || note.equals(target))) {
          served = combined;
        }
      }
    }
    return lines.size() == witnesses.size();
  }

  private void submit(Tracked t, String note, String text, Checkpoint cp) {
    long old = Math.max(t.knownSize, 0);
    for (int attempt = 0; attempt < 3; attempt++) {
      if (old > cp.size()) {
        t.lastError = "the witness has cosigned " + old + " entries of this log, more than the " + cp.size()
            + " signed now: the log lost entries it published";
        t.knownSize = -1;
        return;
      }
      List<byte[]> proof = old == 0 || old == cp.size() ? List.of() : tree.consistencyProof(old, cp.size());
      switch (t.client.submit(old, proof, note, text)) {
        case WitnessClient.Answer.Cosigned c -> {
          t.line = c.line();
          t.lineFor = note;
          t.knownSize = cp.size();
          t.cosignedSize = cp.size();
          t.lastCosignedAt = c.time();
          t.lastError = "";
          return;
        }
        case WitnessClient.Answer.KnownSize k -> {
          if (k.size() == old) {
            t.lastError = "the witness refused size " + cp.size() + " from its own size " + old;
            return;
          }
          old = k.size();
          t.knownSize = old;
        }
        case WitnessClient.Answer.Failed f -> {
          t.lastError = f.reason();
          t.knownSize = -1;
          return;
        }
      }
    }
    t.lastError = "the witness kept changing its size";
  }

  /** The note with these cosignature lines added after the log's own signature. */
  static String attach(String note, java.util.Collection<SignedNote.Line> lines) {
    var sb = new StringBuilder(note);
    lines.forEach(l -> sb.append(l.format()));
    return sb.toString();
  }

  /** The checkpoint that last reached the quorum, if it still verifies and the log still extends it. */
  private Optional<String> loadWitnessed() {
    if (!Files.exists(witnessedFile)) {
      return Optional.empty();
    }
    try {
      String note = Files.readString(witnessedFile, StandardCharsets.UTF_8);
      var cp = Checkpoint.verify(note, logKey);
      var keys = witnesses.stream().map(t -> t.client.witness().key()).toList();
      boolean quorate = Cosignature.verified(SignedNote.parse(note), keys).size() >= quorum;
      boolean extended = cp.size() <= tree.size() && MessageDigest.isEqual(tree.root(cp.size()), cp.root());
      return quorate && extended ? Optional.of(note) : Optional.empty();
    } catch (IOException | LogException e) {
      return Optional.empty();
    }
  }

  /** The witness names and keys, for the operator. */
  public Map<String, String> keys() {
    var out = new LinkedHashMap<String, String>();
    witnesses.forEach(t -> out.put(t.client.witness().name(), t.client.witness().key().vkey()));
    return out;
  }

  @Override
  public void close() {
    closed = true;
    synchronized (signal) {
      signal.notifyAll();
    }
    worker.interrupt();
  }
}
