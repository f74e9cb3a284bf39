package dev.rampart.integrity.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** RFC 9162 Merkle tree hashing and proof verification (SHA-256, domain-separated leaves and nodes). */
public final class Merkle {
  public static final int HASH_SIZE = 32;

  private Merkle() {}

  /** Reads subtree hashes of a tree; implemented over the log's storage or an in-memory list. */
  public interface Hashes {
    long size();

    /** MTH of leaves {@code [from, to)}. */
    byte[] range(long from, long to);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  public static byte[] leafHash(byte[] entry) {
    var md = sha256();
    md.update((byte) 0);
    md.update(entry);
    return md.digest();
  }

  public static byte[] nodeHash(byte[] left, byte[] right) {
    var md = sha256();
    md.update((byte) 1);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** Hashes of perfect subtrees: {@code node(level, index)} covers leaves {@code [index * 2^level, (index + 1) * 2^level)}. */
  @FunctionalInterface
  interface Nodes {
    byte[] node(int level, long index);
  }

  /**
   * MTH of leaves {@code [from, to)} (RFC 9162 §2.1.1) from perfect-subtree hashes, so storage that keeps those only
   * needs to say how to read one.
   */
  static byte[] range(long from, long to, Nodes nodes) {
    long n = to - from;
    if (n == 0) {
      return emptyRoot();
    }
    if (Long.bitCount(n) == 1 && from % n == 0) {
      return nodes.node(Long.numberOfTrailingZeros(n), from / n);
    }
    long k = split(n);
    return nodeHash(range(from, from + k, nodes), range(from + k, to, nodes));
  }

  /** The largest power of two strictly smaller than {@code n} (n > 1). */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  /** PATH(m, D[n]) of RFC 9162 §2.1.3.1, from the leaf up. */
  public static List<byte[]> inclusionProof(Hashes tree, long index, long size) {
    if (index < 0 || index >= size || size > tree.size()) {
      throw new IllegalArgumentException("no leaf " + index + " in a tree of " + size);
    }
    var out = new ArrayList<byte[]>();
    path(tree, index, 0, size, out);
    return out;
  }

  private static void path(Hashes tree, long m, long from, long to, List<byte[]> out) {
    long n = to - from;
    if (n <= 1) {
      return;
    }
    long k = split(n);
    if (m < k) {
      path(tree, m, from, from + k, out);
      out.add(tree.range(from + k, to));
    } else {
      path(tree, m - k, from + k, to, out);
      out.add(tree.range(from, from + k));
    }
  }

  /** PROOF(m, D[n]) of RFC 9162 §2.1.4.1. */
  public static List<byte[]> consistencyProof(Hashes tree, long first, long second) {
    if (first < 0 || first > second || second > tree.size()) {
      throw new IllegalArgumentException("no consistency proof from " + first + " to " + second);
    }
    var out = new ArrayList<byte[]>();
    if (first == 0 || first == second) {
      return out;
    }
    subproof(tree, first, 0, second, true, out);
    return out;
  }

  private static void subproof(Hashes tree, long m, long from, long to, boolean complete, List<byte[]> out) {
    long n = to - from;
    if (m == n) {
      if (!complete) {
        out.add(tree.range(from, to));
      }
      return;
    }
    long k = split(n);
    if (m <= k) {
      subproof(tree, m, from, from + k, complete, out);
      out.add(tree.range(from + k, to));
    } else {
      subproof(tree, m - k, from + k, to, false, out);
      out.add(tree.range(from, from + k));
    }
  }

  /** RFC 9162 §2.1.3.2: true when the proof binds the leaf at {@code index} to {@code root}. */
  public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
    if (index < 0 || index >= size || leafHash.length != HASH_SIZE || root.length != HASH_SIZE) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0 || p.length != HASH_SIZE) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  /** RFC 9162 §2.1.4.2: true when the tree of size {@code first} is a prefix of the tree of size {@code second}. */
  public static boolean verifyConsistency(long first, long second, List<byte[]> proof, byte[] firstRoot, byte[] secondRoot) {
    if (first < 0 || second < first) {
      return false;
    }
    if (first == second) {
      return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
    }
    if (first == 0) {
      return proof.isEmpty();
    }
    if (proof.isEmpty()) {
      return false;
    }
    for (byte[] p : proof) {
      if (p.length != HASH_SIZE) {
        return false;
      }
    }
    var path = new ArrayList<>(proof);
    if (Long.bitCount(first) == 1) {
      path.add(0, firstRoot);
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
  }

  /** An in-memory tree over leaf hashes, for tests and small verifications. */
  public static Hashes inMemory(List<byte[]> leafHashes) {
    return new Hashes() {
      @Override
      public long size() {
        return leafHashes.size();
      }

      @Override
      public byte[] range(long from, long to) {
        return Merkle.range(from, to, this::node);
      }

      private byte[] node(int level, long index) {
        return level == 0
            ? leafHashes.get((int) index)
            : nodeHash(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
      }
    };
  }
}
