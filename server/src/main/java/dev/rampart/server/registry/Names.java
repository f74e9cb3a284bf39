package dev.rampart.server.registry;

import dev.rampart.server.domain.InvalidInput;


/** Validation of names and paths that clients send; anything else is refused before it reaches storage. */
public final class Names {
  private Names() {}

  public static String name(String what, String s) {
    if (s == null || !s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      throw new InvalidInput(InvalidInput.Reason.INVALID_NAME, what + " names are 1-100 letters, digits, '.', '_' or '-', not '"
          + preview(s) + "'");
    }
    return s;
  }

  /** A file name inside an uploaded model: relative, '/'-separated, no '..', no control characters. */
  public static String relativePath(String s) {
    if (s == null || s.isEmpty() || s.length() > 1000 || s.startsWith("/") || s.contains("\\") || s.contains("\0")
        || s.matches("^[A-Za-z]:.*") || s.chars().anyMatch(c -> c < 0x20)) {
      throw new InvalidInput(InvalidInput.Reason.INVALID_NAME, "file name '" + preview(s) + "' must be a relative path");
    }
    for (String part : s.split("/")) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new InvalidInput(InvalidInput.Reason.INVALID_NAME, "file name '" + preview(s) + "' must not contain empty, '.' or '..' parts");
      }
      if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
        throw new InvalidInput(InvalidInput.Reason.INVALID_NAME, "each part of a file name is at most 255 bytes, not '" + preview(s) + "'");
      }
    }
    return s;
  }

  public static String digest(String s) {
    String d = s == null ? "" : s.replaceFirst("^sha256:", "");
    if (!d.matches("[0-9a-f]{64}")) {
      throw new InvalidInput("digests are 64 lowercase hex digits, optionally prefixed with sha256:");
    }
    return d;
  }

  public static String preview(String s) {
    return dev.rampart.server.domain.NotFound.preview(s);
  }
}
