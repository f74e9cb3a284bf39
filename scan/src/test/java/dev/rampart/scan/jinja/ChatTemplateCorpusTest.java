package dev.rampart.scan.jinja;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the template analysis on a folder of real chat templates it was not tuned on (pass
 * {@code -Drampart.jinja.corpus=DIR}): how many parse, how many are clean, how long the analysis takes. Prints one
 * line per template that is not clean, so a false positive can be read and judged.
 */
@EnabledIfSystemProperty(named = "rampart.jinja.corpus", matches = ".+")
class ChatTemplateCorpusTest {
  @Test
  void realTemplatesFromTheCorpusAreClean() throws IOException {
    Path dir = Path.of(System.getProperty("rampart.jinja.corpus"));
    var notClean = new ArrayList<String>();
    int total = 0;
    long started = System.nanoTime();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        total++;
        var r = TemplateCheck.analyse(Files.readString(p, StandardCharsets.UTF_8));
        if (r.incomplete().isPresent() || !r.issues().isEmpty()) {
          notClean.add(p.getFileName() + ": " + r.incomplete().orElse("") + " " + r.issues());
        }
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("chat-template corpus: %d templates, %d clean, %d not clean, %d ms%n", total,
        total - notClean.size(), notClean.size(), millis);
    notClean.forEach(System.out::println);
    assertThat(notClean).isEmpty();
  }
}
