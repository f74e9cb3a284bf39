package dev.rampart.scan.flax;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import java.io.IOException;

/**
 * Flax msgpack checkpoints ({@code flax.serialization.to_bytes}): a tree of maps whose leaves are ext-type-1
 * arrays ({@code (shape, dtype, buffer)}), ext-type-3 NumPy scalars and ext-type-2 complex numbers. Restoring runs
 * {@code np.frombuffer(buffer, dtype).reshape(shape)}, never code; an object dtype or a shape the buffer cannot fill
 * is a structural finding.
 */
public final class MsgpackAnalyzer implements Analyzer {
  private static final int MAX_BYTES = 1 << 30;

  /** Whether the bytes are one msgpack map holding at least one Flax array. */
  public static boolean isFlaxCheckpoint(byte[] bytes) {
    return Msgpack.isFlaxCheckpoint(bytes);
  }

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    if (blob.size() > MAX_BYTES) {
      throw new dev.rampart.scan.io.LimitExceededException("Flax msgpack size", MAX_BYTES);
    }
    var reader = new Msgpack(blob.readAll(MAX_BYTES));
    reader.walk((path, problem) -> target.report(ScanRules.MODEL_STRUCTURE, path + ": " + problem));
  }
}
