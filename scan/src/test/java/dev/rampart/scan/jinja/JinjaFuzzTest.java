package dev.rampart.scan.jinja;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Severity;
import dev.rampart.scan.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The template lexer, parser and interpreter on hostile input: random text, token soup, and real and attack
 * templates cut, spliced and duplicated. Every input is analysed or refused with a reason, never a crash and never
 * past the time limit; an attack never disappears because benign template text surrounds it. Seeded, so a failure
 * reproduces; the long variants run under the {@code long} profile.
 */
class JinjaFuzzTest {
  /** Generous against a loaded build machine; the analysis itself stops at its own limit. */
  private static final long MAX_MILLIS = TemplateCheck.TIME_LIMIT_NANOS / 1_000_000 + 3_000;
  private static final List<String> BENIGN = read("benign/chat_templates");
  private static final List<String> ATTACKS = read("malicious/jinja");
  private static final List<String> PIECES = List.of("{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "{{-", "-}}",
      " for ", " in ", " endfor ", " if ", " else ", " elif ", " endif ", " set ", " endset ", " macro ",
      " endmacro ", " call ", " endcall ", " filter ", " endfilter ", " with ", " endwith ", " raw ", " endraw ",
      "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "~", "+", "*", "%", "=", "==", "'", "\"", "\\", "\\x5f",
      "\\N{LOW LINE}", "_", "__", "lipsum", "attr", "map", "join", "format", "namespace", "loop", "caller",
      "messages", "'__globals__'", "'_'", "95", "0x5f", "1.5", "-", "not", "and", "or", "is", "defined", "\n",
      " ", "\u00a0", "é", "𝟘");

  private static List<String> read(String dir) {
    return Fixtures.files(dir).stream().map(JinjaFuzzTest::text).toList();
  }

  private static String text(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Analyses within the time limit and returns the result: the property every generator shares. */
  private static TemplateCheck.Result analysedInTime(String template) {
    long start = System.nanoTime();
    var result = TemplateCheck.analyse(template);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(millis).as("analysis time").isLessThan(MAX_MILLIS);
    assertThat(result.issues()).isNotNull();
    result.incomplete().ifPresent(why -> assertThat(why).isNotBlank());
    return result;
  }

  @Property(tries = 300, seed = "20261207")
  void randomTextIsAnalysedOrRefused(@ForAll("randomText") String template) {
    analysedInTime(template);
  }

  @Property(tries = 400, seed = "14")
  void tokenSoupIsAnalysedOrRefused(@ForAll("tokenSoup") String template) {
    analysedInTime(template);
  }

  @Property(tries = 300, seed = "4243")
  void mutatedRealAndAttackTemplatesAreAnalysedOrRefused(@ForAll("mutated") String template) {
    analysedInTime(template);
  }

  @Property(tries = 150, seed = "77")
  void anAttackAfterBenignTextIsNeverHidden(@ForAll("attackInBenign") String template) {
    var result = analysedInTime(template);
    boolean caught = result.incomplete().isPresent()
        || result.issues().stream().anyMatch(i -> i.severity().atLeast(Severity.HIGH));
    assertThat(caught).as("attack hidden in %s", template).isTrue();
  }

  @Property(tries = 5000, seed = "1")
  @AddLifecycleHook(LongRunsOnly.class)
  void longRunTokenSoup(@ForAll("tokenSoup") String template) {
    analysedInTime(template);
  }

  @Property(tries = 5000, seed = "2")
  @AddLifecycleHook(LongRunsOnly.class)
  void longRunMutated(@ForAll("mutated") String template) {
    analysedInTime(template);
  }

  @Property(tries = 2000, seed = "3")
  @AddLifecycleHook(LongRunsOnly.class)
  void longRunAttackInBenign(@ForAll("attackInBenign") String template) {
    anAttackAfterBenignTextIsNeverHidden(template);
  }

  @Provide
  Arbitrary<String> randomText() {
    return Arbitraries.strings().all().ofMaxLength(400);
  }

  @Provide
  Arbitrary<String> tokenSoup() {
    return Arbitraries.of(PIECES).list().ofMaxSize(120).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<String> mutated() {
    var source = Arbitraries.of(concat(BENIGN, ATTACKS));
    var edits = Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(8);
    return Combinators.combine(source, edits, Arbitraries.of(PIECES)).as(JinjaFuzzTest::mutate);
  }

  @Provide
  Arbitrary<String> attackInBenign() {
    // a complete attack appended after (or placed before) a complete benign template still runs in Jinja
    return Combinators.combine(Arbitraries.of(BENIGN), Arbitraries.of(ATTACKS), Arbitraries.of(true, false))
        .as((benign, attack, after) -> after ? benign + attack : attack + benign);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    var all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Deletes, duplicates or inserts slices at positions the random numbers pick. */
  private static String mutate(String source, List<Integer> edits, String piece) {
    var sb = new StringBuilder(source);
    for (int r : edits) {
      int n = Math.max(1, sb.length());
      int at = r % n;
      int len = Math.min(sb.length() - at, 1 + (r >>> 8) % 40);
      switch ((r >>> 4) % 4) {
        case 0 -> sb.delete(at, at + Math.max(0, len));
        case 1 -> sb.insert(at, sb.substring(at, at + Math.max(0, len)));
        case 2 -> sb.insert(at, piece);
        default -> {
          int to = (r >>> 12) % n;
          String cut = sb.substring(at, at + Math.max(0, len));
          sb.insert(Math.min(to, sb.length()), cut);
        }
      }
    }
    return sb.toString();
  }
}
