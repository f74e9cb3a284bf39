package dev.rampart.eval.llm;

/** Why an endpoint gave no usable answer; each kind says what to do about it. */
public sealed class ChatException extends Exception {
  ChatException(String message) {
    super(message);
  }

  /** No answer within the per-request timeout, after every retry. */
  public static final class Timeout extends ChatException {
    Timeout(String message) {
      super(message);
    }
  }

  /** The endpoint could not be reached. */
  public static final class Unreachable extends ChatException {
    Unreachable(String message) {
      super(message);
    }
  }

  /** An HTTP status that is not an answer. */
  public static final class Status extends ChatException {
    private final int code;

    Status(int code, String message) {
      super(message);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /** A 200 whose body is not an OpenAI-style chat completion. */
  public static final class BadAnswer extends ChatException {
    BadAnswer(String message) {
      super(message);
    }
  }

  /** The run's request cap or deadline was reached; the rest was not sent. */
  public static final class Stopped extends ChatException {
    Stopped(String message) {
      super(message);
    }
  }
}
