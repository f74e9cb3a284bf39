package dev.rampart.server.domain;

/** What was asked for does not exist, or the caller may not know that it does. */
public final class NotFound extends RampartException {
  /** The codes of this kind. */
  public enum Reason implements Code {
    NOT_FOUND
  }

  public NotFound(String message) {
    super(Reason.NOT_FOUND, message);
  }

  /** "{what} not found". */
  public static NotFound of(String what) {
    return new NotFound(what + " not found");
  }

  /** "{what} '{name}' not found", with the client's name shown safely ({@link #preview}). */
  public static NotFound named(String what, String name) {
    return of(what + " '" + preview(name) + "'");
  }

  /** A client-sent name as it may appear in a message: control characters replaced, at most 60 characters. */
  public static String preview(String s) {
    if (s == null) {
      return "";
    }
    String p = s.replaceAll("[\\p{Cntrl}]", "?");
    return p.length() > 60 ? p.substring(0, 60) + "..." : p;
  }
}
