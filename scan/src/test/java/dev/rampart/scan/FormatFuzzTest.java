package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ExitCode;
import dev.rampart.core.Severity;
import dev.rampart.scan.io.ArrayBlob;
import dev.rampart.scan.protobuf.MalformedProtoException;
import dev.rampart.scan.protobuf.ProtoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The GGUF, safetensors, protobuf, flatbuffer, UBJSON and msgpack readers on damaged real files: they never throw
 * out of the scanner, and a truncated GGUF or safetensors file is never clean. Seeded short runs by default; the
 * {@code long} profile runs many more tries.
 */
class FormatFuzzTest {
  private static final String[] FILES = {
      "benign/gguf_chatml.gguf", "benign/model.safetensors", "benign/onnx_mlp.onnx", "benign/tf_savedmodel/saved_model.pb",
      "benign/sentencepiece_unigram.model", "benign/tflite_dense.tflite", "benign/ort_mlp.ort",
      "benign/xgboost_binary.ubj", "benign/flax_params.msgpack", "benign/tf_checkpoint/ckpt.index",
      "benign/lightgbm_binary.txt"};
  private static final byte[][] BYTES = Arrays.stream(FILES).map(FormatFuzzTest::read).toArray(byte[][]::new);

  private static byte[] read(String rel) {
    try {
      return Files.readAllBytes(Fixtures.path(rel));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] flipped(int file, int position, byte value) {
    byte[] data = BYTES[file % BYTES.length].clone();
    data[position % data.length] = value;
    return data;
  }

  @Property(tries = 300, seed = "20261207")
  void flippedBytesNeverCrashTheScanner(@ForAll @IntRange(min = 0, max = 1000) int file,
      @ForAll @IntRange(min = 0, max = 1_000_000) int position, @ForAll byte value) {
    var report = Fixtures.scanBytes(flipped(file, position, value));
    assertThat(report.artifacts()).isNotEmpty();
  }

  @Property(tries = 150, seed = "20261207")
  void truncatedGgufAndSafetensorsAreNeverClean(@ForAll @IntRange(min = 0, max = 1) int file,
      @ForAll @IntRange(min = 1, max = 1_000_000) int cut) {
    byte[] whole = BYTES[file];
    byte[] data = Arrays.copyOf(whole, 1 + cut % (whole.length - 1));
    var report = Fixtures.scanBytes(data);
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).as("%s cut to %d bytes", FILES[file], data.length)
        .isNotEqualTo(ExitCode.OK);
  }

  @Property(tries = 500, seed = "20261207")
  void theProtobufReaderFailsOnlyAsMalformed(@ForAll @IntRange(min = 2, max = 4) int file,
      @ForAll @IntRange(min = 0, max = 1_000_000) int position, @ForAll byte value) throws IOException {
    walkProtobuf(flipped(file, position, value));
  }

  @Property(tries = 300, seed = "20261207")
  void theProtobufReaderFailsOnlyAsMalformedOnRandomBytes(@ForAll byte[] data) throws IOException {
    walkProtobuf(data);
  }

  /** Every length-delimited field read as a nested message, as the analysers do; only malformed input may throw. */
  private static void walkProtobuf(byte[] data) throws IOException {
    try {
      walk(ProtoReader.of(new ArrayBlob(data)), 0);
    } catch (MalformedProtoException expected) {
      // the one way a reader may fail
    }
  }

  private static void walk(ProtoReader r, int depth) throws IOException {
    while (r.next()) {
      if (r.wireType() == ProtoReader.LEN && depth < 8) {
        try {
          walk(r.message(), depth + 1);
        } catch (MalformedProtoException notAMessage) {
          // a string or bytes field: fine
        }
      } else if (r.wireType() == ProtoReader.VARINT) {
        r.varints();
      }
    }
  }

  @Property(tries = 20_000)
  @EnabledIfSystemProperty(named = "rampart.long", matches = "true")
  void longFlippedBytesNeverCrashTheScanner(@ForAll @IntRange(min = 0, max = 1000) int file,
      @ForAll @IntRange(min = 0, max = 1_000_000) int position, @ForAll byte value) {
    flippedBytesNeverCrashTheScanner(file, position, value);
  }

  @Property(tries = 20_000)
  @EnabledIfSystemProperty(named = "rampart.long", matches = "true")
  void longTruncatedGgufAndSafetensorsAreNeverClean(@ForAll @IntRange(min = 0, max = 1) int file,
      @ForAll @IntRange(min = 1, max = 1_000_000) int cut) {
    truncatedGgufAndSafetensorsAreNeverClean(file, cut);
  }

  @Property(tries = 50_000)
  @EnabledIfSystemProperty(named = "rampart.long", matches = "true")
  void longProtobufReaderFailsOnlyAsMalformed(@ForAll @IntRange(min = 2, max = 4) int file,
      @ForAll @IntRange(min = 0, max = 1_000_000) int position, @ForAll byte value) throws IOException {
    theProtobufReaderFailsOnlyAsMalformed(file, position, value);
  }
}
