package dev.rampart.scan.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which flavour paths leave the model folder: plain relative paths stay, everything a loader resolves elsewhere goes. */
class MlModelFileTest {
  @Test
  void plainRelativePathsStayAndEverythingElseEscapes() {
    for (String ok : List.of("model.pkl", "data/model.pth", "./code", "artifacts/tokenizer", "a..b/c")) {
      assertThat(MlModelFile.escapes(ok)).as(ok).isFalse();
    }
    for (String bad : List.of("/abs", "~/x", "C:\\x", "c:/x", "a/../../b", "a\\..\\b", "https://h/x", "s3://b/k", "..",
        " /leading-space")) {
      assertThat(MlModelFile.escapes(bad)).as(bad).isTrue();
    }
  }
}
