package dev.rampart.scan.gbdt;

import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import java.io.BufferedInputStream;
import java.io.IOException;

/** UBJSON documents, XGBoost's {@code .ubj} models among them: parsed in full, then checked as the JSON model is. */
public final class UbjsonAnalyzer implements Analyzer {
  /** Held as a JSON tree: bounded so the heap stays small; a larger model is reported as over the limit. */
  private static final long MAX_ELEMENTS = 4_000_000;

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    try (var in = new BufferedInputStream(blob.openStream(), 1 << 16)) {
      var root = Ubjson.parse(in, MAX_ELEMENTS);
      if (XgboostModel.is(root)) {
        XgboostModel.check(target, root);
      }
    }
  }
}
