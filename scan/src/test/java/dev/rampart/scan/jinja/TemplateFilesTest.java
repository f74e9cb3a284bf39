package dev.rampart.scan.jinja;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.ExitCode;
import dev.rampart.core.Severity;
import dev.rampart.scan.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Template files a loader opens by name are analysed whatever their content looks like. */
class TemplateFilesTest {
  @TempDir Path dir;

  @Test
  void aBenignStandaloneChatTemplateIsScannedAndClean() throws IOException {
    Path t = write("chat_template.jinja", Files.readString(
        Fixtures.path("benign/chat_templates/qwen2.5-instruct-tools/chat_template.jinja")));
    var report = Fixtures.scan(t);
    assertThat(report.artifacts()).singleElement().satisfies(a -> {
      assertThat(a.status()).isEqualTo(ArtifactRecord.Status.SCANNED);
      assertThat(a.format()).isEqualTo("jinja-template");
    });
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).isEqualTo(ExitCode.OK);
  }

  @Test
  void aTemplateWithBinaryBytesIsStillAnalysed() throws IOException {
    // NUL bytes make content sniffing call the file unknown; Jinja renders it all the same
    Path t = write("chat_template.jinja", "\0\0\0\1\2{{ cycler.__init__.__globals__.os }}");
    assertThat(Fixtures.ruleIds(Fixtures.scan(t))).contains("TEMPLATE-INJECTION");
  }

  @Test
  void additionalChatTemplatesAreAnalysed() throws IOException {
    Files.createDirectories(dir.resolve("additional_chat_templates"));
    Path t = write("additional_chat_templates/tool_use.jinja", "{{ (lipsum|attr('__globals__'))['os'] }}");
    assertThat(Fixtures.scan(t).findings()).anyMatch(f -> f.severity() == Severity.CRITICAL);
  }

  @Test
  void chatTemplateJsonIsAnalysedForItsTemplate() throws IOException {
    Path t = write("chat_template.json", "{\"chat_template\": \"{{ joiner.__init__.__globals__.os }}\"}");
    assertThat(Fixtures.scan(t).findings()).anyMatch(f -> f.severity() == Severity.CRITICAL);
  }

  @Test
  void aTemplateThatDoesNotParseIsIncomplete() throws IOException {
    Path t = write("chat_template.jinja", "{% for m in messages %}{{ m['content'] }}");
    var report = Fixtures.scan(t);
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).isEqualTo(ExitCode.INCOMPLETE);
  }

  @Test
  void goTemplatesInAModelfileAreNotJinjaAndDoNotMakeTheScanIncomplete() throws IOException {
    Path t = write("Modelfile", "FROM ./model.gguf\nTEMPLATE \"\"\"{{ if .System }}<|im_start|>system\n{{ .System }}"
        + "<|im_end|>{{ end }}\"\"\"\n");
    var report = Fixtures.scan(t);
    assertThat(report.findings()).noneMatch(f -> f.incompleteness());
    assertThat(report.findings()).noneMatch(f -> f.rule().id().equals("TEMPLATE-INJECTION"));
  }

  @Test
  void aModelCardWithPythonCodeAndBracesIsNotATemplateFinding() throws IOException {
    Path t = write("README.md", "# Model\n```python\nclass Net:\n    def __init__(self):\n        pass\n```\n"
        + "Use {{ .Prompt }} in the Modelfile.\n");
    assertThat(Fixtures.ruleIds(Fixtures.scan(t))).doesNotContain("TEMPLATE-INJECTION");
  }

  @Test
  void realTemplatesInATokenizerConfigScanClean() throws IOException {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var config = mapper.createObjectNode().put("tokenizer_class", "PreTrainedTokenizerFast");
    var templates = config.putArray("chat_template");
    for (Path p : Fixtures.files("benign/chat_templates")) {
      templates.addObject().put("name", p.getParent().getFileName().toString()).put("template", Files.readString(p));
    }
    Path t = write("tokenizer_config.json", mapper.writeValueAsString(config));
    var report = Fixtures.scan(t);
    assertThat(report.findings()).noneMatch(f -> f.rule().id().equals("TEMPLATE-INJECTION"));
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).isEqualTo(ExitCode.OK);
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }
}
