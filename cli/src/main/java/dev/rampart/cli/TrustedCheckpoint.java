package dev.rampart.cli;

import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.LogException;
import dev.rampart.integrity.log.Merkle;
import java.io.IOException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Checks a server's audit log against a checkpoint a client saved earlier: the server's latest checkpoint must be
 * signed by the key that signed the saved one, and a consistency proof from the server must show the saved tree is a
 * prefix of it. A truncated, rolled-back or forked log cannot produce such a proof.
 */
final class TrustedCheckpoint {
  private TrustedCheckpoint() {}

  /** A verified extension: the saved checkpoint and the server's latest. */
  record Extension(Checkpoint trusted, Checkpoint latest) {}

  static Extension verify(Client client, String savedNote, PublicKey key) throws IOException, LogException {
    String origin = savedNote.lines().findFirst().orElse("");
    Checkpoint trusted = Checkpoint.verify(savedNote, origin, key);
    var latestAnswer = client.call("GET", "/api/v1/audit/checkpoint", null);
    if (!latestAnswer.ok()) {
      throw new IOException("the server did not return its checkpoint: " + latestAnswer.error());
    }
    Checkpoint latest;
    try {
      latest = Checkpoint.verify(latestAnswer.text(), origin, key);
    } catch (LogException e) {
      throw new LogException.BadCheckpoint("the server's latest checkpoint does not verify under the trusted key: "
          + e.getMessage());
    }
    if (latest.size() < trusted.size()) {
      throw new LogException.Tampered(latest.size(), "the server's log has " + latest.size()
          + " entries, fewer than the " + trusted.size() + " of the trusted checkpoint: history was cut");
    }
    var proof = client.call("GET", "/api/v1/audit/consistency?first=" + trusted.size() + "&second=" + latest.size(), null);
    if (!proof.ok()) {
      throw new IOException("the server did not return a consistency proof: " + proof.error());
    }
    List<byte[]> hashes = new ArrayList<>();
    proof.body().get("consistencyProof").forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
    boolean consistent = trusted.size() == latest.size()
        ? java.util.Arrays.equals(trusted.root(), latest.root())
        : trusted.size() == 0 || Merkle.verifyConsistency(trusted.size(), latest.size(), hashes, trusted.root(), latest.root());
    if (!consistent) {
      throw new LogException.Tampered(-1, "the server's log of " + latest.size() + " entries does not extend the trusted"
          + " checkpoint of " + trusted.size() + ": history was rewritten or the log forked");
    }
    return new Extension(trusted, latest);
  }

  /** The server's checkpoint and the witnesses whose cosignature on it verified. */
  record Witnessed(Checkpoint checkpoint, List<String> cosigners) {}

  /**
   * Checks that the server's latest checkpoint is signed by the log key and cosigned by at least {@code quorum} of the
   * given witnesses (each counted once, whatever lines the note repeats).
   */
  static Witnessed witnessed(Client client, PublicKey key, List<dev.rampart.integrity.log.NoteKey> witnesses, int quorum)
      throws IOException, LogException {
    var answer = client.call("GET", "/api/v1/audit/checkpoint", null);
    if (!answer.ok()) {
      throw new LogException.BadCheckpoint("the server serves no checkpoint: " + answer.error());
    }
    String note = answer.text();
    String origin = note.lines().findFirst().orElse("");
    Checkpoint cp;
    try {
      cp = Checkpoint.verify(note, origin, key);
    } catch (LogException e) {
      throw new LogException.BadCheckpoint("the server's checkpoint does not verify under the log key: " + e.getMessage());
    }
    var cosigned = dev.rampart.integrity.log.Cosignature.verified(dev.rampart.integrity.log.SignedNote.parse(note),
        witnesses.stream().map(dev.rampart.integrity.log.Cosignature::asCosigner).toList());
    var names = cosigned.stream().map(v -> v.witness().name()).toList();
    if (cosigned.size() < quorum) {
      throw new LogException.BadCheckpoint("the server's checkpoint of " + cp.size() + " entries is cosigned by "
          + cosigned.size() + " of the witnesses given" + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")")
          + ", fewer than the quorum of " + quorum);
    }
    return new Witnessed(cp, names);
  }

  static PublicKey serverKey(Client client) throws IOException {
    var a = client.call("GET", "/api/v1/audit/key", null);
    if (!a.ok()) {
      throw new IOException("the server did not return its audit key: " + a.error());
    }
    return ed25519Pem(a.text());
  }

  static PublicKey ed25519Pem(String pem) throws IOException {
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }
}
