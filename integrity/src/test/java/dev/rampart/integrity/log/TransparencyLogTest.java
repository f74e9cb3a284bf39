package dev.rampart.integrity.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransparencyLogTest {
  @TempDir Path dir;

  private TransparencyLog open() throws Exception {
    return TransparencyLog.open(dir, "rampart.test/log");
  }

  @Test
  void fileLogMatchesTheReferenceVectors() throws Exception {
    try (var log = open()) {
      for (int i = 0; i < MerkleTest.LEAVES.size(); i++) {
        assertThat(log.append(MerkleTest.LEAVES.get(i))).isEqualTo(i);
        assertThat(HexFormat.of().formatHex(log.root())).isEqualTo(MerkleTest.ROOTS.get(i + 1));
      }
      assertThat(log.inclusionProof(5, 8).stream().map(HexFormat.of()::formatHex).toList())
          .containsExactly("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    }
    try (var reopened = open()) {
      assertThat(reopened.size()).isEqualTo(8);
      assertThat(reopened.repairs()).isEmpty();
      assertThat(HexFormat.of().formatHex(reopened.root())).isEqualTo(MerkleTest.ROOTS.get(8));
      assertThat(reopened.entry(3)).isEqualTo(MerkleTest.LEAVES.get(3));
    }
  }

  @Test
  void checkpointsAreSignedNotesThatVerify() throws Exception {
    try (var log = open()) {
      log.append("a".getBytes(StandardCharsets.UTF_8));
      String note = log.publishCheckpoint();
      assertThat(note).startsWith("rampart.test/log\n1\n").contains("\n\n\u2014 rampart.test/log ");
      var cp = Checkpoint.verify(note, "rampart.test/log", log.publicKey());
      assertThat(cp.size()).isEqualTo(1);
      String forged = note.replace("\n1\n", "\n2\n");
      assertThatThrownBy(() -> Checkpoint.verify(forged, "rampart.test/log", log.publicKey()))
          .isInstanceOf(LogException.BadCheckpoint.class);
      var other = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      assertThatThrownBy(() -> Checkpoint.verify(note, "rampart.test/log", other.getPublic()))
          .isInstanceOf(LogException.BadCheckpoint.class);
    }
  }

  @Test
  void rewrittenHistoryIsDetected() throws Exception {
    try (var log = open()) {
      for (int i = 0; i < 20; i++) {
        log.append(("event " + i).getBytes(StandardCharsets.UTF_8));
      }
      log.publishCheckpoint();
      log.verify();
    }
    // rewrite entry 7 and its hashes, as an attacker without the checkpoint key would
    var entries = new ArrayList<byte[]>();
    try (var log = open()) {
      for (int i = 0; i < 20; i++) {
        entries.add(log.entry(i));
      }
    }
    entries.set(7, "event X".getBytes(StandardCharsets.UTF_8));
    Path forged = dir.resolveSibling(dir.getFileName() + "-forged");
    try (var f = TransparencyLog.open(forged, "rampart.test/log")) {
      for (byte[] e : entries) {
        f.append(e);
      }
    }
    for (String name : List.of("entries", "level-0", "level-1", "level-2", "level-3", "level-4")) {
      if (Files.exists(forged.resolve(name))) {
        Files.copy(forged.resolve(name), dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (var log = open()) {
      assertThatThrownBy(log::verify).isInstanceOf(LogException.Tampered.class).hasMessageContaining("rewritten");
    }
  }

  @Test
  void aFlippedByteInAnEntryIsTampering() throws Exception {
    try (var log = open()) {
      for (int i = 0; i < 5; i++) {
        log.append(("event " + i).getBytes(StandardCharsets.UTF_8));
      }
      log.publishCheckpoint();
    }
    try (var raf = new RandomAccessFile(dir.resolve("entries").toFile(), "rw")) {
      raf.seek(10);
      raf.write('Z');
    }
    assertThatThrownBy(this::open).isInstanceOf(LogException.Tampered.class).hasMessageContaining("entry 0");
  }

  @Test
  void removedEntriesAreDetected() throws Exception {
    long cut;
    try (var log = open()) {
      for (int i = 0; i < 5; i++) {
        log.append(("event " + i).getBytes(StandardCharsets.UTF_8));
      }
      log.publishCheckpoint();
      cut = Files.size(dir.resolve("entries")) - ("event 4".length() + 8);
    }
    try (var ch = java.nio.channels.FileChannel.open(dir.resolve("entries"), StandardOpenOption.WRITE)) {
      ch.truncate(cut);
    }
    assertThatThrownBy(() -> TransparencyLog.verifyReadOnly(dir, "rampart.test/log"))
        .isInstanceOf(LogException.Tampered.class).hasMessageContaining("holds 4 entries but 5 were acknowledged");
    assertThatThrownBy(this::open).isInstanceOf(LogException.Tampered.class).hasMessageContaining("entries were removed");
    assertThatThrownBy(() -> TransparencyLog.repair(dir, "rampart.test/log")).isInstanceOf(LogException.Tampered.class);
  }

  @Test
  void aModifiedLastEntryIsNamedByIndexAndNeverCut() throws Exception {
    try (var log = open()) {
      for (int i = 0; i < 5; i++) {
        log.append(("event " + i).getBytes(StandardCharsets.UTF_8));
      }
    }
    try (var raf = new RandomAccessFile(dir.resolve("entries").toFile(), "rw")) {
      raf.seek(raf.length() - 1);
      raf.write('X');
    }
    byte[] before = Files.readAllBytes(dir.resolve("entries"));
    assertThatThrownBy(() -> TransparencyLog.verifyReadOnly(dir, "rampart.test/log"))
        .isInstanceOf(LogException.Tampered.class).hasMessage("entry 4 was modified: it fails its checksum")
        .satisfies(e -> assertThat(((LogException.Tampered) e).index()).isEqualTo(4));
    assertThatThrownBy(this::open).isInstanceOf(LogException.Tampered.class).hasMessageContaining("entry 4 was modified");
    assertThatThrownBy(() -> TransparencyLog.repair(dir, "rampart.test/log"))
        .isInstanceOf(LogException.Tampered.class).hasMessageContaining("entry 4 was modified");
    assertThat(Files.readAllBytes(dir.resolve("entries"))).isEqualTo(before);
  }

  @Test
  void aTornWriteAtTheTailIsRemovedOnlyByAnExplicitRepair() throws Exception {
    try (var log = open()) {
      log.append("one".getBytes(StandardCharsets.UTF_8));
      log.append("two".getBytes(StandardCharsets.UTF_8));
    }
    Files.write(dir.resolve("entries"), new byte[] {0, 0, 0, 50, 1, 2, 3}, StandardOpenOption.APPEND);
    Files.write(dir.resolve("level-0"), new byte[] {9, 9, 9}, StandardOpenOption.APPEND);
    byte[] before = Files.readAllBytes(dir.resolve("entries"));
    var verified = TransparencyLog.verifyReadOnly(dir, "rampart.test/log");
    assertThat(verified.entries()).isEqualTo(2);
    assertThat(verified.tornTail()).hasValueSatisfying(t -> assertThat(t).contains("entry 2").contains("torn write"));
    assertThatThrownBy(this::open).isInstanceOf(LogException.TornTail.class).hasMessageContaining("rampart log repair");
    assertThat(Files.readAllBytes(dir.resolve("entries"))).isEqualTo(before);
    try (var log = TransparencyLog.repair(dir, "rampart.test/log")) {
      assertThat(log.size()).isEqualTo(2);
      assertThat(log.repairs()).anySatisfy(r -> assertThat(r).contains("torn write"));
      assertThat(log.append("three".getBytes(StandardCharsets.UTF_8))).isEqualTo(2);
      log.verify();
    }
  }

  @Test
  void lostHashFilesAreRebuiltFromTheEntries() throws Exception {
    byte[] root;
    try (var log = open()) {
      for (int i = 0; i < 13; i++) {
        log.append(new byte[] {(byte) i});
      }
      root = log.root();
    }
    Files.delete(dir.resolve("level-0"));
    Files.delete(dir.resolve("level-2"));
    try (var log = open()) {
      assertThat(log.root()).isEqualTo(root);
    }
  }
}
