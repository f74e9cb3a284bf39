package dev.rampart.eval.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.eval.Fixtures;
import dev.rampart.eval.runner.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arrays written by NumPy itself (see make_npy.py), read as data. */
class NpyArrayTest {
  static final Path DIR = Path.of("src/test/resources/data");

  @Test
  void imageRowsAndIntegerLabelsMatchTheCsvCopyOfTheSameRows() throws Exception {
    var x = (NpyArray.Numbers) NpyArray.read(DIR.resolve("digits_heldout_x.npy"), NpyArray.DEFAULT_MAX_BYTES);
    var y = (NpyArray.Numbers) NpyArray.read(DIR.resolve("digits_heldout_y.npy"), NpyArray.DEFAULT_MAX_BYTES);
    assertThat(x.shape()).containsExactly(898, 1, 8, 8);
    try (var model = OnnxClassifier.load(Fixtures.model("digits_mlp.onnx"))) {
      var csv = Fixtures.heldOut(Fixtures.DIGITS, model);
      assertThat(x.rows()).hasDimensions(898, 64);
      for (int i = 0; i < 898; i += 97) {
        assertThat(x.rows()[i]).containsExactly(csv.x()[i]);
        assertThat((int) y.values()[i]).isEqualTo(csv.y()[i]);
      }
    }
  }

  @Test
  void fortranOrderAndUnicodeLabelsComeOutTheSameAsTheirCOrderTwins() throws Exception {
    var c = (NpyArray.Numbers) NpyArray.read(DIR.resolve("digits_heldout_x.npy"), NpyArray.DEFAULT_MAX_BYTES);
    var f = (NpyArray.Numbers) NpyArray.read(DIR.resolve("digits_heldout_x_fortran.npy"), NpyArray.DEFAULT_MAX_BYTES);
    assertThat(f.shape()).containsExactly(100, 64);
    assertThat(f.rows()).isDeepEqualTo(Arrays.copyOf(c.rows(), 100));
    var y = (NpyArray.Numbers) NpyArray.read(DIR.resolve("digits_heldout_y.npy"), NpyArray.DEFAULT_MAX_BYTES);
    var text = (NpyArray.Texts) NpyArray.read(DIR.resolve("digits_heldout_y_text.npy"), NpyArray.DEFAULT_MAX_BYTES);
    for (int i = 0; i < text.values().length; i++) {
      assertThat(text.values()[i]).isEqualTo(String.valueOf((int) y.values()[i]));
    }
  }

  @Test
  void anObjectArrayIsRefusedWithoutBeingUnpickled() {
    assertThatThrownBy(() -> NpyArray.read(DIR.resolve("labels_pickled_object_array.npy"), NpyArray.DEFAULT_MAX_BYTES))
        .isInstanceOf(IOException.class).hasMessageContaining("pickled Python objects")
        .hasMessageContaining("allow_pickle=False");
  }

  @Test
  void truncatedOversizedOrLyingFilesAreRefused(@TempDir Path tmp) throws Exception {
    byte[] whole = Files.readAllBytes(DIR.resolve("digits_heldout_y.npy"));
    Path truncated = Files.write(tmp.resolve("truncated.npy"), Arrays.copyOf(whole, whole.length - 8));
    assertThatThrownBy(() -> NpyArray.read(truncated, NpyArray.DEFAULT_MAX_BYTES))
        .hasMessageContaining("bytes of data follow");
    Path headerOnly = Files.write(tmp.resolve("header.npy"), Arrays.copyOf(whole, 20));
    assertThatThrownBy(() -> NpyArray.read(headerOnly, NpyArray.DEFAULT_MAX_BYTES))
        .hasMessageContaining("past the end");
    assertThatThrownBy(() -> NpyArray.read(DIR.resolve("digits_heldout_y.npy"), 1000))
        .hasMessageContaining("over the 1000-byte limit");
    Path notNpy = Files.writeString(tmp.resolve("x.npy"), "label\n1\n2\n");
    assertThatThrownBy(() -> NpyArray.read(notNpy, NpyArray.DEFAULT_MAX_BYTES)).hasMessageContaining("magic");
  }
}
