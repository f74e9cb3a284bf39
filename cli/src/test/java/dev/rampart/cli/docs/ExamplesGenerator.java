package dev.rampart.cli.docs;

import dev.rampart.data.monitor.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the monitoring part of {@code examples/screening}: the validation set the model was checked on (with its
 * predictions and confidences) and a gzipped stream of inference events (the way rotated logs are kept) in which three features drift half-way. Run it with
 * {@code ./mvnw -pl cli -am test -Dtest=ExamplesGenerator -Drampart.examples=regenerate
 * -Dsurefire.failIfNoSpecifiedTests=false}; the build itself only reads the committed files.
 */
@EnabledIfSystemProperty(named = "rampart.examples", matches = "regenerate")
class ExamplesGenerator {
  private static final Path OUT = Path.of("../examples/screening/monitoring");
  /** Events kept around the stream's change point, so the example stays small. */
  private static final int FROM = Streams.CHANGE - 1500;
  private static final int TO = Streams.CHANGE + 1500;

  @Test
  void writeMonitoringExample() throws Exception {
    var streams = new Streams(Path.of("../examples/screening/data/train-v1.csv.gz"),
        Path.of("../examples/screening/model/model.onnx"));
    Files.createDirectories(OUT);
    Files.writeString(OUT.resolve("validation.csv"), streams.referenceCsv());
    var events = streams.stream(new Streams.Change() {
      @Override
      public void features(int i, double[] values, double[] std) {
        for (int f = 0; f < 3; f++) {
          values[f] += 1.5 * std[f]; // the scanner in the clinic was recalibrated: three measurements read high
        }
      }
    }, true, 7);
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(OUT.resolve("events.jsonl.gz")))) {
      out.write((String.join("\n", events.subList(FROM, TO)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
