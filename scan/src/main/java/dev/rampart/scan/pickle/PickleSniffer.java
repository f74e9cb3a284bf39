package dev.rampart.scan.pickle;

import dev.rampart.scan.io.Blob;
import java.io.IOException;

/** Tells pickles from other bytes by content, the way a loader would accept them, without trusting names. */
public final class PickleSniffer {
  private static final PickleMachine.Limits PROBE = new PickleMachine.Limits(200_000, 10_000, 100_000);
  private static final long PROBE_BYTES = 4L * 1024 * 1024;

  private PickleSniffer() {}

  /**
   * True when the bytes start a pickle: a PROTO header with a valid protocol followed by a valid opcode, or a
   * protocol 0/1 stream that decodes to STOP or that imports and calls a global before it breaks.
   */
  public static boolean isPickle(Blob blob) {
    try {
      if (blob.size() < 2) {
        return false;
      }
      byte[] head = blob.readBytes(0, 3);
      int b0 = head[0] & 0xff;
      if (b0 == 0x80) {
        return (head[1] & 0xff) <= 5 && head.length > 2 && Opcode.of(head[2]) != null;
      }
      if (Opcode.of(b0) == null || Opcode.of(b0).protocol > 1 && b0 != ']' && b0 != '}' && b0 != ')') {
        return false;
      }
      return probe(blob);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean probe(Blob blob) throws IOException {
    var limited = blob.size() > PROBE_BYTES ? blob.slice(0, PROBE_BYTES) : blob;
    var trace = PickleMachine.run(limited, 0, PROBE);
    boolean importedAndCalled = !trace.globals.isEmpty() && trace.calls > 0;
    if (trace.clean()) {
      return importedAndCalled || trace.endOffset == blob.size() && trace.opcodes >= 2 || !trace.globals.isEmpty();
    }
    // a loader stops at the first global it cannot import; text such as 'inference_address=http://...' starts
    // like a protocol-0 INST but names no module an import statement could name. (Importing a module whose file
    // name is not an identifier needs files planted on sys.path, which already means code execution.)
    return importedAndCalled && importable(trace.globals.get(0));
  }

  private static boolean importable(Value.Global global) {
    return dotted(global.module()) && dotted(global.name());
  }

  private static boolean dotted(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0)) || part.charAt(0) == '$') {
        return false;
      }
      for (int i = 1; i < part.length(); i++) {
        char c = part.charAt(i);
        if (!Character.isJavaIdentifierPart(c) || c == '$' || Character.isIdentifierIgnorable(c)) {
          return false;
        }
      }
    }
    return true;
  }
}
