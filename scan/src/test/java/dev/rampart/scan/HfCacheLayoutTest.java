package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import dev.rampart.core.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hugging Face hub cache as {@code huggingface_hub} lays it out ({@code models--org--name/blobs/<sha>},
 * {@code refs/main}, {@code snapshots/<rev>/<file>} linking to {@code ../../blobs/<sha>}), with a malicious pickle
 * planted: found once, under the name the loader opens, and links leaving the cache refused without being read.
 */
class HfCacheLayoutTest {
  static final String REV = "0123456789abcdef0123456789abcdef01234567";
  @TempDir Path tmp;
  Path hub;
  Path repo;
  byte[] shell;

  @BeforeEach
  void cache() throws IOException {
    shell = Files.readAllBytes(Path.of("../examples/models/malicious/reverse_shell.pkl"));
    hub = Files.createDirectories(tmp.resolve("hub"));
    repo = Files.createDirectories(hub.resolve("models--acme--tiny-bert"));
    Files.createDirectories(repo.resolve("blobs"));
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs/main"), REV);
    blob("a1b2c3", "{\"model_type\": \"bert\", \"hidden_size\": 8}".getBytes());
    blob("d4e5f6", shell);
    Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(REV));
    Files.createSymbolicLink(snapshot.resolve("config.json"), Path.of("../../blobs/a1b2c3"));
    Files.createSymbolicLink(snapshot.resolve("pytorch_model.bin"), Path.of("../../blobs/d4e5f6"));
  }

  void blob(String name, byte[] bytes) throws IOException {
    Files.write(repo.resolve("blobs").resolve(name), bytes);
  }

  static Report scan(Path root) throws IOException {
    return Scanner.builder().threads(2).build().scan(List.of(root));
  }

  List<String> critical(Report r) {
    return r.findings().stream().filter(f -> f.severity() == Severity.CRITICAL).map(Finding::location)
        .map(l -> hub.relativize(Path.of(l.file())).toString()).distinct().sorted().toList();
  }

  static List<Finding> incomplete(Report r) {
    return r.findings().stream().filter(f -> f.rule().equals(ScanRules.SCAN_INCOMPLETE)).toList();
  }

  @Test
  void thePlantedPickleIsFoundOnceUnderTheSnapshotNameTheLoaderOpens() throws IOException {
    for (Path root : List.of(hub, repo, repo.resolve("snapshots").resolve(REV))) {
      Report r = scan(root);
      assertThat(critical(r)).as("scanning " + root).containsExactly("models--acme--tiny-bert/snapshots/" + REV
          + "/pytorch_model.bin");
      assertThat(incomplete(r)).as("scanning " + root).isEmpty();
    }
  }

  @Test
  void aBlobSharedByTwoRevisionsIsScannedOnce() throws IOException {
    Path older = Files.createDirectories(repo.resolve("snapshots/fedcba9876543210fedcba9876543210fedcba98"));
    Files.createSymbolicLink(older.resolve("pytorch_model.bin"), Path.of("../../blobs/d4e5f6"));
    assertThat(scan(hub).findings().stream().filter(f -> f.severity() == Severity.CRITICAL).map(f -> f.rule().id()).toList())
        .hasSameSizeAs(scan(repo.resolve("snapshots").resolve(REV)).findings().stream()
            .filter(f -> f.severity() == Severity.CRITICAL).toList());
    assertThat(critical(scan(hub))).hasSize(1);
  }

  @Test
  void aBlobNoSnapshotNamesIsStillScannedAsItself() throws IOException {
    blob("orphan", shell);
    assertThat(critical(scan(repo))).containsExactly("models--acme--tiny-bert/blobs/orphan",
        "models--acme--tiny-bert/snapshots/" + REV + "/pytorch_model.bin");
  }

  @Test
  void linksLeavingTheCacheAreRefusedAndNeverRead() throws IOException {
    Path outside = Files.write(tmp.resolve("outside.bin"), shell);
    Path snapshot = repo.resolve("snapshots").resolve(REV);
    Files.createSymbolicLink(snapshot.resolve("absolute.bin"), outside);
    Files.createSymbolicLink(snapshot.resolve("relative.bin"), Path.of("../../../../outside.bin"));
    Files.createSymbolicLink(snapshot.resolve("refs.bin"), Path.of("../../refs/main"));
    Files.createSymbolicLink(snapshot.resolve("dangling.bin"), Path.of("../../blobs/missing"));
    Files.createSymbolicLink(repo.resolve("blobs/chained"), outside);
    Report r = scan(hub);
    assertThat(critical(r)).containsExactly("models--acme--tiny-bert/snapshots/" + REV + "/pytorch_model.bin");
    assertThat(incomplete(r)).extracting(f -> Path.of(f.location().file()).getFileName().toString())
        .containsExactlyInAnyOrder("absolute.bin", "relative.bin", "refs.bin", "dangling.bin", "chained");
    assertThat(incomplete(r)).filteredOn(f -> f.location().file().endsWith("absolute.bin")).singleElement()
        .satisfies(f -> assertThat(f.evidence()).contains("leaves the cache"));
  }

  @Test
  void aFolderThatOnlyLooksLikeACacheIsScannedAsUsual() throws IOException {
    Path plain = Files.createDirectories(tmp.resolve("models--not-a-cache"));
    Files.write(plain.resolve("model.pkl"), shell);
    assertThat(scan(plain).findings()).anyMatch(f -> f.severity() == Severity.CRITICAL);
  }
}
