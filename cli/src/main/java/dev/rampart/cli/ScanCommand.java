package dev.rampart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import dev.rampart.core.ignore.IgnoreFile;
import dev.rampart.scan.Check;
import dev.rampart.scan.Scanner;
import dev.rampart.scan.policy.Policy;
import dev.rampart.scan.policy.ProjectConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart scan PATH...}: scans model artifacts without loading them. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Scans model files and folders (pickle, PyTorch, joblib, NumPy, Keras, TensorFlow, ONNX, safetensors, GGUF,"
          + " archives) without loading them, and reports code-execution and tampering risks, leaked credentials"
          + " and risky ML-infrastructure configuration.",
      "Files are identified by content, never by extension. Secrets are redacted in every output."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:nothing at or above --fail-on, everything analysed",
      "1:findings at or above --fail-on",
      "2:usage or configuration error",
      "3:incomplete: something could not be analysed, or nothing was analysed at all"
    })
final class ScanCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to scan.")
  List<Path> paths;

  @Mixin OutputOptions out;

  @Option(
      names = "--ignore-file",
      paramLabel = "FILE",
      description = "Accepted findings (default: .rampartignore.yaml in the current folder, if present).")
  Path ignoreFile;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Project configuration with allow-list entries (default: rampart.yaml, if present).")
  Path config;

  @Option(names = "--baseline", paramLabel = "REPORT", description = "A previous JSON report: show only new findings.")
  Path baseline;

  @Option(names = "--threads", paramLabel = "N", description = "Files scanned in parallel (default: cores).")
  Integer threads;

  @Option(
      names = "--no-ignore",
      description = "Run the secret and configuration checks also on files that .gitignore or .rampartignore put "
          + "aside (model checks always read every file).")
  boolean noIgnore;

  @picocli.CommandLine.ArgGroup(exclusive = true)
  Only only;

  /** At most one family may be selected alone. */
  static final class Only {
    @Option(names = "--models-only", description = "Run only the model-artifact checks.")
    boolean models;

    @Option(names = "--secrets-only", description = "Run only the leaked-credential checks.")
    boolean secrets;

    @Option(names = "--misconfig-only", description = "Run only the ML-infrastructure configuration checks.")
    boolean misconfig;

    java.util.Set<Check> checks() {
      if (models) {
        return java.util.Set.of(Check.MODELS);
      }
      if (secrets) {
        return java.util.Set.of(Check.SECRETS);
      }
      return misconfig ? java.util.Set.of(Check.MISCONFIG) : Check.all();
    }
  }

  @Override
  public Integer call() throws IOException {
    out.validate();
    var err = spec.commandLine().getErr();
    var policy = Policy.defaults();
    Path cfg = config != null ? config : existing(Path.of("rampart.yaml"));
    if (cfg != null) {
      if (!Files.exists(cfg)) {
        throw new NoSuchFileException(cfg.toString());
      }
      policy = policy.withProjectAllows(ProjectConfig.readAllows(cfg));
      for (String ignored : policy.ineffectiveAllows()) {
        err.println("rampart: warning: " + cfg + ": the allow entry for " + ignored + "; it is ignored");
      }
    }
    Path ignorePath = ignoreFile != null ? ignoreFile : existing(Path.of(".rampartignore.yaml"));
    IgnoreFile ignores = IgnoreFile.empty();
    if (ignorePath != null) {
      if (!Files.exists(ignorePath)) {
        throw new NoSuchFileException(ignorePath.toString());
      }
      ignores = IgnoreFile.read(ignorePath);
      for (var expired : ignores.expired(LocalDate.now())) {
        err.println("rampart: warning: ignore entry for " + expired.id() + " expired on " + expired.expires()
            + "; its findings are reported again");
      }
    }
    var builder = Scanner.builder()
        .policy(policy)
        .checks(only == null ? Check.all() : only.checks())
        .honourIgnoreFiles(!noIgnore);
    if (threads != null) {
      if (threads < 1) {
        throw new IllegalArgumentException("--threads must be at least 1");
      }
      builder.threads(threads);
    }
    if (Terminal.progressWanted(out.quiet, out.noProgress)) {
      builder.progress(new ProgressBar(System.err));
    }
    Report report = builder.build().scan(paths);
    report = ignores.apply(report, LocalDate.now());
    if (baseline != null) {
      report = applyBaseline(report, baseline);
    }
    return out.emit(report, spec.commandLine().getOut());
  }

  private static Path existing(Path p) {
    return Files.exists(p) ? p : null;
  }

  private static Report applyBaseline(Report report, Path baselineFile) throws IOException {
    Set<String> known = new HashSet<>();
    try {
      var root = new ObjectMapper().readTree(Files.readAllBytes(baselineFile));
      root.path("findings").forEach(f -> known.add(f.path("fingerprint").asText()));
    } catch (IOException e) {
      throw new IllegalArgumentException("--baseline " + baselineFile + " is not a Rampart JSON report: " + e.getMessage());
    }
    var kept = new ArrayList<Finding>();
    var suppressed = new ArrayList<>(report.suppressed());
    for (Finding f : report.findings()) {
      if (known.contains(f.fingerprint())) {
        suppressed.add(new Report.Suppressed(f, "in baseline " + baselineFile));
      } else {
        kept.add(f);
      }
    }
    return new Report(report.kind(), report.toolVersion(), report.createdAt(), report.roots(), kept, suppressed, report.artifacts());
  }
}
