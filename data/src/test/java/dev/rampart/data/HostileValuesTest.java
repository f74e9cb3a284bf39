package dev.rampart.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.data.diff.DatasetDiff;
import dev.rampart.data.io.DatasetReader;
import dev.rampart.data.io.ReadLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Infinities, NaN, extreme magnitudes, missing labels and constant columns: the check still reaches a verdict. */
class HostileValuesTest {
  @Test
  void nonFiniteAndExtremeValuesNeitherCrashNorPoisonTheModel(@TempDir Path dir) throws Exception {
    var random = new Random(3);
    var sb = new StringBuilder("a,b,constant,label\n");
    for (int i = 0; i < 400; i++) {
      boolean pos = i % 2 == 0;
      String a = switch (i % 97) {
        case 0 -> "inf";
        case 1 -> "-inf";
        case 2 -> "nan";
        case 3 -> "1e300";
        case 4 -> "";
        default -> String.format(java.util.Locale.ROOT, "%.3f", (pos ? 2 : -2) + random.nextGaussian());
      };
      String label = i % 50 == 7 ? "" : pos ? "p" : "n";
      sb.append(a).append(',').append(String.format(java.util.Locale.ROOT, "%.3f", random.nextGaussian()))
          .append(",1,").append(label).append('\n');
    }
    Path csv = Files.writeString(dir.resolve("hostile.csv"), sb.toString());
    var data = new DatasetReader(ReadLimits.defaults()).read(csv);
    var result = DatasetCheck.run(data, DatasetCheck.Options.forLabel("label"));
    assertThat(result.suspects()).allSatisfy(s -> assertThat(Double.isFinite(s.score())).isTrue());
    assertThat(result.notes()).anyMatch(n -> n.contains("8 rows have no label"));
    assertThat(result.verdict()).isNotNull();
    assertThat(result.profile().columns()).hasSize(4);

    var diff = DatasetDiff.compare(data, data, new DatasetDiff.Options(Optional.of("label"), Optional.empty(), List.of()));
    assertThat(diff.shifts()).noneMatch(s -> s.drifted());
    assertThat(diff.relabelled()).isEmpty();
  }
}
