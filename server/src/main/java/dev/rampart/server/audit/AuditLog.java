package dev.rampart.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.LogException;
import dev.rampart.integrity.log.LogKeys;
import dev.rampart.integrity.log.Merkle;
import dev.rampart.integrity.log.MerkleLevels;
import dev.rampart.integrity.log.SignedHead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The server's audit log: an RFC 9162 Merkle log over the {@code audit_entries} table, with a signed C2SP checkpoint
 * stored for every transaction that appends. Entries are canonical JSON (sorted keys). Appends happen inside the transaction of the change
 * they record, so a change and its audit entry commit together or not at all.
 */
public final class AuditLog {
  private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final Jdbi jdbi;
  private final KeyPair key;
  private final String origin;
  private final Clock clock;
  private final SignedHead head;
  private volatile MerkleLevels tree;
  private volatile long committedSize;
  /** The checkpoint signed in the open transaction, remembered beside the key once that transaction commits. */
  private String pendingNote;
  /** Entries covered by the latest signed checkpoint; append-only batches may leave later entries for the next one. */
  private volatile long signedSize;
  /** The latest checkpoint that is durable both in the database and beside the key: the only one served. */
  private volatile String published;
  /**
   * The size up to which the database's log is known to be this key's: -1 until the first write or refresh checks the
   * stored checkpoint, so a server given another key than its replicas refuses to sign on instead of forking the log.
   */
  private long confirmedSize = -1;
  /** Why the database cannot be trusted to extend the log, if it cannot; writes are then refused. */
  private volatile Optional<String> divergence = Optional.empty();
  /** Witnesses the signed checkpoints go through before they are served, if any are configured. */
  private volatile dev.rampart.server.witness.CheckpointPublisher publisher;
  /** The registry state each audited change produced, as the log records it. */
  private final StateLedger states = new StateLedger();

  public AuditLog(Jdbi jdbi, Path keyDir, String origin, Clock clock) throws IOException {
    this.jdbi = jdbi;
    this.key = LogKeys.loadOrCreate(keyDir);
    this.origin = origin;
    this.clock = clock;
    this.head = new SignedHead(keyDir, origin, key.getPublic());
    reload();
    compareWithSignedHead();
    states.load(jdbi, tree);
    signedSize = published == null ? 0 : sizeOf(published);
  }

  private static long sizeOf(String note) {
    return Long.parseLong(note.lines().skip(1).findFirst().orElse("0"));
  }

  /**
   * Compares the database with the latest checkpoint this server's key signed, kept beside the key. A database with
   * fewer entries, or whose first entries hash to another root, lost or rewrote history the server already vouched
   * for: signing on would fork the log, so writes are refused until the database is restored. A database one
   * checkpoint ahead (a crash between its commit and the head's update) simply moves the head forward.
   */
  private void compareWithSignedHead() throws IOException {
    Optional<Checkpoint> signed;
    try {
      signed = head.read();
    } catch (LogException e) {
      divergence = Optional.of("the latest signed checkpoint beside the log key does not verify (" + e.getMessage()
          + "); writes are refused");
      return;
    }
    if (signed.isPresent()) {
      Checkpoint cp = signed.get();
      if (tree.size() < cp.size()) {
        divergence = Optional.of("the database holds " + tree.size() + " audit entries but this server signed a"
            + " checkpoint of " + cp.size() + ": the newest entries were removed or the database was restored from an"
            + " older copy; writes are refused until the database holds them again");
        return;
      }
      if (!java.util.Arrays.equals(tree.range(0, cp.size()), cp.root())) {
        divergence = Optional.of("the first " + cp.size() + " audit entries in the database do not hash to the"
            + " checkpoint this server signed: history was rewritten; writes are refused");
        return;
      }
    }
    Optional<String> stored = jdbi.withHandle(h -> h.createQuery(
        "select note from audit_checkpoints order by tree_size desc limit 1").mapTo(String.class).findOne());
    String latest = stored.orElse(null);
    if (latest != null) {
      try {
        Checkpoint db = Checkpoint.verify(latest, origin, key.getPublic());
        boolean newer = signed.isEmpty() || db.size() > signed.get().size();
        if (newer && db.size() <= tree.size() && java.util.Arrays.equals(tree.range(0, db.size()), db.root())) {
          head.write(latest);
          published = latest;
          return;
        }
      } catch (LogException e) {
        // reported by verify(); the head stays where it was
      }
    }
    published = signed.isPresent() ? head.note() : latest;
  }

