package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.ExitCode;
import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import dev.rampart.core.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The benign corpus (fixtures/benign-corpus, made by its generate.sh): real artifacts written by current and
 * previous majors of torch, NumPy, SciPy, scikit-learn, pandas, LightGBM, transformers, peft, sentence-transformers,
 * Keras, dill and cloudpickle. Every one must scan clean: nothing above LOW, nothing left unread.
 */
class BenignCorpusTest {
  private static final Path CORPUS = Fixtures.path("benign-corpus/artifacts");

  @Test
  void everyArtifactOfBothHalvesScansClean() throws IOException {
    for (String half : List.of("tuning-current", "heldout-previous")) {
      var report = scan(CORPUS.resolve(half));
      List<String> flagged = report.findings().stream()
          .filter(f -> f.incompleteness() || f.severity().atLeast(Severity.MEDIUM))
          .map(BenignCorpusTest::describe)
          .toList();
      assertThat(flagged).as("findings above LOW in the %s half", half).isEmpty();
      assertThat(report.artifacts()).noneMatch(a -> a.status() == ArtifactRecord.Status.INCOMPLETE);
      assertThat(ExitCode.of(report, Optional.of(Severity.MEDIUM))).isEqualTo(ExitCode.OK);
      assertThat(report.scannedCount()).as("files scanned in the %s half", half).isGreaterThanOrEqualTo(files(half));
    }
  }

  @Test
  void corpusIsLargeAndSpansTheLibraries() throws IOException {
    assertThat(files("tuning-current") + files("heldout-previous")).isGreaterThanOrEqualTo(400);
    for (String library : List.of("sklearn", "pandas", "torch", "numpy", "scipy", "lightgbm", "dill", "cloudpickle")) {
      assertThat(CORPUS.resolve("tuning-current").resolve(library)).isDirectory();
      assertThat(CORPUS.resolve("heldout-previous").resolve(library)).isDirectory();
    }
    for (String library : List.of("transformers", "peft", "sentence_transformers", "keras")) {
      assertThat(CORPUS.resolve("tuning-current").resolve(library)).isDirectory();
    }
  }

  @Test
  void picklesInTheCorpusAreReadNotSkipped() {
    // a scanner that skipped pickles would pass the clean check trivially; the PKL-FORMAT notes prove they were read
    var report = scan(CORPUS.resolve("heldout-previous/sklearn"));
    assertThat(report.findings().stream().filter(f -> f.rule().id().equals("PKL-FORMAT")).count())
        .isGreaterThan(100);
  }

  private static Report scan(Path dir) {
    try {
      return Scanner.builder().threads(2).build().scan(List.of(dir));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long files(String half) throws IOException {
    try (Stream<Path> s = Files.walk(CORPUS.resolve(half))) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  private static String describe(Finding f) {
    return f.rule().id() + " " + f.severity() + " " + f.location() + ": " + f.evidence();
  }
}
