package dev.rampart.scan.jinja;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.scan.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Chat templates as model repositories ship them (Llama 3/3.1/3.2, Mistral with tools, Qwen2/2.5/3, Gemma 1/3,
 * Phi-3, DeepSeek-R1, ChatML, Zephyr, Hermes 2 Pro tool use, Command-R, Granite 3, SmolLM2): every one parses,
 * is fully analysed and raises nothing.
 */
class RealChatTemplatesTest {
  private static final String DIR = "benign/chat_templates";

  @TestFactory
  Stream<DynamicTest> realTemplatesAreClean() {
    return Fixtures.files(DIR).stream().map(p -> DynamicTest.dynamicTest(Fixtures.relative(p), () -> {
      var result = TemplateCheck.analyse(read(p));
      assertThat(result.incomplete()).as("%s analysed", p).isEmpty();
      assertThat(result.issues()).as("%s issues", p).isEmpty();
    }));
  }

  @Test
  void theCorpusCoversTheMainFamilies() {
    assertThat(Fixtures.files(DIR)).hasSizeGreaterThanOrEqualTo(17);
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
