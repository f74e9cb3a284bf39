package dev.rampart.core;

import java.util.List;
import java.util.Objects;

/**
 * Where a finding is: a file (relative to the scan root where possible), the chain of container members inside it,
 * and a byte offset inside the innermost member, or -1 when no single offset applies.
 */
public record Location(String file, List<String> members, long byteOffset) {
  public static final long NO_OFFSET = -1;

  public Location {
    Objects.requireNonNull(file, "file");
    members = List.copyOf(members);
  }

  public static Location of(String file) {
    return new Location(file, List.of(), NO_OFFSET);
  }

  public Location member(String name) {
    var chain = new java.util.ArrayList<>(members);
    chain.add(name);
    return new Location(file, chain, NO_OFFSET);
  }

  public Location at(long offset) {
    return new Location(file, members, offset);
  }

  /** The nested path in the {@code outer.pt!archive/data.pkl} notation. */
  public String path() {
    if (members.isEmpty()) {
      return file;
    }
    return file + "!" + String.join("!", members);
  }

  public boolean hasOffset() {
    return byteOffset >= 0;
  }

  @Override
  public String toString() {
    return hasOffset() ? path() + "@" + byteOffset : path();
  }
}
