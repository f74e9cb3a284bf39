package dev.rampart.cli;

import dev.rampart.core.Atlas;
import dev.rampart.core.ExitCode;
import dev.rampart.core.Report;
import dev.rampart.core.report.RenderOptions;
import dev.rampart.data.CheckResult;
import dev.rampart.data.DatasetCheck;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetFormat;
import dev.rampart.data.io.DatasetReadException;
import dev.rampart.data.io.DatasetReader;
import dev.rampart.data.io.ReadLimits;
import dev.rampart.data.report.CheckReport;
import dev.rampart.data.report.DatasetIdentity;
import dev.rampart.scan.Version;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart data check|diff}: poisoning and tampering checks on training data, before training. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Check a dataset for poisoning, or compare two versions of one.",
    subcommands = {DataCommand.Check.class, DataDiffCommand.class})
final class DataCommand {

  /** How a dataset file is read; shared by check and diff. */
  static final class ReadOptions {
    @Option(names = "--input-format", paramLabel = "FORMAT",
        description = "csv, tsv, jsonl or parquet; by default from the content and the file name.")
    String inputFormat;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "20000000",
        description = "Refuse datasets with more rows (default: ${DEFAULT-VALUE}); bounds memory.")
    int maxRows;

    @Option(names = "--max-field-bytes", paramLabel = "N", defaultValue = "8388608",
        description = "Longest accepted line or JSON object (default: ${DEFAULT-VALUE}).")
    int maxFieldBytes;

    @Option(names = "--read-timeout", paramLabel = "SECONDS", defaultValue = "600",
        description = "Give up reading after this long (default: ${DEFAULT-VALUE}).")
    long readTimeout;

    /**
     * Says why a dataset could not be used and returns the exit code: usage (2) when the command line names a column
     * the data lacks or cannot use as a label, incomplete (3) when the data itself could not be read.
     */
    static int refuse(java.io.PrintWriter err, DatasetReadException e) {
      err.println("rampart: " + e.getMessage());
      return e instanceof DatasetReadException.MissingColumn || e instanceof DatasetReadException.UnusableLabel
          ? ExitCode.USAGE.code()
          : ExitCode.INCOMPLETE.code();
    }

    Dataset read(Path file) throws IOException, DatasetReadException {
      if (!Files.exists(file)) {
        throw new NoSuchFileException(file.toString());
      }
      var limits = ReadLimits.defaults().withMaxRows(maxRows).withMaxFieldBytes(maxFieldBytes)
          .withTimeout(Duration.ofSeconds(readTimeout));
      Optional<DatasetFormat> declared = Optional.ofNullable(inputFormat).map(DatasetFormat::parse);
      return new DatasetReader(limits).read(file, declared);
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Profile a labelled dataset and list suspect rows: label issues (confident learning over k-fold "
            + "out-of-sample predictions), outliers per class, identical or near-identical rows with conflicting "
            + "labels, and backdoor triggers. Prints the dataset's OMS digest so a server can register exactly "
            + "what was checked."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:no finding at or above --fail-on (verdict clean or suspicious)",
        "1:findings at or above --fail-on (by default: verdict poisoned)",
        "2:usage error",
        "3:the dataset could not be read, or a check could not run"
      })
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "A CSV, TSV, JSONL or Parquet file.")
    Path file;

    @Option(names = {"-l", "--label"}, required = true, paramLabel = "COLUMN", description = "The label column.")
    String label;

    @Option(names = "--ignore", split = ",", paramLabel = "COLUMNS",
        description = "Columns that are not features, such as identifiers.")
    List<String> ignore = List.of();

    @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for folds and training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--noise-tolerance", paramLabel = "SHARE", defaultValue = "0.01",
        description = "Share of rows that may carry wrong labels or be far outliers naturally before the verdict turns (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--published",
        description = "The dataset comes from a public source: map findings to AML.T0019 Publish Poisoned Datasets.")
    boolean published;

    @Option(names = "--max-suspects", paramLabel = "N", defaultValue = "10000",
        description = "Suspect rows listed in JSON (default: ${DEFAULT-VALUE}); SARIF gets the first 1000.")
    int maxSuspects;

    @Mixin ReadOptions read;

    @Mixin OutputOptions out;

    @Mixin AttestOptions attest;

    @Override
    public Integer call() throws Exception {
      out.validate();
      attest.validate(file);
      if (tolerance < 0 || tolerance >= 1) {
        throw new IllegalArgumentException("--noise-tolerance must be a share between 0 and 1, like 0.01");
      }
      var err = spec.commandLine().getErr();
      Dataset dataset;
      CheckResult result;
      try {
        dataset = read.read(file);
        progress(err, "read " + dataset.rows() + " rows x " + dataset.columns().size() + " columns; checking");
        result = DatasetCheck.run(dataset, new DatasetCheck.Options(label, ignore, folds, seed, tolerance));
      } catch (DatasetReadException e) {
        return ReadOptions.refuse(err, e);
      }
      var id = DatasetIdentity.of(file, dataset.format(), dataset.rows());
      var options = new CheckReport.Options(Version.current(),
          published ? Atlas.PUBLISH_POISONED_DATASETS : Atlas.POISON_TRAINING_DATA, 1000, maxSuspects);
      Report report = CheckReport.report(result, id, options);
      OutputOptions.Extras.Table table = (ps, render) -> {
        CheckReport.printTable(ps, result, id, 20);
        ps.printf("%s: dataset %s; %d suspect row(s)%n", verdictWord(report, render),
        result.verdict().name().toLowerCase(java.util.Locale.ROOT), result.suspects().size());
      };
      if (attest.wanted()) {
        var predicate = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        CheckReport.addJson(predicate, result, id, options);
        attest.write(dev.rampart.integrity.attest.PredicateType.DATASET_CHECK, file, predicate, err);
      }
      return out.emit(report, OutputOptions.Extras.of(root -> CheckReport.addJson(root, result, id, options), table),
          spec.commandLine().getOut());
    }

    private void progress(PrintWriter err, String message) {
      if (!out.quiet) {
        err.println("rampart: " + message);
        err.flush();
      }
    }
  }

  static String verdictWord(Report report, RenderOptions render) {
    return switch (ExitCode.of(report, render.failOn())) {
      case FINDINGS -> "FAIL";
      case INCOMPLETE -> "INCOMPLETE";
      // alerts or findings below the threshold pass the gate, and the line says they exist
      case OK, USAGE -> report.findings().isEmpty() || render.failOn().isEmpty()
          ? "PASS" : "PASS (below --fail-on " + render.failOn().get().name() + ")";
    };
  }
}
