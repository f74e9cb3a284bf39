package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.ExitCode;
import dev.rampart.core.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of the per-format analysers that the attack catalogue alone does not pin down. */
class FormatAnalysersTest {
  private static ExitCode exit(dev.rampart.core.Report report) {
    return ExitCode.of(report, Optional.of(Severity.HIGH));
  }

  @Test
  void anHdf5UserBlockOfZerosIsReadLikeH5pyAndIsNotAPolyglot() {
    var report = Fixtures.scan(Fixtures.path("benign/keras_h5_with_user_block.h5"));
    assertThat(Fixtures.ruleIds(report)).doesNotContain("FORMAT-POLYGLOT");
    assertThat(report.artifacts()).anySatisfy(a -> {
      assertThat(a.format()).isEqualTo("hdf5");
      assertThat(a.status()).isEqualTo(ArtifactRecord.Status.SCANNED);
    });
    assertThat(exit(report)).isEqualTo(ExitCode.OK);
  }

  @Test
  void aDecoyInTheUserBlockIsReportedAsAPolyglotAndTheModelBehindItIsRead() {
    var report = Fixtures.scan(Fixtures.path("malicious/keras/keras_h5_user_block_npy_decoy_hides_lambda.h5"));
    assertThat(Fixtures.ruleIds(report)).contains("FORMAT-POLYGLOT", "KERAS-LAMBDA");
    assertThat(report.findings()).anyMatch(f -> f.rule().id().equals("KERAS-LAMBDA")
        && f.location().path().contains("[as hdf5 from offset 512]"));
  }

  @Test
  void jsonDecodingFollowsPythonDetectEncoding() throws IOException {
    String config = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Lambda\","
        + " \"config\": {\"name\": \"l\", \"function\": [\"4wAAAA==\", null, null]}}]}}";
    for (var charset : new java.nio.charset.Charset[] {StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
        java.nio.charset.Charset.forName("UTF-32BE")}) {
      var report = Fixtures.scanBytes(config.getBytes(charset));
      assertThat(Fixtures.ruleIds(report)).as("config in %s", charset).contains("KERAS-LAMBDA");
    }
  }

  @Test
  void onnxExternalDataIsPartOfItsModelAndCleanWithIt() {
    var report = Fixtures.scan(Fixtures.path("benign/onnx_external_data"));
    assertThat(report.artifacts()).anySatisfy(a -> assertThat(a.format()).isEqualTo("onnx-external-data"));
    assertThat(exit(report)).isEqualTo(ExitCode.OK);
  }

  @Test
  void externalDataThatNoModelNamesIsNotClean(@TempDir Path dir) throws IOException {
    Files.copy(Fixtures.path("benign/onnx_external_data/model.onnx.data"), dir.resolve("model.onnx.data"));
    assertThat(exit(Fixtures.scan(dir.resolve("model.onnx.data")))).isEqualTo(ExitCode.INCOMPLETE);
  }

  @Test
  void realSaversWithTheirRelativeDefaultFilenameAreHowSavedModelsSave() {
    for (String file : new String[] {"benign/tf1_savedmodel_with_saver/saved_model.pb", "benign/tf2_savedmodel/saved_model.pb"}) {
      var report = Fixtures.scan(Fixtures.path(file));
      assertThat(Fixtures.ruleIds(report)).as(file).doesNotContain("TF-FILE-OP", "TF-NETWORK-OP");
      assertThat(report.artifacts()).as(file).singleElement()
          .satisfies(a -> assertThat(a.format()).isEqualTo("tensorflow-savedmodel"));
    }
  }

  @Test
  void aJinjaTemplateOpeningWithACommentIsNotUbjson() {
    var report = Fixtures.scanBytes("{# a chat template #}{{ messages[0].content }}".getBytes(StandardCharsets.UTF_8));
    assertThat(report.artifacts()).extracting(a -> a.format()).doesNotContain("ubjson");
  }

