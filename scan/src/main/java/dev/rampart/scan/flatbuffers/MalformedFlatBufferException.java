package dev.rampart.scan.flatbuffers;

import java.io.IOException;

/** A FlatBuffers offset, length or table that breaks the format; the artifact is reported as unreadable. */
public final class MalformedFlatBufferException extends IOException {
  public MalformedFlatBufferException(String message) {
    super(message);
  }
}
