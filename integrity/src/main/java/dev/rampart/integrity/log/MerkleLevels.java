package dev.rampart.integrity.log;

import java.util.ArrayList;
import java.util.List;

/**
 * All complete-subtree hashes of a growing tree, in memory: appending is O(log n), any subtree hash is O(log n)
 * lookups, and proofs follow. Used where the entries live in a database rather than the log's own files.
 */
public final class MerkleLevels implements Merkle.Hashes {
  private final List<List<byte[]>> levels = new ArrayList<>();

  public MerkleLevels() {
    levels.add(new ArrayList<>());
  }

  public synchronized void append(byte[] leafHash) {
    var leaves = levels.get(0);
    leaves.add(leafHash);
    long i = leaves.size() - 1;
    byte[] h = leafHash;
    for (int level = 1; (i & 1) == 1; level++) {
      h = Merkle.nodeHash(levels.get(level - 1).get((int) (i - 1)), h);
      i >>= 1;
      if (levels.size() <= level) {
        levels.add(new ArrayList<>());
      }
      levels.get(level).add(h);
    }
  }

  /** Forgets every leaf from {@code size} on (a rolled-back append); complete subtrees below it are untouched. */
  public synchronized void truncate(long size) {
    for (int level = 0; level < levels.size(); level++) {
      var l = levels.get(level);
      long keep = size >> level;
      while (l.size() > keep) {
        l.remove(l.size() - 1);
      }
    }
  }

  @Override
  public synchronized long size() {
    return levels.get(0).size();
  }

  public synchronized byte[] leaf(long index) {
    return levels.get(0).get((int) index);
  }

  @Override
  public synchronized byte[] range(long from, long to) {
    return Merkle.range(from, to, (level, index) -> levels.get(level).get((int) index));
  }

  public synchronized byte[] root() {
    return range(0, size());
  }
}
