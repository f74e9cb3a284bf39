package dev.rampart.data.learn;

/** Gradient-boosted trees could not be trained here (native library missing, or the library refused the data). */
public final class BoostingException extends Exception {
  BoostingException(String message, Throwable cause) {
    super(message, cause);
  }
}
