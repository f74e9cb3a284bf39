package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import dev.rampart.core.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow model folders laid out as {@code mlflow.sklearn.save_model} and {@code mlflow.pyfunc.save_model} write them
 * (MLmodel, conda.yaml, python_env.yaml, requirements.txt, the artifact), with a malicious pickle planted: the pickle
 * is found once, and the MLmodel file's custom code and escaping paths are reported.
 */
class MlflowLayoutTest {
  @TempDir Path dir;

  static final String SKLEARN_MLMODEL = """
      artifact_path: model
      flavors:
        python_function:
          env:
            conda: conda.yaml
            virtualenv: python_env.yaml
          loader_module: mlflow.sklearn
          model_path: model.pkl
          predict_fn: predict
          python_version: 3.11.7
        sklearn:
          code: null
          pickled_model: model.pkl
          serialization_format: cloudpickle
          sklearn_version: 1.6.1
      mlflow_version: 2.19.0
      model_size_bytes: 1024
      model_uuid: 6a3f0d7b2c1e4f5a8b9c0d1e2f3a4b5c
      utc_time_created: '2026-12-01 10:00:00.000000'
      """;

  Path model(String name, String mlmodel, byte[] pickle) throws IOException {
    Path m = Files.createDirectories(dir.resolve(name));
    Files.writeString(m.resolve("MLmodel"), mlmodel);
    Files.writeString(m.resolve("conda.yaml"), "channels: [conda-forge]\ndependencies:\n- python=3.11.7\n- pip\n- pip:\n  - mlflow==2.19.0\n  - scikit-learn==1.6.1\nname: mlflow-env\n");
    Files.writeString(m.resolve("python_env.yaml"), "python: 3.11.7\nbuild_dependencies:\n- pip==24.0\ndependencies:\n- -r requirements.txt\n");
    Files.writeString(m.resolve("requirements.txt"), "mlflow==2.19.0\nscikit-learn==1.6.1\n");
    Files.write(m.resolve("model.pkl"), pickle);
    return m;
  }

  static Report scan(Path root) throws IOException {
    return Scanner.builder().threads(2).build().scan(List.of(root));
  }

  static List<String> rules(Report r, String prefix) {
    return r.findings().stream().map(f -> f.rule().id()).filter(id -> id.startsWith(prefix)).sorted().toList();
  }

  @Test
  void aPlantedPickleInAnMlflowFolderIsFoundOnce() throws IOException {
    byte[] shell = Files.readAllBytes(Path.of("../examples/models/malicious/reverse_shell.pkl"));
    Path m = model("model", SKLEARN_MLMODEL, shell);
    Report r = scan(m);
    var critical = r.findings().stream().filter(f -> f.severity() == Severity.CRITICAL).map(Finding::location)
        .map(l -> m.relativize(Path.of(l.file())).toString()).distinct().toList();
    assertThat(critical).containsExactly("model.pkl");
    assertThat(rules(r, "MLFLOW")).isEmpty();
    assertThat(rules(r, "SCAN-INCOMPLETE")).isEmpty();
  }

  @Test
  void customLoaderCodeAndCloudpickledModelsAreReported() throws IOException {
    String pyfunc = """
        flavors:
          python_function:
            loader_module: acme_loader
            code: code
            python_model: python_model.pkl
            env: {conda: conda.yaml, virtualenv: python_env.yaml}
        mlflow_version: 2.19.0
        """;
    Report r = scan(model("pyfunc", pyfunc, new byte[] {(byte) 0x80, 4, 'N', '.'}));
    assertThat(r.findings()).filteredOn(f -> f.rule().equals(ScanRules.MLFLOW_CUSTOM_CODE)).extracting(Finding::evidence)
        .anySatisfy(e -> assertThat(e).contains("loader_module: acme_loader"))
        .anySatisfy(e -> assertThat(e).contains("code: code"))
        .anySatisfy(e -> assertThat(e).contains("python_model: python_model.pkl"));
  }

  @Test
  void flavourPathsLeavingTheFolderAreReported() throws IOException {
    String escaping = SKLEARN_MLMODEL.replace("pickled_model: model.pkl", "pickled_model: ../../shared/model.pkl")
        .replace("model_path: model.pkl", "model_path: s3://bucket/model.pkl")
        .replace("conda: conda.yaml", "conda: /etc/conda.yaml");
    Report r = scan(model("escaping", escaping, new byte[] {(byte) 0x80, 4, 'N', '.'}));
    assertThat(r.findings()).filteredOn(f -> f.rule().equals(ScanRules.MLFLOW_PATH_ESCAPE)).extracting(Finding::evidence)
        .anySatisfy(e -> assertThat(e).contains("../../shared/model.pkl"))
        .anySatisfy(e -> assertThat(e).contains("s3://bucket/model.pkl"))
        .anySatisfy(e -> assertThat(e).contains("/etc/conda.yaml"));
  }

  @Test
  void anMlmodelFileMlflowCouldNotReadIsIncompleteNotClean() throws IOException {
    Report json = scan(model("json", "{\"flavors\": {\"python_function\": {\"loader_module\": \"evil\"}}}", new byte[] {(byte) 0x80, 4, 'N', '.'}));
    assertThat(rules(json, "MLFLOW")).containsExactly("MLFLOW-CUSTOM-CODE");
    Report broken = scan(model("broken", "flavors: [unclosed\n  - : :\n", new byte[] {(byte) 0x80, 4, 'N', '.'}));
    assertThat(broken.findings()).anyMatch(f -> f.rule().equals(ScanRules.SCAN_INCOMPLETE)
        && f.location().file().endsWith("MLmodel"));
  }
}
