package dev.rampart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.integrity.bom.AiBom;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.provenance.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart bom MODEL}: a CycloneDX 1.6 ML-BOM, validated before it is written. */
@Command(name = "bom", mixinStandardHelpOptions = true,
    description = "Writes a CycloneDX 1.6 AI bill of materials for a model, from its digest, provenance and scan report.")
final class BomCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "MODEL") Path model;

  @Option(names = "--name", description = "Model name (default: the file or folder name).") String name;

  @Option(names = "--model-version", defaultValue = "1", description = "Model version (default: ${DEFAULT-VALUE}).") String version;

  @Option(names = "--task", description = "What the model does, e.g. classification.") String task;

  @Option(names = "--provenance", paramLabel = "FILE", description = "Signed provenance (rampart provenance create).") Path provenance;

  @Option(names = "--scan-report", paramLabel = "FILE", description = "A JSON report of rampart scan.") Path scanReport;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.") Path output;

  @Override
  public Integer call() throws Exception {
    String digest = ModelHasher.hash(model, ModelHasher.Options.files()).rootDigest();
    var prov = provenance == null ? Optional.<com.fasterxml.jackson.databind.JsonNode>empty()
        : Optional.of(Provenance.read(Bundle.parse(Files.readAllBytes(provenance))));
    var scan = scanReport == null ? Optional.<com.fasterxml.jackson.databind.JsonNode>empty()
        : Optional.of(new ObjectMapper().readTree(scanReport.toFile()));
    String json = AiBom.json(new AiBom.Inputs(name != null ? name : model.toAbsolutePath().normalize().getFileName().toString(),
        version, digest, Optional.ofNullable(task), prov, scan));
    var errors = AiBom.validate(json);
    if (!errors.isEmpty()) {
      throw new IllegalStateException("the generated BOM is not valid CycloneDX 1.6: " + errors);
    }
    if (output != null) {
      Files.writeString(output, json);
    } else {
      spec.commandLine().getOut().println(json);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
