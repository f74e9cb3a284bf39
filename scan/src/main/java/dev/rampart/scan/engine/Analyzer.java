package dev.rampart.scan.engine;

import dev.rampart.scan.io.Blob;
import java.io.IOException;

/**
 * Analyses one kind of artifact. Throwing is allowed for I/O and limits; the dispatcher turns it into an
 * incomplete result that keeps every finding reported before the failure.
 */
@FunctionalInterface
public interface Analyzer {
  void analyze(Target target, Blob blob) throws IOException;
}