  /** Refuses a write when the database is behind or beside what this server already signed. */
  public void requireIntact() {
    divergence.ifPresent(reason -> {
      throw new LogDivergedException(reason);
    });
  }

  /** Why writes are refused, if they are. */
  public Optional<String> divergence() {
    return divergence;
  }

  /** Rebuilds the in-memory tree from the stored leaf hashes (after startup, or after a rolled-back transaction). */
  public synchronized void reload() {
    var levels = new MerkleLevels();
    jdbi.useHandle(h -> h.createQuery("select leaf_hash from audit_entries order by idx").mapTo(String.class)
        .forEach(hex -> levels.append(HexFormat.of().parseHex(hex))));
    tree = levels;
    committedSize = levels.size();
  }

  /**
   * Adds to the tree the entries that other servers on the same database committed since this one last wrote or
   * looked. The caller holds the log head (or only reads), so this server has no uncommitted entries of its own. The
   * database's checkpoint for the new size must verify under this server's key, which replicas share, and match the
   * tree: anything else means two signers extended the log, and writes are refused.
   */
  public synchronized void catchUp(Handle h) {
    long from = tree.size();
    var rows = h.createQuery("select idx, leaf_hash, entry from audit_entries where idx >= :f order by idx").bind("f", from)
        .map((rs, ctx) -> new StoredLeaf(rs.getLong(1), rs.getString(3), rs.getString(2))).list();
    for (StoredLeaf row : rows) {
      if (row.index() != tree.size()) {
        long missing = tree.size();
        tree.truncate(from);
        throw divergedOnCatchUp("audit entry " + missing + " is missing from the database");
      }
      tree.append(HexFormat.of().parseHex(row.leafHash()));
    }
    if (tree.size() == 0) {
      confirmedSize = 0;
      return;
    }
    // entries appended without a checkpoint (batched admissions) may follow the newest signed one, and another server
    // may have signed a checkpoint for entries this one already read: the newest checkpoint must verify and match
    var stored = h.createQuery("select tree_size, note from audit_checkpoints where tree_size <= :s"
            + " order by tree_size desc limit 1").bind("s", tree.size())
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).findOne();
    String note = stored.map(Map.Entry::getValue).orElse(null);
    boolean fresh = note != null && !note.equals(published);
    if (note != null && (fresh || confirmedSize < 0)) {
      try {
        long size = stored.get().getKey();
        if (!java.util.Arrays.equals(Checkpoint.verify(note, origin, key.getPublic()).root(), tree.range(0, size))) {
          tree.truncate(from);
          throw divergedOnCatchUp("the checkpoint of " + size + " entries does not match them");
        }
      } catch (LogException e) {
        tree.truncate(from);
        throw divergedOnCatchUp("the checkpoint another server stored does not verify under this server's log key ("
            + e.getMessage() + "): replicas must share one log key");
      }
    }
    for (StoredLeaf row : rows) {
      if (!java.util.Arrays.equals(Merkle.leafHash(row.entry().getBytes(StandardCharsets.UTF_8)),
          HexFormat.of().parseHex(row.leafHash()))) {
        tree.truncate(from);
        throw divergedOnCatchUp("audit entry " + row.index() + " does not match its leaf hash");
      }
      states.adoptFromLog(row.index(), row.entry());
    }
    committedSize = tree.size();
    confirmedSize = committedSize;
    if (!fresh) {
      return;
    }
    try {
      head.write(note);
    } catch (IOException e) {
      throw divergedOnCatchUp("the signed checkpoint could not be remembered beside the log key (" + e.getMessage() + ")");
    }
    published = note;
    signedSize = sizeOf(note);
  }

  private LogDivergedException divergedOnCatchUp(String reason) {
    divergence = Optional.of(reason + "; writes are refused");
    return new LogDivergedException(divergence.get());
  }

  /**
   * Appends an event within the caller's transaction. The caller holds the server's write lock and the database's
   * log head, so indices are dense and ordered; {@link #committed} or {@link #reload} must follow the transaction.
   */
  public long append(Handle h, String type, String actor, Map<String, Object> details) {
    long index = tree.size();
    return append(h, index, type, actor, details, states.bind(h, index, StateLedger.keysOf(h, type, details)));
  }

  private long append(Handle h, long index, String type, String actor, Map<String, Object> details, Map<String, String> state) {
    var event = new TreeMap<String, Object>(details);
    if (!state.isEmpty()) {
      event.put("state", state);
    }
    event.put("type", type);
    event.put("actor", actor);
    event.put("time", clock.instant().toString());
    byte[] entry;
    try {
      entry = CANONICAL.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] leaf = Merkle.leafHash(entry);
    h.createUpdate("insert into audit_entries(idx, entry, leaf_hash, created_at) values (:i, :e, :l, :t)")
        .bind("i", index).bind("e", new String(entry, StandardCharsets.UTF_8)).bind("l", HexFormat.of().formatHex(leaf))
        .bind("t", OffsetDateTime.now(clock.withZone(ZoneOffset.UTC))).execute();
    tree.append(leaf);
    return index;
  }

  /**
   * Signs and stores a checkpoint for the entries this transaction appended: one signature per transaction, so a
   * batch of audited calls costs one signature and one commit.
   */
  public void checkpoint(Handle h) {
    long size = tree.size();
    if (size == signedSize) {
      return;
    }
    requireIntact();
    var unsettled = states.unsettled(h);
    if (!unsettled.isEmpty()) {
      states.settle(size, unsettled);
      append(h, size, "state.settled", "rampart", Map.of(), unsettled);
      size = tree.size();
    }
    String note = new Checkpoint(origin, size, tree.root()).sign(origin, key.getPrivate(), key.getPublic());
    pendingNote = note;
    h.createUpdate("insert into audit_checkpoints(tree_size, note, created_at) values (:s, :n, :t)")
        .bind("s", size).bind("n", note).bind("t", OffsetDateTime.now(clock.withZone(ZoneOffset.UTC))).execute();
  }

  /**
   * The transaction committed: its entries are part of the tree, and its checkpoint becomes the signer's remembered
   * head (durable beside the key) before it is served or the write acknowledged.
   */
  public void committed() {
    committedSize = tree.size();
    states.commit();
    confirmedSize = committedSize;
    String note = pendingNote;
    pendingNote = null;
    if (note != null) {
      try {
        head.write(note);
      } catch (IOException e) {
        divergence = Optional.of("the signed checkpoint could not be remembered beside the log key (" + e.getMessage()
            + "); writes are refused until the server restarts");
        throw new LogDivergedException(divergence.get());
      }
      published = note;
      if (publisher != null) {
        publisher.signed(note);
      }
      signedSize = sizeOf(note);
    }
  }

  /** From now on, signed checkpoints are served through these witnesses (and, with a quorum, only once cosigned). */
  public void publishThrough(dev.rampart.server.witness.CheckpointPublisher witnesses) {
    publisher = witnesses;
    witnesses.signed(signedCheckpoint());
  }

  public Optional<dev.rampart.server.witness.CheckpointPublisher> publisher() {
    return Optional.ofNullable(publisher);
  }

  /** The transaction rolled back: its entries never existed. */
  public void rolledBack() {
    pendingNote = null;
    states.discard();
    tree.truncate(committedSize);
  }

  /** Entries committed so far; proofs are only served up to this size. */
  public long size() {
    return committedSize;
  }

  /**
   * Binds every row a database from before state binding holds, once, in a {@code state.adopted} entry: from then on
   * an edit of those rows is detected. Only when the log binds nothing yet; a fresh registry has nothing to adopt.
   */
  public Void adoptState(Handle h) {
    var keys = StateLedger.allKeys(h);
    if (states.size() == 0 && !keys.isEmpty()) {
      long index = tree.size();
      append(h, index, "state.adopted", "rampart", Map.of("keys", keys.size()), states.bind(h, index, keys));
    }
    return null;
  }

  /** Recomputes the state of every registry row the log binds and names each that differs from its latest entry. */
  public StateLedger.Report verifyState() {
    return jdbi.inTransaction(states::report);
  }

  /** The registry state the log vouches for. */
  public StateLedger states() {
    return states;
  }

  public String origin() {
    return origin;
  }

  public java.security.PublicKey publicKey() {
    return key.getPublic();
  }

  /**
   * The checkpoint served: the latest one durable in the database and remembered by the signer, with the
   * cosignatures of the witnesses that cosigned it; with a witness quorum, the latest one that reached it.
   */
  public String latestCheckpoint() {
    var witnesses = publisher;
    if (witnesses != null) {
      return witnesses.current().orElseThrow(() -> new CheckpointNotWitnessedException(witnesses.status().detail()));
    }
    return signedCheckpoint();
  }

  /** {@link #latestCheckpoint}, or null while none has reached the witness quorum. */
  public String latestCheckpointOrNull() {
    try {
      return latestCheckpoint();
    } catch (CheckpointNotWitnessedException e) {
      return null;
    }
  }

  /** The latest checkpoint that is durable in the database and remembered by the signer, witnessed or not. */
  public String signedCheckpoint() {
    String note = published;
    return note != null ? note : new Checkpoint(origin, 0, Merkle.emptyRoot()).sign(origin, key.getPrivate(), key.getPublic());
  }

  public List<byte[]> inclusionProof(long index, long size) {
    return Merkle.inclusionProof(tree, index, size);
  }

  public List<byte[]> consistencyProof(long first, long second) {
    return Merkle.consistencyProof(tree, first, second);
  }

  public byte[] root(long size) {
    return tree.range(0, size);
  }

  /** Entries {@code [from, to)} as stored. */
  public List<String> entries(long from, long to) {
    return jdbi.withHandle(h -> h.createQuery("select entry from audit_entries where idx >= :f and idx < :t order by idx")
        .bind("f", from).bind("t", to).mapTo(String.class).list());
  }

  /** One stored entry and its position in the log. */
  public record Indexed(long index, String entry) {}

  /**
   * Entries containing {@code text} (any case; empty matches all), newest first, older than {@code before} (a log
   * index; -1 for the newest). The whole log is searched, not a recent window.
   */
  public List<Indexed> search(String text, long before, int limit) {
    String pattern = "%" + text.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%")
        .replace("_", "!_") + "%";
    return jdbi.withHandle(h -> h.createQuery("""
            select idx, entry from audit_entries where idx < :before and lower(entry) like :p escape '!'
            order by idx desc limit :n""")
        .bind("before", before < 0 ? Long.MAX_VALUE : before).bind("p", pattern).bind("n", limit)
        .map((rs, ctx) -> new Indexed(rs.getLong(1), rs.getString(2))).list());
  }

  private record StoredLeaf(long index, String entry, String leafHash) {}

  private static void recomputeLeaves(java.util.Iterator<StoredLeaf> rows, MerkleLevels fresh, List<String> problems) {
    long expected = 0;
    while (rows.hasNext()) {
      StoredLeaf row = rows.next();
      if (row.index() != expected) {
        problems.add("entry " + expected + " is missing");
        expected = row.index();
      }
      byte[] leaf = Merkle.leafHash(row.entry().getBytes(StandardCharsets.UTF_8));
      if (!HexFormat.of().formatHex(leaf).equals(row.leafHash()) && problems.size() < 20) {
        problems.add("entry " + row.index() + " does not match its recorded leaf hash");
      }
      fresh.append(leaf);
      expected++;
    }
  }

  /** The result of re-verifying the stored history. */
  public record Verification(boolean ok, long entries, long checkpointSize, String detail) {}

  /**
   * Recomputes every leaf from the stored entries and checks every stored checkpoint: its signature, and that the
   * recomputed tree of that size has its root. A rewritten, removed or reordered row is detected.
   */
  public Verification verify() {
    var fresh = new MerkleLevels();
    var problems = new ArrayList<String>();
    // streamed in a transaction, so PostgreSQL reads through a cursor and memory stays flat however long the log
    jdbi.useTransaction(h -> h.createQuery("select idx, entry, leaf_hash from audit_entries order by idx")
        .setFetchSize(1_000).map((rs, ctx) -> new StoredLeaf(rs.getLong(1), rs.getString(2), rs.getString(3)))
        .useStream(rows -> recomputeLeaves(rows.iterator(), fresh, problems)));
    long checkpointSize = 0;
    for (String note : jdbi.withHandle(h -> h.createQuery("select note from audit_checkpoints order by tree_size")
        .mapTo(String.class).list())) {
      try {
        var cp = Checkpoint.verify(note, origin, key.getPublic());
        if (cp.size() > fresh.size()) {
          problems.add("checkpoint of " + cp.size() + " entries but only " + fresh.size() + " remain: entries were removed");
        } else if (!java.util.Arrays.equals(fresh.range(0, cp.size()), cp.root())) {
          problems.add("the first " + cp.size() + " entries no longer hash to their signed checkpoint: history was rewritten");
        }
        checkpointSize = Math.max(checkpointSize, cp.size());
      } catch (LogException e) {
        problems.add("a stored checkpoint does not verify: " + e.getMessage());
      }
      if (problems.size() >= 20) {
        break;
      }
    }
    divergence.ifPresent(problems::addFirst);
    return problems.isEmpty()
        ? new Verification(true, fresh.size(), checkpointSize, "all " + fresh.size() + " entries match the signed checkpoints")
        : new Verification(false, fresh.size(), checkpointSize, String.join("; ", problems.stream().distinct().limit(5).toList()));
  }
}
