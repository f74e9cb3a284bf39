package dev.rampart.scan.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.scan.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** The detector on hostile and damaged text: it never throws, and what it reports never contains the raw secret. */
class SecretDetectorFuzzTest {
  private static final String PLANTED = read("secrets/planted/ci/train.log");
  private static final List<String> SECRETS = readLines("secrets/planted.secrets");

  private static String read(String rel) {
    try {
      return Files.readString(Fixtures.path(rel), StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> readLines(String rel) {
    return read(rel).lines().filter(l -> !l.startsWith("#")).toList();
  }

  @Property(tries = 500)
  void arbitraryTextNeverThrows(@ForAll @StringLength(max = 4000) String text) {
    var hits = SecretDetector.defaults().detect(text);
    for (var h : hits) {
      assertThat(h.start()).isBetween(0, text.length());
      assertThat(h.end()).isBetween(h.start(), text.length());
    }
  }

  @Property(tries = 300)
  void damagedLogsNeverLeakASecretInAPreview(@ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll char value) {
    var chars = PLANTED.toCharArray();
    chars[position % chars.length] = value;
    for (var hit : SecretDetector.defaults().detect(new String(chars))) {
      for (String secret : SECRETS) {
        assertThat(hit.preview()).doesNotContain(secret);
      }
      assertThat(hit.preview().length()).isLessThan(24);
    }
  }

  @Property(tries = 100)
  void keywordFloodsStayLinear(@ForAll @IntRange(min = 1, max = 20_000) int repeats) {
    // every line triggers the generic rule's keywords; the regex engine must stay linear
    String text = "token=" .repeat(repeats) + "\n" + "password: ".repeat(repeats);
    assertThat(SecretDetector.defaults().detect(text)).isEmpty();
  }

  @Property(tries = 50)
  void hugeSingleLinesAreWindowed(@ForAll @IntRange(min = 70_000, max = 300_000) int length) {
    String token = SECRETS.stream().filter(s -> s.startsWith("ghp_")).findFirst().orElseThrow();
    var sb = new StringBuilder("x".repeat(length)).append(" gh=").append(token).append(' ').append("y".repeat(1000));
    assertThat(SecretDetector.defaults().detect(sb)).extracting(h -> h.rule().rule().id()).contains("SEC-GITHUB-TOKEN");
  }

}