  @Test
  void aVocabularyListInALookupLayerIsData() {
    String config = "{\"module\": \"keras.layers\", \"class_name\": \"StringLookup\", \"registered_name\": null,"
        + " \"config\": {\"name\": \"s\", \"vocabulary\": [\"a\", \"b\"], \"oov_token\": \"[UNK]\"}}";
    var report = Fixtures.scanBytes(config.getBytes(StandardCharsets.UTF_8));
    assertThat(Fixtures.ruleIds(report)).doesNotContain("KERAS-FILE-ACCESS");
  }

  @Test
  void newFormatsAreAnalysedNotSkipped() {
    var expected = java.util.Map.of(
        "benign/tflite_dense.tflite", "tflite",
        "benign/ort_mlp.ort", "onnxruntime-ort",
        "benign/lightgbm_binary.txt", "lightgbm-text",
        "benign/xgboost_binary.ubj", "ubjson",
        "benign/flax_params.msgpack", "flax-msgpack",
        "benign/sentencepiece_unigram.model", "sentencepiece",
        "benign/tf_checkpoint/ckpt.index", "tensorflow-checkpoint-index",
        "benign/tf_checkpoint/ckpt.data-00000-of-00001", "tensorflow-checkpoint-data",
        "benign/orbax_checkpoint/manifest.ocdbt", "orbax-ocdbt");
    expected.forEach((file, format) -> {
      var report = Fixtures.scan(Fixtures.path(file));
      assertThat(report.artifacts()).as(file).singleElement().satisfies(a -> {
        assertThat(a.format()).isEqualTo(format);
        assertThat(a.status()).isEqualTo(ArtifactRecord.Status.SCANNED);
      });
      assertThat(exit(report)).as(file).isEqualTo(ExitCode.OK);
    });
  }

  @Test
  void aTfliteModelWithAssociatedFilesIsNotAPolyglotButItsZipIsRead() throws IOException {
    var zip = new java.io.ByteArrayOutputStream();
    try (var z = new java.util.zip.ZipOutputStream(zip)) {
      z.putNextEntry(new java.util.zip.ZipEntry("labels.txt"));
      z.write("cat\ndog\n".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    byte[] model = Files.readAllBytes(Fixtures.path("benign/tflite_dense.tflite"));
    byte[] withFiles = java.util.Arrays.copyOf(model, model.length + zip.size());
    System.arraycopy(zip.toByteArray(), 0, withFiles, model.length, zip.size());
    var report = Fixtures.scanBytes(withFiles);
    assertThat(Fixtures.ruleIds(report)).doesNotContain("FORMAT-POLYGLOT");
    assertThat(report.artifacts()).anySatisfy(a -> assertThat(a.path()).endsWith("labels.txt"));
    assertThat(report.artifacts()).anySatisfy(a -> assertThat(a.format()).isEqualTo("tflite"));
  }

  @Test
  void aPickleWithAZipBehindItIsAPolyglot() throws IOException {
    var zip = new java.io.ByteArrayOutputStream();
    try (var z = new java.util.zip.ZipOutputStream(zip)) {
      z.putNextEntry(new java.util.zip.ZipEntry("config.json"));
      z.write("{}".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    byte[] pickle = {(byte) 0x80, 2, '}', '.'};
    byte[] both = java.util.Arrays.copyOf(pickle, pickle.length + zip.size());
    System.arraycopy(zip.toByteArray(), 0, both, pickle.length, zip.size());
    assertThat(Fixtures.ruleIds(Fixtures.scanBytes(both))).contains("FORMAT-POLYGLOT");
  }

  @Test
  void torchScriptFileEffectsAreNamed() {
    var report = Fixtures.scan(Fixtures.path("malicious/torch/torchscript_setstate_reads_file.pt"));
    assertThat(report.findings()).anyMatch(f -> f.rule().id().equals("TORCH-SCRIPT-SUSPICIOUS")
        && f.evidence().contains("from_file") && f.evidence().contains("__setstate__"));
  }
}
