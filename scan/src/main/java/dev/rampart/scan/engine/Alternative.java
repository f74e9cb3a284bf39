package dev.rampart.scan.engine;

/**
 * Another way a loader can read the same bytes: a format found where that loader looks for it (an HDF5 superblock
 * after a user block, a zip found from the end), at {@code offset}. The analyser gets the whole file when its reader
 * finds that offset itself, as the real library does ({@code wholeFile}), else the bytes from the offset on.
 * {@code partOfFormat} marks a second interpretation that the primary format defines itself (a TFLite model's
 * associated files are a zip appended to the flatbuffer): it is analysed, but it is no sign of a polyglot.
 */
public record Alternative(Format format, long offset, boolean wholeFile, boolean partOfFormat, String why) {
  /** The member name under which this interpretation is reported. */
  public String member() {
    return "[as " + format.label() + (offset > 0 ? " from offset " + offset : "") + "]";
  }
}
