package dev.rampart.server.artifacts;

import java.io.IOException;

/** The bytes read do not hash to the SHA-256 they are stored or announced under: they are refused, never served or kept. */
public final class DigestMismatchException extends IOException {
  public DigestMismatchException(String expected, String actual) {
    super("the content's SHA-256 is " + actual + ", not the expected " + expected + ": refused");
  }
}
