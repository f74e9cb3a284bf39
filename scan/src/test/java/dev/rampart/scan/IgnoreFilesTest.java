package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .gitignore} and {@code .rampartignore} put build output aside from the text checks, never from the model checks. */
class IgnoreFilesTest {

  private static String token() throws IOException {
    return Files.readAllLines(Fixtures.path("secrets/planted.secrets")).stream()
        .filter(s -> s.startsWith("ghp_")).findFirst().orElseThrow();
  }

  private static Report scan(Path dir, boolean honour) throws IOException {
    return Scanner.builder().threads(1).honourIgnoreFiles(honour).build().scan(List.of(dir));
  }

  private static List<String> secretFiles(Report r) {
    return r.findings().stream().filter(f -> f.rule().id().startsWith("SEC-"))
        .map(f -> f.location().file()).map(p -> Path.of(p).getFileName().toString()).sorted().toList();
  }

  @Test
  void secretCopiedIntoBuildOutputIsReportedOnce(@TempDir Path dir) throws IOException {
    String token = token();
    Files.writeString(dir.resolve(".gitignore"), "# build output\ntarget/\n*.log\n!keep.log\n");
    Files.writeString(dir.resolve("settings.sh"), "export GH=" + token + "\n");
    Files.createDirectories(dir.resolve("target/classes"));
    Files.writeString(dir.resolve("target/classes/settings.sh"), "export GH=" + token + "\n");
    Files.writeString(dir.resolve("train.log"), "token " + token + "\n");
    Files.writeString(dir.resolve("keep.log"), "token " + token + "\n");

    assertThat(secretFiles(scan(dir, true))).containsExactly("keep.log", "settings.sh");
    assertThat(secretFiles(scan(dir, false))).containsExactly("keep.log", "settings.sh", "settings.sh", "train.log");
  }

  @Test
  void maliciousPickleUnderAnIgnoredNameIsStillFound(@TempDir Path dir) throws IOException {
    // a force-added file under an ignored name reaches CI checkouts; ignore files must not hide it
    Files.writeString(dir.resolve(".gitignore"), "*.pkl\nbuild/\n");
    Files.createDirectories(dir.resolve("build"));
    byte[] shell = Files.readAllBytes(Path.of("../examples/models/malicious/reverse_shell.pkl"));
    Files.write(dir.resolve("model.pkl"), shell);
    Files.write(dir.resolve("build/copy.pkl"), shell);
    Files.writeString(dir.resolve(".rampartignore"), "vendor/\n");
    Files.createDirectories(dir.resolve("vendor"));
    Files.write(dir.resolve("vendor/model.bin"), shell);

    var critical = scan(dir, true).findings().stream().filter(f -> f.severity() == dev.rampart.core.Severity.CRITICAL)
        .map(Finding::location).map(l -> dir.relativize(Path.of(l.file())).toString()).distinct().sorted().toList();
    assertThat(critical).containsExactly("build/copy.pkl", "model.pkl", "vendor/model.bin");
  }

  @Test
  void nestedIgnoreFileOverridesTheOuterOne(@TempDir Path dir) throws IOException {
    String token = token();
    Files.writeString(dir.resolve(".gitignore"), "*.env\n");
    Files.createDirectories(dir.resolve("deploy"));
    Files.writeString(dir.resolve("deploy/.gitignore"), "!prod.env\n");
    Files.writeString(dir.resolve("local.env"), "GH=" + token + "\n");
    Files.writeString(dir.resolve("deploy/prod.env"), "GH=" + token + "\n");
    assertThat(secretFiles(scan(dir, true))).containsExactly("prod.env");
  }

  @Test
  void gitFolderIsNeverReadForSecrets(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve(".git/config"), "[remote]\n  url = https://x:" + token() + "@github.com/o/r\n");
    assertThat(secretFiles(scan(dir, true))).isEmpty();
  }

  @Test
  void globsFollowGitSyntax() {
    var rules = IgnoreRules.of("/root-only.txt", "docs/**/*.md", "a?c", "[!x]yz", "\\#hash", "deep/", "**/cache");
    assertThat(rules.decide("root-only.txt", false)).isTrue();
    assertThat(rules.decide("sub/root-only.txt", false)).isNull();
    assertThat(rules.decide("docs/a/b/c.md", false)).isTrue();
    assertThat(rules.decide("docs/c.md", false)).isTrue();
    assertThat(rules.decide("other/docs/c.md", false)).isNull();
    assertThat(rules.decide("x/abc", false)).isTrue();
    assertThat(rules.decide("xyz", false)).isNull();
    assertThat(rules.decide("ayz", false)).isTrue();
    assertThat(rules.decide("#hash", false)).isTrue();
    assertThat(rules.decide("deep", false)).isNull();
    assertThat(rules.decide("deep", true)).isTrue();
    assertThat(rules.decide("a/b/cache", true)).isTrue();
  }
}
