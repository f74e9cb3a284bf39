package dev.rampart.server.witness;

import dev.rampart.integrity.log.Merkle;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The body of a C2SP {@code tlog-witness} {@code add-checkpoint} request: {@code old <size>}, up to 63 base64
 * consistency-proof hashes, an empty line, then the signed checkpoint. Each line ends in a newline.
 */
public record AddCheckpoint(long oldSize, List<byte[]> proof, String checkpoint) {
  static final int MAX_PROOF = 63;
  static final int MAX_BYTES = 64 * 1024;

  public AddCheckpoint {
    proof = List.copyOf(proof);
  }

  /** A request body that does not follow the protocol's syntax. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  static AddCheckpoint parse(String body) throws Malformed {
    if (body.length() > MAX_BYTES) {
      throw new Malformed("request larger than " + MAX_BYTES + " bytes");
    }
    int blank = body.indexOf("\n\n");
    if (blank < 0) {
      throw new Malformed("no empty line before the checkpoint");
    }
    String[] head = body.substring(0, blank).split("\n", -1);
    if (!head[0].matches("old (0|[1-9][0-9]{0,18})")) {
      throw new Malformed("the first line must be 'old <size>' in decimal without leading zeros");
    }
    long old;
    try {
      old = Long.parseLong(head[0].substring(4));
    } catch (NumberFormatException e) {
      throw new Malformed("the old size is out of range");
    }
    if (head.length - 1 > MAX_PROOF) {
      throw new Malformed("more than " + MAX_PROOF + " consistency proof lines");
    }
    var proof = new ArrayList<byte[]>();
    for (int i = 1; i < head.length; i++) {
      byte[] hash;
      try {
        hash = Base64.getDecoder().decode(head[i]);
      } catch (IllegalArgumentException e) {
        throw new Malformed("consistency proof line " + i + " is not base64");
      }
      if (hash.length != Merkle.HASH_SIZE) {
        throw new Malformed("consistency proof line " + i + " is not a 32-byte hash");
      }
      proof.add(hash);
    }
    return new AddCheckpoint(old, proof, body.substring(blank + 2));
  }

  /** The request body. */
  public String format() {
    var sb = new StringBuilder("old ").append(oldSize).append('\n');
    proof.forEach(h -> sb.append(Base64.getEncoder().encodeToString(h)).append('\n'));
    return sb.append('\n').append(checkpoint).toString();
  }
}
