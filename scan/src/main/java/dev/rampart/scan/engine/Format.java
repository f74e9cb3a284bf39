package dev.rampart.scan.engine;

/** Artifact kinds Rampart recognises by content. */
public enum Format {
  PICKLE("pickle", true),
  ZIP("zip", true),
  TAR("tar", true),
  GZIP("gzip", true),
  BZIP2("bzip2", true),
  XZ("xz", true),
  LZMA("lzma", true),
  ZSTD("zstd", true),
  LZ4("lz4", true),
  ZLIB("zlib", true),
  SEVEN_Z("7z", true),
  NUMPY("numpy", true),
  HDF5("hdf5", true),
  GGUF("gguf", true),
  SAFETENSORS("safetensors", true),
  ONNX("onnx", true),
  ONNX_EXTERNAL_DATA("onnx-external-data", true),
  ORT("onnxruntime-ort", true),
  TFLITE("tflite", true),
  LIGHTGBM("lightgbm-text", true),
  UBJSON("ubjson", true),
  FLAX_MSGPACK("flax-msgpack", true),
  SENTENCEPIECE("sentencepiece", true),
  TF_CHECKPOINT_INDEX("tensorflow-checkpoint-index", true),
  TF_CHECKPOINT_DATA("tensorflow-checkpoint-data", true),
  OCDBT("orbax-ocdbt", true),
  TF_SAVED_MODEL("tensorflow-savedmodel", true),
  KERAS_METADATA("keras-metadata", true),
  JSON("json", true),
  /** A Jinja template file a renderer loads by name ({@code chat_template.jinja}), whatever its content. */
  JINJA("jinja-template", true),
  TEXT("text", false),
  UNSUPPORTED("unsupported-model", true),
  UNKNOWN("unknown", false),
  EMPTY("empty", false);

  private final String label;
  private final boolean analysed;

  Format(String label, boolean analysed) {
    this.label = label;
    this.analysed = analysed;
  }

  public String label() {
    return label;
  }

  /**
   * Kinds that the loaders which unpickle files by name recognise themselves before unpickling: torch.load opens
   * zips and legacy tars, numpy.load the NumPy magic and zips, joblib and pandas their compression wrappers.
   */
  boolean openedByPickleLoaders() {
    return switch (this) {
      case PICKLE, ZIP, TAR, GZIP, BZIP2, XZ, LZMA, ZSTD, LZ4, ZLIB, NUMPY, EMPTY -> true;
      default -> false;
    };
  }

  /** Whether a file of this kind counts as scanned (as opposed to skipped as not a model artifact). */
  boolean analysed() {
    return analysed;
  }
}
