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
  private static final long SNIFF = 64 * 1024;

  /** Whether the head of the blob reads as a msgpack map reaching a Flax array: how Flax files are told apart. */
  public static boolean isFlaxCheckpoint(Blob blob) {
    return Msgpack.looksLikeFlax(blob.slice(0, Math.min(blob.size(), SNIFF)));
  }

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    Msgpack.walk(blob, (path, problem) -> target.report(ScanRules.MODEL_STRUCTURE, path + ": " + problem));
  }
}
