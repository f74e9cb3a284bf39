package dev.rampart.scan.secrets;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a PEM body is a key of the type its header declares. Documentation and templates ship "keys" whose body
 * is filler ({@code MIIEv...dummy...}) or a truncated real prefix; a real key decodes to DER of the declared
 * structure and, for RSA, its modulus is the product of its primes. Anything we cannot judge (an algorithm JCA does
 * not know, a PGP block) counts as a key: only a proof of dummy content silences the finding.
 */
final class PrivateKeys {
  private static final int MAX_BODY = 64 * 1024;
  private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** PKCS#8 algorithm identifiers JCA decodes, by DER-encoded OID value. */
  private static final Map<String, String> PKCS8_ALGORITHMS =
      Map.of(
          "2a864886f70d010101", "RSA",
          "2a8648ce3d0201", "EC",
          "2b6570", "Ed25519",
          "2b656e", "X25519",
          "2b6571", "Ed448",
          "2b656f", "X448",
          "2a8648ce380401", "DSA");

  private PrivateKeys() {}

  /**
   * @param type the words between {@code BEGIN} and {@code PRIVATE KEY}, such as {@code RSA} or {@code ENCRYPTED}
   * @param body the base64 body; whitespace and escaped line breaks ({@code \n} in JSON) are ignored
   */
  static boolean plausible(String type, String body) {
    String t = type.strip().toUpperCase(Locale.ROOT);
    if (t.startsWith("PGP") || body.length() > MAX_BODY) {
      return true;
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body.replace("\\n", "\n").replace("\\r", "").replace("\\", ""));
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (t.equals("OPENSSH")) {
      return startsWith(der, OPENSSH_MAGIC);
    }
    Optional<Der> outer = Der.read(der, 0).filter(d -> d.tag() == 0x30 && d.end() == der.length);
    if (outer.isEmpty()) {
      return false;
    }
    List<Der> fields = outer.get().children(der);
    return switch (t) {
      case "RSA" -> rsa(der, fields);
      case "EC" -> fields.size() >= 2 && fields.get(0).tag() == 0x02 && fields.get(1).tag() == 0x04
          && fields.get(1).length() >= 20 && fields.get(1).length() <= 72;
      case "DSA" -> fields.size() == 6 && fields.stream().allMatch(f -> f.tag() == 0x02);
      case "ENCRYPTED" -> encrypted(der);
      case "" -> pkcs8(der, fields);
      default -> true;
    };
  }

  /** PKCS#1: version, n, e, d, p, q, dp, dq, qinv; a real key satisfies n = p * q. */
  private static boolean rsa(byte[] der, List<Der> fields) {
    if (fields.size() < 9 || fields.stream().limit(9).anyMatch(f -> f.tag() != 0x02)) {
      return false;
    }
    BigInteger n = fields.get(1).integer(der);
    BigInteger p = fields.get(4).integer(der);
    BigInteger q = fields.get(5).integer(der);
    return n.signum() > 0 && n.equals(p.multiply(q));
  }

  private static boolean pkcs8(byte[] der, List<Der> fields) {
    if (fields.size() < 3 || fields.get(0).tag() != 0x02 || fields.get(1).tag() != 0x30 || fields.get(2).tag() != 0x04) {
      return false;
    }
    List<Der> algorithm = fields.get(1).children(der);
    if (algorithm.isEmpty() || algorithm.get(0).tag() != 0x06) {
      return false;
    }
    String jca = PKCS8_ALGORITHMS.get(algorithm.get(0).hex(der));
    if (jca == null) {
      return true;
    }
    try {
      var key = KeyFactory.getInstance(jca).generatePrivate(new PKCS8EncodedKeySpec(der));
      if (key instanceof RSAPrivateCrtKey rsa) {
        return rsa.getModulus().equals(rsa.getPrimeP().multiply(rsa.getPrimeQ()));
      }
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      // an algorithm this JVM lacks says nothing about the key; a body JCA rejects is not a key
      return e instanceof java.security.NoSuchAlgorithmException;
    }
  }

  private static boolean encrypted(byte[] der) {
    try {
      new javax.crypto.EncryptedPrivateKeyInfo(der);
      return true;
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length && java.util.Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** One DER element: tag, where its content starts and how long it is. Definite lengths only, as DER requires. */
  record Der(int tag, int contentStart, int length) {
    int end() {
      return contentStart + length;
    }

    static Optional<Der> read(byte[] b, int at) {
      if (at + 2 > b.length) {
        return Optional.empty();
      }
      int tag = b[at] & 0xff;
      int first = b[at + 1] & 0xff;
      int pos = at + 2;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int octets = first & 0x7f;
        if (octets == 0 || octets > 4 || pos + octets > b.length) {
          return Optional.empty();
        }
        length = 0;
        for (int i = 0; i < octets; i++) {
          length = length << 8 | (b[pos++] & 0xff);
        }
      }
      if (pos + length > b.length) {
        return Optional.empty();
      }
      return Optional.of(new Der(tag, pos, (int) length));
    }

    /** The elements inside a constructed element; an empty list when they do not tile it exactly. */
    List<Der> children(byte[] b) {
      var out = new ArrayList<Der>();
      int pos = contentStart;
      while (pos < end() && out.size() < 64) {
        var child = read(b, pos);
        if (child.isEmpty() || child.get().end() > end()) {
          return List.of();
        }
        out.add(child.get());
        pos = child.get().end();
      }
      return pos == end() ? out : List.of();
    }

    BigInteger integer(byte[] b) {
      return length == 0 ? BigInteger.ZERO : new BigInteger(java.util.Arrays.copyOfRange(b, contentStart, end()));
    }

    String hex(byte[] b) {
      var sb = new StringBuilder();
      for (int i = contentStart; i < end(); i++) {
        sb.append(String.format("%02x", b[i] & 0xff));
      }
      return sb.toString();
    }
  }
}
