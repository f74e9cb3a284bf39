package dev.rampart.core;

import java.util.List;
import java.util.Objects;

/**
 * Where a finding is: a file (relative to the scan root where possible), the chain of container members inside it,
 * a byte offset inside the innermost member (or -1 when no single offset applies), and for text a 1-based line
 * number (or 0).
 */
public record Location(String file, List<String> members, long byteOffset, int line) {
  public static final long NO_OFFSET = -1;
  public static final int NO_LINE = 0;

  public Location {
    Objects.requireNonNull(file, "file");
    members = List.copyOf(members);
    if (line < 0) {
      throw new IllegalArgumentException("line numbers start at 1: " + line);
    }
  }

  public Location(String file, List<String> members, long byteOffset) {
    this(file, members, byteOffset, NO_LINE);
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
    return new Location(file, members, offset, line);
  }

  public Location atLine(int lineNumber) {
    return new Location(file, members, byteOffset, lineNumber);
  }

  public boolean hasLine() {
    return line > NO_LINE;
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
    if (hasLine()) {
      return path() + ":" + line;
    }
    return hasOffset() ? path() + "@" + byteOffset : path();
  }
}
