package dev.rampart.scan.protobuf;

import java.io.IOException;

/** The bytes are not valid protobuf wire format. */
public final class MalformedProtoException extends IOException {
  public MalformedProtoException(String message) {
    super(message);
  }
}
