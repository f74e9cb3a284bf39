package dev.rampart.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rampart.core.Sha256;
import dev.rampart.integrity.log.Merkle;
import dev.rampart.integrity.log.MerkleLevels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Binds registry state to the audit log. Every audited change names the keys of the rows it changed (see
 * {@link #keysOf}) and its entry carries, under {@code state}, the SHA-256 of each key's canonical state as the change
 * left it. The latest digest per key is kept in memory, read from the log itself at start (each entry checked against
 * its Merkle leaf, so a rewritten entry cannot move a binding back), never from a table an attacker could edit beside
 * the rows. A row whose state no longer hashes to its latest binding was changed outside the server.
 */
public final class StateLedger {
  private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  /** The state of a key with no rows: what the log says of any key it never bound. */
  static final String EMPTY = digest(List.of());

  /** The latest digest the log holds for a key, and the entry that holds it. */
  public record Binding(String digest, long entry) {}

  /** A key whose rows differ from what the log last said of them. */
  public record Difference(String table, String key, String expected, long entry, String found, String rows) {
    /** One line naming the table, the key and both digests. */
    public String describe() {
      return table + " " + key + ": the log " + (entry < 0 ? "never recorded these rows (expected none)"
          : "(entry " + entry + ") says sha256:" + expected) + ", the database now holds sha256:" + found
          + (rows.isEmpty() ? " (no rows)" : " " + rows);
    }
  }

  private final Map<String, Binding> committed = new ConcurrentHashMap<>();
  /** Bindings of the open write transaction (the write lock serialises them). */
  private final Map<String, Binding> pending = new HashMap<>();
  /** Why no binding can be trusted, when a log entry does not match its leaf. */
  private volatile Optional<String> untrusted = Optional.empty();

  /** Reads every binding from the log, checking each entry against the leaf hash the tree was built from. */
  void load(Jdbi jdbi, MerkleLevels tree) {
    committed.clear();
    jdbi.useTransaction(h -> h.createQuery("select idx, entry from audit_entries order by idx").setFetchSize(1_000)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).useStream(rows -> rows.forEach(row -> {
          long idx = row.getKey();
          String entry = row.getValue();
          if (idx >= tree.size()
              || !Arrays.equals(Merkle.leafHash(entry.getBytes(StandardCharsets.UTF_8)), tree.leaf(idx))) {
            if (untrusted.isEmpty()) {
              untrusted = Optional.of("audit entry " + idx + " does not match its leaf hash, so the state it bound is unknown");
            }
            return;
          }
          if (entry.contains("\"state\":")) {
            readBindings(idx, entry);
          }
        })));
  }

  /** Takes the bindings of an entry another server appended to the shared log (its leaf already checked by the tree). */
  void adoptFromLog(long idx, String entry) {
    if (entry != null && entry.contains("\"state\":")) {
      readBindings(idx, entry);
    }
  }

  private void readBindings(long idx, String entry) {
    try {
      JsonNode state = CANONICAL.readTree(entry).path("state");
      state.properties().forEach(e -> committed.put(e.getKey(), new Binding(e.getValue().asText(), idx)));
    } catch (JsonProcessingException e) {
      untrusted = Optional.of("audit entry " + idx + " is not JSON");
    }
  }

  /** Computes the digests of the keys an entry at {@code index} binds; they count once the transaction commits. */
  Map<String, String> bind(Handle h, long index, Collection<String> keys) {
    var out = new TreeMap<String, String>();
    for (String key : keys) {
      String d = digest(rows(h, key));
      out.put(key, d);
      pending.put(key, new Binding(d, index));
    }
    return out;
  }

  /**
   * Keys bound in this transaction whose rows changed again after their entry (a promotion's status set after its
   * decision was logged): their final digests, for one closing entry.
   */
  Map<String, String> unsettled(Handle h) {
    var out = new TreeMap<String, String>();
    for (var e : pending.entrySet()) {
      String now = digest(rows(h, e.getKey()));
      if (!now.equals(e.getValue().digest())) {
        out.put(e.getKey(), now);
      }
    }
    return out;
  }

  void settle(long index, Map<String, String> digests) {
    digests.forEach((k, d) -> pending.put(k, new Binding(d, index)));
  }

  void commit() {
    committed.putAll(pending);
    pending.clear();
  }

  void discard() {
    pending.clear();
  }

  /** The latest binding of a key, if the log holds one. */
  public Optional<Binding> binding(String key) {
    return Optional.ofNullable(committed.get(key));
  }

  /** The outcome of comparing the registry tables with the log. */
  public record Report(boolean ok, int keys, List<Difference> differences, List<String> detail) {}

  /** Compares every bound key and every key the tables hold rows under with the log. */
  public Report report(Handle h) {
    var differences = verify(h);
    var detail = new ArrayList<String>();
    untrusted.ifPresent(detail::add);
    differences.forEach(d -> detail.add(d.describe()));
    return new Report(detail.isEmpty(), committed.size(), differences, detail);
  }

  /** Every bound key, and every key the tables hold rows under, whose rows differ from the log. */
  public List<Difference> verify(Handle h) {
    var keys = new TreeSet<String>(committed.keySet());
    keys.addAll(allKeys(h));
    var out = new ArrayList<Difference>();
    for (String key : keys) {
      difference(h, key).ifPresent(out::add);
    }
    return out;
  }

  /** Every key the registry tables hold rows under now. */
  static List<String> allKeys(Handle h) {
    var keys = new ArrayList<String>();
    for (var t : StateTable.values()) {
      keys.addAll(t.keys(h));
    }
    return keys;
  }

  /** How many keys the log binds. */
  public int size() {
    return committed.size();
  }

  /** Why no binding can be trusted, if none can. */
  public Optional<String> untrusted() {
    return untrusted;
  }

  /** The first of these keys whose rows differ from the log, described; empty when all match. */
  public Optional<String> mismatch(Handle h, Collection<String> keys) {
    if (untrusted.isPresent()) {
      return untrusted;
    }
    for (String key : keys) {
      var d = difference(h, key);
      if (d.isPresent()) {
        return Optional.of(d.get().describe());
      }
    }
    return Optional.empty();
  }

  private Optional<Difference> difference(Handle h, String key) {
    var rows = rows(h, key);
    String found = digest(rows);
    var bound = committed.get(key);
    String expected = bound == null ? EMPTY : bound.digest();
    if (found.equals(expected)) {
      return Optional.empty();
    }
    String shown = rows.isEmpty() ? "" : write(rows);
    int slash = key.indexOf('/');
    return Optional.of(new Difference(key.substring(0, slash), key.substring(slash + 1), expected, bound == null ? -1 : bound.entry(),
        found, shown.length() > 600 ? shown.substring(0, 600) + "..." : shown));
  }

  /** The key of a table's rows: the table name and the parts of the natural key, '/'-separated. */
  public static String key(String table, Object... parts) {
    var b = new StringBuilder(StateTable.of(table).table());
    for (Object p : parts) {
      b.append('/').append(p);
    }
    return b.toString();
  }

  static List<Map<String, Object>> rows(Handle h, String key) {
    String[] parts = key.split("/", -1);
    return StateTable.of(parts[0]).rows(h, Arrays.copyOfRange(parts, 1, parts.length));
  }

  /** SHA-256 (hex) of the canonical JSON of a key's rows: sorted keys, no whitespace, UTF-8. */
  static String digest(List<Map<String, Object>> rows) {
    return Sha256.of(write(rows));
  }

  private static String write(Object o) {
    try {
      return CANONICAL.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The keys an audited change of this type binds, from the details its entry records. */
  static Set<String> keysOf(Handle h, String type, Map<String, Object> details) {
    var keys = new LinkedHashSet<String>();
    Object p = details.get("project");
    switch (type) {
      case "model_version.created" -> keys.add(key("model_versions", p, details.get("model"), details.get("version")));
      case "deployment.activated" -> {
        keys.add(key("deployments", p, details.get("environment"), details.get("model")));
        keys.add(key("promotions", p, details.get("promotion")));
      }
      case "deployment.rolled_back" -> {
        keys.add(key("deployments", p, details.get("environment"), details.get("model")));
        keys.add(key("promotions", p, details.get("decision")));
      }
      case "gate.decision", "promotion.approve", "promotion.reject" -> keys.add(key("promotions", p, details.get("promotion")));
      case "dataset_version.created" -> keys.add(key("dataset_versions", p, details.get("dataset"), details.get("version")));
      case "dataset_version.poisoned", "dataset_version.poison_cleared" -> {
        keys.add(key("poisoned_digests", p, details.get("digest")));
        keys.addAll(datasetVersions(h, p, details.get("digest")));
      }
      case "attestation.recorded", "evaluation.recorded" -> {
        keys.add(key("attestations", p, details.get("subject")));
        keys.addAll(datasetVersions(h, p, details.get("subject")));
      }
      case "signing_key.added", "signing_key.revoked" -> keys.add(key("signing_keys", p, details.get("key")));
      case "policy.changed" -> keys.add(key("policies", p, details.get("environment")));
      case "project.created" -> h.createQuery("select e.name from environments e join projects p on p.id = e.project_id where p.name = :p")
          .bind("p", String.valueOf(p)).mapTo(String.class).forEach(env -> keys.add(key("policies", p, env)));
      case "run.created" -> keys.add(key("runs", p, details.get("run")));
      default -> {
        // no registry row changed (admissions, sign-ins, tokens and members are not bound state)
      }
    }
    return keys;
  }

  private static List<String> datasetVersions(Handle h, Object project, Object digest) {
    return h.createQuery("""
            select d.name, v.version from dataset_versions v join datasets d on d.id = v.dataset_id join projects p on p.id = d.project_id
            where p.name = :p and v.digest = :g order by d.name, v.version""")
        .bind("p", String.valueOf(project)).bind("g", String.valueOf(digest))
        .map((rs, ctx) -> key("dataset_versions", project, rs.getString(1), rs.getInt(2))).list();
  }
}
