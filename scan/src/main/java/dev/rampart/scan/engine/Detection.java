package dev.rampart.scan.engine;

/** What content detection decided, with a detail such as the name of an unsupported format. */
public record Detection(Format format, String detail) {
  public static Detection of(Format format) {
    return new Detection(format, "");
  }
}
