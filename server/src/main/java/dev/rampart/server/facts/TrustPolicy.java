package dev.rampart.server.facts;

import dev.rampart.integrity.attest.AttestationVerifier.TrustedKey;
import dev.rampart.integrity.attest.PredicateType;
import dev.rampart.integrity.sign.Pem;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * A project's trust policy, read from its keys: which keys are trusted (not revoked) and which predicate types each may
 * attest. Read afresh whenever a fact is used, so revoking a key withdraws every fact it attested.
 */
public final class TrustPolicy {
  private TrustPolicy() {}

  /** One trusted key with its row id, for recording which key signed a model. */
  public record Key(long id, String name, PublicKey publicKey, java.util.Set<PredicateType> may) {
    public TrustedKey trusted() {
      return new TrustedKey(name, publicKey, may);
    }
  }

  private record Row(long id, String name, String pem) {}

  private record Authority(long key, String type) {}

  /** The project's keys that are not revoked, with their authorities. */
  public static List<Key> keys(Handle h, long projectId) {
    var rows = h.createQuery("select id, name, public_key_pem from signing_keys where project_id = :p and revoked_at is null order by id")
        .bind("p", projectId).map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
    var authorities = new LinkedHashMap<Long, EnumSet<PredicateType>>();
    h.createQuery("""
            select a.key_id, a.predicate_type from key_authorities a join signing_keys k on k.id = a.key_id
            where k.project_id = :p and k.revoked_at is null""")
        .bind("p", projectId).map((rs, ctx) -> new Authority(rs.getLong(1), rs.getString(2)))
        .forEach(a -> PredicateType.parse(a.type()).ifPresent(t ->
            authorities.computeIfAbsent(a.key(), k -> EnumSet.noneOf(PredicateType.class)).add(t)));
    var out = new ArrayList<Key>();
    for (Row r : rows) {
      try {
        out.add(new Key(r.id(), r.name(), Pem.publicKey(r.pem()),
            authorities.getOrDefault(r.id(), EnumSet.noneOf(PredicateType.class))));
      } catch (IOException e) {
        // keys are checked when added; an unreadable one trusts nothing
      }
    }
    return out;
  }

  /** A key the project has had, revoked or not, for naming who signed a fact that no longer counts. */
  public record OnRecord(String name, PublicKey publicKey, java.time.OffsetDateTime revokedAt) {}

  private record RecordRow(String name, String pem, java.time.OffsetDateTime revokedAt) {}

  /** Every key the project has had, oldest first. */
  public static List<OnRecord> everKnown(Handle h, long projectId) {
    var out = new ArrayList<OnRecord>();
    h.createQuery("select name, public_key_pem, revoked_at from signing_keys where project_id = :p order by id")
        .bind("p", projectId).map((rs, ctx) -> new RecordRow(rs.getString(1), rs.getString(2),
            rs.getObject(3, java.time.OffsetDateTime.class)))
        .forEach(r -> {
          try {
            out.add(new OnRecord(r.name(), Pem.publicKey(r.pem()), r.revokedAt()));
          } catch (IOException e) {
            // keys are checked when added; an unreadable one names nobody
          }
        });
    return out;
  }

  /** The keys as the attestation verifier takes them. */
  public static List<TrustedKey> attesters(Handle h, long projectId) {
    return keys(h, projectId).stream().map(Key::trusted).toList();
  }

  /** A key that is still trusted, by id. */
  public static Optional<Key> active(Handle h, long projectId, Long keyId) {
    if (keyId == null) {
      return Optional.empty();
    }
    return keys(h, projectId).stream().filter(k -> k.id() == keyId).findFirst();
  }
}
