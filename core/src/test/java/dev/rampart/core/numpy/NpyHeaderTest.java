package dev.rampart.core.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The .npy header as NumPy reads it: every dtype NumPy 2.4 stores as a pickle is an object array here too. */
class NpyHeaderTest {
  private static String header(String descr) {
    return "{'descr': " + descr + ", 'fortran_order': False, 'shape': (1,), }";
  }

  @Test
  void whatNumpyWritesIsReadWithItsSize() {
    var h = NpyHeader.parse("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }          \n");
    assertThat(h.hasObjects()).isFalse();
    assertThat(h.shape()).containsExactly(3L, 4L);
    assertThat(h.byteCount()).isEqualTo(96);
    assertThat(NpyHeader.parse(header("'|S10'")).byteCount()).isEqualTo(10);
    assertThat(NpyHeader.parse(header("'<U3'")).byteCount()).isEqualTo(12);
    assertThat(NpyHeader.parse("{'descr': '|b1', 'fortran_order': True, 'shape': (), }").fortranOrder()).isTrue();
    assertThat(NpyHeader.parse(header("'i4,(2,3)f8'")).hasObjects()).isFalse();
  }

  /** Each of these makes numpy.load(allow_pickle=True) unpickle the body (checked against NumPy 2.4.6). */
  @ParameterizedTest
  @ValueSource(strings = {"'|O'", "'O'", "'O8'", "'<O4'", "'object'", "'object_'", "'T'", "'=T'", "'i4,O'",
      "'O,i4'", "'(2,)O'", "'(2, 3)O'", "'2O'", "[('a', '<i4'), ('b', '|O')]",
      "[('a', [('inner', 'O')])]", "[(('title', 'a'), 'O', (2,))]", "'i4,(2,)O'", "'(2,)i4,O'"})
  void everyObjectSpellingIsAnObjectArray(String descr) {
    assertThat(NpyHeader.parse(header(descr)).hasObjects()).as(descr).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"'|O' 'x'", "'float64'", "' O'", "'O '", "'<f8' + 'O'", "None", "b'O'", "'\\x4f'",
      "[('a',)]", "{'a': 'O'}"})
  void anythingNumpyWouldRefuseOrRampartCannotClassifyIsRefused(String descr) {
    assertThatThrownBy(() -> NpyHeader.parse(header(descr))).as(descr)
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDictionaryMustHoldExactlyNumpysKeysWithTheirTypes() {
    for (String bad : List.of(
        "{'descr': '<f8', 'shape': (1,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
        "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': [1]}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'descr': '|O'}",
        "{'descr'X '|O', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } trailing",
        "[" .repeat(100) + "]".repeat(100))) {
      assertThatThrownBy(() -> NpyHeader.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
