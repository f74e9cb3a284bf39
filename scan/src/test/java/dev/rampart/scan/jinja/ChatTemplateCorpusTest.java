package dev.rampart.scan.jinja;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    List<Path> paths;
    try (Stream<Path> files = Files.walk(dir)) {
      paths = files.filter(Files::isRegularFile).sorted().toList();
    }
    var texts = new ArrayList<String>();
    for (Path p : paths) {
      texts.add(Files.readString(p, StandardCharsets.UTF_8));
    }
    var notClean = new ArrayList<String>();
    long coldStart = System.nanoTime();
    for (int k = 0; k < texts.size(); k++) {
      var r = TemplateCheck.analyse(texts.get(k));
      if (r.incomplete().isPresent() || !r.issues().isEmpty()) {
        notClean.add(paths.get(k).getFileName() + ": " + r.incomplete().orElse("") + " " + r.issues());
      }
    }
    long cold = System.nanoTime() - coldStart;
    int rounds = 5;
    long warmStart = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      texts.forEach(TemplateCheck::analyse);
    }
    double warmPerTemplate = (System.nanoTime() - warmStart) / 1e6 / rounds / Math.max(1, texts.size());
    System.out.printf("chat-template corpus: %d templates, %d clean, %d not clean; first pass %d ms, then %.2f ms "
        + "per template%n", texts.size(), texts.size() - notClean.size(), notClean.size(), cold / 1_000_000,
        warmPerTemplate);
    notClean.forEach(System.out::println);
    assertThat(notClean).isEmpty();
  }
}
