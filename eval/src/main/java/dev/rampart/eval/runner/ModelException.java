package dev.rampart.eval.runner;

/** Why a model could not be run; each kind says what to do next. */
public abstract sealed class ModelException extends Exception {
  private ModelException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Not an ONNX model, too large, or one whose inputs or outputs a classifier cannot have. */
  public static final class Unsupported extends ModelException {
    public Unsupported(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The data does not fit the model's input. */
  public static final class ShapeMismatch extends ModelException {
    public ShapeMismatch(String message) {
      super(message, null);
    }
  }

  /** The model ran but returned something that is not a probability: NaN, infinity, the wrong shape. */
  public static final class BadOutput extends ModelException {
    public BadOutput(String message) {
      super(message, null);
    }
  }
}
