package dev.rampart.core.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.core.SampleReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreFileTest {
  @TempDir Path dir;

  private IgnoreFile read(String yaml) throws Exception {
    Path f = dir.resolve(".rampartignore.yaml");
    Files.writeString(f, yaml);
    return IgnoreFile.read(f);
  }

  @Test
  void entriesNeedAStatementAndAnExpiry() {
    assertThatThrownBy(() -> read("- id: PKL-DENYLISTED-CALL\n  expires: 2030-01-01\n"))
        .isInstanceOf(IgnoreFile.InvalidIgnoreFileException.class).hasMessageContaining("statement");
    assertThatThrownBy(() -> read("- id: PKL-DENYLISTED-CALL\n  statement: reviewed\n"))
        .hasMessageContaining("expires");
    assertThatThrownBy(() -> read("- id: X-Y\n  statement: s\n  expires: soon\n")).hasMessageContaining("date");
    assertThatThrownBy(() -> read("id: X-Y\n")).hasMessageContaining("list");
  }

  @Test
  void matchingFindingsMoveToSuppressedUntilTheyExpire() throws Exception {
    var ignore = read("""
        - id: PKL-DENYLISTED-CALL
          paths: ["models/*.pt"]
          statement: "test fixture, reviewed in SEC-9"
          expires: 2026-12-31
        """);
    var applied = ignore.apply(SampleReports.full(), LocalDate.parse("2026-11-21"));
    assertThat(applied.findings()).noneMatch(f -> f.rule().id().equals("PKL-DENYLISTED-CALL"));
    assertThat(applied.suppressed()).anyMatch(s -> s.justification().contains("SEC-9"));
    var later = ignore.apply(SampleReports.full(), LocalDate.parse("2027-01-01"));
    assertThat(later.findings()).anyMatch(f -> f.rule().id().equals("PKL-DENYLISTED-CALL"));
    assertThat(ignore.expired(LocalDate.parse("2027-01-01"))).hasSize(1);
  }

  @Test
  void aShaPinOnlyMatchesThatContent() throws Exception {
    var pinned = read("- id: PKL-DENYLISTED-CALL\n  sha256: " + "ab".repeat(32) + "\n  statement: s\n  expires: 2099-01-01\n");
    assertThat(pinned.apply(SampleReports.full(), LocalDate.parse("2026-11-21")).findings())
        .noneMatch(f -> f.rule().id().equals("PKL-DENYLISTED-CALL"));
    var other = read("- id: PKL-DENYLISTED-CALL\n  sha256: " + "cd".repeat(32) + "\n  statement: s\n  expires: 2099-01-01\n");
    assertThat(other.apply(SampleReports.full(), LocalDate.parse("2026-11-21")).findings())
        .anyMatch(f -> f.rule().id().equals("PKL-DENYLISTED-CALL"));
  }

  @Test
  void pathGlobsRestrictTheEntry() throws Exception {
    var elsewhere = read("- id: PKL-DENYLISTED-CALL\n  paths: [\"other/**\"]\n  statement: s\n  expires: 2099-01-01\n");
    assertThat(elsewhere.apply(SampleReports.full(), LocalDate.parse("2026-11-21")).findings())
        .anyMatch(f -> f.rule().id().equals("PKL-DENYLISTED-CALL"));
  }
}
