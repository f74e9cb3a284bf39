package dev.rampart.cli;

import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Report;
import dev.rampart.integrity.IntegrityRules;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.provenance.Provenance;
import dev.rampart.integrity.provenance.TrainingRun;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.SigningKey;
import dev.rampart.scan.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart provenance create|verify}: signed SLSA v1 provenance for a training run. */
@Command(name = "provenance", mixinStandardHelpOptions = true,
    description = "Records and verifies which data, code and run produced a model (SLSA Provenance v1, signed).",
    subcommands = {ProvenanceCommand.Create.class, ProvenanceCommand.Verify.class})
final class ProvenanceCommand {

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Writes a signed provenance statement for a model.")
  static final class Create implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "The trained model (file or folder).")
    Path model;

    @Option(names = {"--key", "--attest"}, required = true, paramLabel = "KEY.pem",
        description = "EC private key to sign with: the provenance is an in-toto attestation the server verifies.")
    Path key;

    @Option(names = "--builder-id", required = true, paramLabel = "URI", description = {"The training system's URI.", "For example https://ci.example.com/train."})
    String builderId;

    @Option(names = "--dataset", paramLabel = "NAME=PATH[@URI]", description = "A training dataset, hashed on the spot (repeatable).")
    List<String> datasets = new ArrayList<>();

    @Option(names = "--dataset-digest", paramLabel = "NAME=SHA256", description = "A dataset by its OMS root digest (repeatable).")
    List<String> datasetDigests = new ArrayList<>();

    @Option(names = "--base-model", paramLabel = "NAME=PATH", description = "The model this one was fine-tuned from.")
    String baseModel;

    @Option(names = "--code-repo", paramLabel = "URL") String codeRepo;

    @Option(names = "--code-commit", paramLabel = "SHA") String codeCommit;

    @Option(names = "--image", paramLabel = "REF@sha256:DIGEST", description = "The training container image, pinned by digest.")
    String image;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A run parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--invocation-id", paramLabel = "ID") String invocationId;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the signed provenance.")
    Path output;

    @Override
    public Integer call() throws Exception {
      var inputs = new ArrayList<TrainingRun.Input>();
      for (String d : datasets) {
        String[] kv = split(d, "--dataset");
        String pathPart = kv[1].contains("@") ? kv[1].substring(0, kv[1].indexOf('@')) : kv[1];
        Optional<String> uri = kv[1].contains("@") ? Optional.of(kv[1].substring(kv[1].indexOf('@') + 1)) : Optional.empty();
        inputs.add(new TrainingRun.Input(kv[0], ModelHasher.hash(Path.of(pathPart), ModelHasher.Options.files()).rootDigest(), uri));
      }
      for (String d : datasetDigests) {
        String[] kv = split(d, "--dataset-digest");
        inputs.add(new TrainingRun.Input(kv[0], kv[1].replaceFirst("^sha256:", ""), Optional.empty()));
      }
      Optional<TrainingRun.Input> base = Optional.empty();
      if (baseModel != null) {
        String[] kv = split(baseModel, "--base-model");
        base = Optional.of(new TrainingRun.Input(kv[0], ModelHasher.hash(Path.of(kv[1]), ModelHasher.Options.files()).rootDigest(), Optional.empty()));
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      for (String p : params) {
        String[] kv = split(p, "--param");
        parameters.put(kv[0], kv[1]);
      }
      var run = new TrainingRun(builderId, Optional.ofNullable(invocationId), Optional.empty(), Optional.of(Instant.now()),
          parameters, inputs, base, Optional.ofNullable(codeRepo), Optional.ofNullable(codeCommit), Optional.ofNullable(image));
      String digest = ModelHasher.hash(model, ModelHasher.Options.files()).rootDigest();
      var bundle = Provenance.sign(model.toAbsolutePath().normalize().getFileName().toString(), digest, run, SigningKey.read(key));
      Files.write(output, bundle.toJson());
      var o = spec.commandLine().getOut();
      o.println("provenance for sha256:" + digest + " with " + inputs.size() + " dataset(s) written to " + output);
      if (!run.complete()) {
        spec.commandLine().getErr().println("rampart: warning: provenance is incomplete (it needs at least one dataset and the code commit)");
      }
      o.flush();
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Follows model → provenance → datasets and says which link breaks.")
  static final class Verify implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL") Path model;

    @Option(names = "--provenance", required = true, paramLabel = "FILE") Path provenance;

    @Option(names = "--key", required = true, paramLabel = "PUB.pem") Path key;

    @Option(names = "--dataset", paramLabel = "NAME=PATH", description = "A local copy of a recorded dataset to check (repeatable).")
    List<String> datasets = new ArrayList<>();

    @Mixin OutputOptions out;

    @Override
    public Integer call() throws Exception {
      out.validate();
      Map<String, Path> local = new LinkedHashMap<>();
      for (String d : datasets) {
        String[] kv = split(d, "--dataset");
        local.put(kv[0], Path.of(kv[1]));
      }
      var links = Provenance.verify(Bundle.parse(Files.readAllBytes(provenance)), Pem.publicKey(Files.readString(key)), model, local,
          Runtime.getRuntime().availableProcessors());
      var findings = new ArrayList<Finding>();
      var o = spec.commandLine().getOut();
      for (var l : links) {
        if (!l.holds()) {
          findings.add(Finding.of(IntegrityRules.CHAIN_BROKEN, l.name() + ": " + l.detail(), Location.of(provenance.toString())));
        }
      }
      if (out.reportFormat() == dev.rampart.core.report.ReportFormat.TABLE && out.output == null) {
        for (var l : links) {
          o.printf("%-6s %s: %s%n", l.holds() ? "ok" : "BROKEN", l.name(), l.detail());
        }
        o.println(findings.isEmpty() ? "VERIFIED: the provenance chain holds" : "FAILED: " + findings.size() + " broken link(s)");
        o.flush();
        return findings.isEmpty() ? 0 : 1;
      }
      out.failOn = "INFO";
      return out.emit(new Report("provenance-verify", Version.current(), Instant.now(), List.of(model.toString()), findings,
          List.of(), List.of(new dev.rampart.core.ArtifactRecord(model.toString(), "model", -1,
              dev.rampart.core.ArtifactRecord.Status.SCANNED, ""))), o);
    }
  }

  static String[] split(String kv, String option) {
    int eq = kv.indexOf('=');
    if (eq <= 0 || eq == kv.length() - 1) {
      throw new IllegalArgumentException(option + " takes NAME=VALUE, not '" + kv + "'");
    }
    return new String[] {kv.substring(0, eq), kv.substring(eq + 1)};
  }
}
