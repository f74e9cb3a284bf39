package dev.rampart.cli;

import dev.rampart.core.Atlas;
import dev.rampart.core.Report;
import dev.rampart.core.report.ReportFormat;
import dev.rampart.core.report.ReportWriter;
import dev.rampart.data.diff.DatasetDiff;
import dev.rampart.data.diff.DiffResult;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetReadException;
import dev.rampart.data.report.DatasetIdentity;
import dev.rampart.data.report.DiffReport;
import dev.rampart.scan.Version;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart data diff OLD NEW}: what changed between two versions of a dataset, and whether it looks targeted. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two versions of a dataset: rows added, removed, changed and relabelled; per-column distribution "
          + "shift; class-balance change; and whether the changes concentrate in one class or one region of feature "
          + "space, the signature of targeted poisoning."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no finding at or above --fail-on",
      "1:findings at or above --fail-on (by default: relabelling beyond tolerance or concentrated changes)",
      "2:usage error",
      "3:a dataset could not be read"
    })
final class DataDiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OLD", description = "The earlier version.")
  Path oldFile;

  @Parameters(index = "1", paramLabel = "NEW", description = "The later version.")
  Path newFile;

  @Option(names = {"-l", "--label"}, paramLabel = "COLUMN", description = "The label column, if there is one.")
  String label;

  @Option(names = "--key", paramLabel = "COLUMN",
      description = "A column identifying rows across versions; without it rows match by their content.")
  String key;

  @Option(names = "--ignore", split = ",", paramLabel = "COLUMNS", description = "Columns to leave out.")
  List<String> ignore = List.of();

  @Option(names = "--noise-tolerance", paramLabel = "SHARE", defaultValue = "0.01",
      description = "Share of relabelled rows accepted as routine corrections (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(names = "--published", description = "The new version comes from a public source (AML.T0019).")
  boolean published;

  @Mixin DataCommand.ReadOptions read;

  @Mixin OutputOptions out;

  @Override
  public Integer call() throws Exception {
    out.validate();
    var err = spec.commandLine().getErr();
    Dataset old;
    Dataset now;
    DiffResult diff;
    try {
      old = read.read(oldFile);
      now = read.read(newFile);
      diff = DatasetDiff.compare(old, now,
          new DatasetDiff.Options(Optional.ofNullable(label), Optional.ofNullable(key), ignore));
    } catch (DatasetReadException e) {
      return DataCommand.ReadOptions.refuse(err, e);
    }
    var oldId = DatasetIdentity.of(oldFile, old.format(), old.rows());
    var newId = DatasetIdentity.of(newFile, now.format(), now.rows());
    Report report = DiffReport.report(diff, oldId, newId, Version.current(),
        published ? Atlas.PUBLISH_POISONED_DATASETS : Atlas.POISON_TRAINING_DATA, tolerance);
    OutputOptions.Extras.Table table = (ps, render) -> {
      DiffReport.printTable(ps, diff, oldId, newId);
      ps.flush();
      ReportWriter.of(ReportFormat.TABLE).write(report.onlySeverities(out.shown()), render, ps);
    };
    return out.emit(report, OutputOptions.Extras.of(root -> DiffReport.addJson(root, diff, oldId, newId), table),
        spec.commandLine().getOut());
  }
}
