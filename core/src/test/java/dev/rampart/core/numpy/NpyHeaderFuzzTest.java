package dev.rampart.core.numpy;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** The header parser on hostile text: it returns a header or refuses with the reason, and never throws anything else. */
class NpyHeaderFuzzTest {
  private static final String VALID = "{'descr': [('a', '<i4'), ('b', '(2,)O')], 'fortran_order': False, 'shape': (3,), }";

  @Property(tries = 2000)
  void arbitraryTextIsParsedOrRefused(@ForAll @StringLength(max = 200) @CharRange(from = ' ', to = '~') String text) {
    assertThat(outcome(text)).isIn("parsed", "refused");
  }

  @Property(tries = 2000)
  void aDamagedValidHeaderIsParsedOrRefused(@ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll @CharRange(from = ' ', to = '~') char replacement) {
    var damaged = new StringBuilder(VALID);
    damaged.setCharAt(position % VALID.length(), replacement);
    String result = outcome(damaged.toString());
    assertThat(result).isIn("parsed", "refused");
    if (result.equals("parsed")) {
      // whatever survives the damage, an object field is never lost without the header being refused
      var h = NpyHeader.parse(damaged.toString());
      assertThat(h.hasObjects() || !damaged.toString().contains("O'")).isTrue();
    }
  }

  @Property(tries = 200)
  void deepNestingIsRefusedNotAStackOverflow(@ForAll @IntRange(min = 30, max = 5_000) int depth) {
    assertThat(outcome("[".repeat(depth) + "]".repeat(depth))).isEqualTo("refused");
    assertThat(outcome("{'descr': " + "[".repeat(depth) + "]".repeat(depth) + "}")).isEqualTo("refused");
  }

  private static String outcome(String header) {
    try {
      NpyHeader.parse(header);
      return "parsed";
    } catch (IllegalArgumentException e) {
      return "refused";
    }
  }
}
