package dev.rampart.scan.pickle;

import dev.rampart.scan.io.Blob;
import java.io.IOException;

/**
 * Tells pickles from other bytes by running them through the pickle machine as a loader would, from the first byte,
 * whatever that byte is. Bytes count as a pickle when the loader would import something from them, when they form a
 * complete stream, or when the machine hits a limit before it can tell: what cannot be ruled out is analysed (and
 * then reported incomplete), never skipped.
 */
public final class PickleSniffer {
  /** The analyser's own defaults, so that nothing it would read is cut short here. */
  private static final PickleMachine.Limits LIMITS = new PickleMachine.Limits(1_000_000, 10_000, 100_000);

  private PickleSniffer() {}

  public static boolean isPickle(Blob blob) {
    return sniff(blob, true);
  }

  /**
   * Whether the bytes start a pickle stream that may have more data after its STOP (stacked streams, as legacy
   * {@code torch.save} writes them).
   */
  public static boolean startsStream(Blob blob) {
    return sniff(blob, false);
  }

  private static boolean sniff(Blob blob, boolean whole) {
    try {
      if (blob.size() < 2 || Opcode.of(blob.readBytes(0, 1)[0] & 0xff) == null) {
        return false;
      }
      return decide(PickleMachine.probe(blob, LIMITS), whole ? blob.size() : -1);
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code size} is the blob's size when the stream must fill it, or -1 when data may follow its STOP. */
  private static boolean decide(Trace trace, long size) {
    if (trace.end == Trace.End.LIMIT) {
      return true;
    }
    if (trace.probeStopped) {
      return importable(trace.globals.get(0));
    }
    if (trace.clean()) {
      return !trace.globals.isEmpty() || (size < 0 || trace.endOffset == size) && trace.opcodes >= 2;
    }
    // a loader stops at the first global it cannot import; text such as 'inference_address=http://...' starts
    // like a protocol-0 INST but names no module an import statement could name. (Importing a module whose file
    // name is not an identifier needs files planted on sys.path, which already means code execution.)
    return trace.calls > 0 && !trace.globals.isEmpty() && importable(trace.globals.get(0));
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
