package dev.rampart.cli;

import dev.rampart.core.ExitCode;
import dev.rampart.core.Report;
import dev.rampart.data.io.Dataset;
import dev.rampart.data.io.DatasetReadException;
import dev.rampart.data.monitor.BoundedLines;
import dev.rampart.data.monitor.Profiler;
import dev.rampart.data.monitor.ReferenceProfile;
import dev.rampart.data.monitor.WatchResult;
import dev.rampart.data.monitor.Watcher;
import dev.rampart.data.report.DatasetIdentity;
import dev.rampart.data.report.WatchPage;
import dev.rampart.data.report.WatchReport;
import dev.rampart.scan.Version;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

/** {@code rampart monitor profile|watch}: what a deployed model sees and says, against its reference. */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = "Profile a model's reference data, then watch its inference events for drift, faults and decay.",
    subcommands = {MonitorCommand.Profile.class, MonitorCommand.Watch.class})
final class MonitorCommand {

  @Command(name = "profile", mixinStandardHelpOptions = true,
      description = {
        "Build a reference profile (feature sketches, class prior, prediction distribution, reference accuracy and "
            + "calibration) from the data a model was validated on. The profile holds sketches, never raw rows."
      })
  static final class Profile implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "Reference data: CSV, TSV, JSONL or Parquet.")
    Path file;

    @Option(names = {"-l", "--label"}, required = true, paramLabel = "COLUMN", description = "The label column.")
    String label;

    @Option(names = "--prediction", paramLabel = "COLUMN", description = "The model's predicted class, if scored.")
    String prediction;

    @Option(names = "--model", paramLabel = "MODEL.onnx",
        description = "Score the reference with this ONNX classifier instead of reading --prediction and "
            + "--probability; its input takes the feature columns in file order.")
    Path model;

    @Option(names = "--probability", paramLabel = "COLUMN",
        description = "The model's probability for its predicted class; enables accuracy estimation without labels.")
    String probability;

    @Option(names = "--ignore", split = ",", paramLabel = "COLUMNS", description = "Columns that are not features.")
    List<String> ignore = List.of();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the profile.")
    Path output;

    @Mixin DataCommand.ReadOptions read;

    @Override
    public Integer call() throws Exception {
      var err = spec.commandLine().getErr();
      Dataset data;
      ReferenceProfile profile;
      if (model != null && (prediction != null || probability != null)) {
        throw new IllegalArgumentException("--model scores the reference itself; leave out --prediction and --probability");
      }
      try {
        data = read.read(file);
        String digest = DatasetIdentity.omsDigest(file);
        if (model != null) {
          data = Scoring.withPredictions(data, label, ignore, model);
          prediction = Scoring.PREDICTION;
          probability = Scoring.CONFIDENCE;
        }
        var notes = new java.util.ArrayList<String>();
        profile = Profiler.profile(data, new Profiler.Options(label, Optional.ofNullable(prediction),
            Optional.ofNullable(probability), ignore), digest, notes);
        notes.forEach(note -> err.println("rampart: " + note));
      } catch (DatasetReadException e) {
        return DataCommand.ReadOptions.refuse(err, e);
      }
      profile.write(output);
      var out = spec.commandLine().getOut();
      out.printf("%s: %d features from %d rows%s%s; profile %s%n", output, profile.features().size(), profile.rows(),
          profile.performance().map(p -> String.format(java.util.Locale.ROOT, ", reference accuracy %.3f",
              p.accuracy())).orElse(""),
          profile.reconstruction().map(r -> String.format(java.util.Locale.ROOT,
              ", multivariate drift over %d features (%d axes keep %.0f %% of the variance)", r.features().size(),
              r.components().length, 100 * r.explained())).orElse(""), profile.digest());
      out.flush();
      return ExitCode.OK.code();
    }
  }

  @Command(name = "watch", mixinStandardHelpOptions = true,
      description = {
        "Watch inference events (JSON lines: ts, features, prediction, probability, optional label; a line with "
            + "only id and label is a late label) from a file or '-' for stdin. Prints the alerts; -f json gives the "
            + "timeline, --report writes an HTML page with plots."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:no alert at or above --fail-on",
        "1:alerts at or above --fail-on (HIGH by default: pipeline faults and accuracy drops)",
        "2:usage error, or an unreadable profile",
        "3:no usable event in the stream"
      })
  static final class Watch implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** Rotated logs are usually gzipped: such a file is read as the lines it holds (by its magic, not its name). */
    static InputStream eventStream(Path path) throws java.io.IOException {
      var in = new java.io.BufferedInputStream(Files.newInputStream(path));
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      return b0 == 0x1f && b1 == 0x8b ? new java.util.zip.GZIPInputStream(in, 1 << 16) : in;
    }

    @Parameters(index = "0", paramLabel = "EVENTS", description = "A JSON-lines file (gzip too), or - for stdin.")
    String events;

    @Option(names = "--profile", required = true, paramLabel = "FILE", description = "From 'rampart monitor profile'.")
    Path profileFile;

    @Option(names = "--window", defaultValue = "1000", description = "Events per window (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--label-window", defaultValue = "1000",
        description = "Labelled events per accuracy measurement (default: ${DEFAULT-VALUE}).")
    int labelWindow;

    @Option(names = "--confirm", defaultValue = "2",
        description = "Consecutive windows a drift must hold before it alerts (default: ${DEFAULT-VALUE}).")
    int confirm;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Also write an HTML report with plots.")
    Path report;

    @Option(names = "--max-line-bytes", defaultValue = "1048576",
        description = "Longer lines are counted as malformed (default: ${DEFAULT-VALUE}).")
    int maxLine;

    @Mixin OutputOptions out;

    @Override
    public Integer call() throws Exception {
      out.validate();
      if (!Files.exists(profileFile)) {
        throw new NoSuchFileException(profileFile.toString());
      }
      ReferenceProfile profile;
      try {
        profile = ReferenceProfile.read(profileFile);
      } catch (java.io.IOException e) {
        spec.commandLine().getErr().println("rampart: " + e.getMessage());
        return ExitCode.USAGE.code();
      }
      var defaults = Watcher.Options.defaults();
      var options = new Watcher.Options(window, defaults.alpha(), confirm, defaults.clear(), labelWindow,
          defaults.maxPending(), defaults.maxWindows());
      var watcher = new Watcher(profile, options);
      if (events.equals("-")) {
        BoundedLines.read(System.in, maxLine, watcher::accept);
      } else {
        Path path = Path.of(events);
        if (!Files.exists(path)) {
          throw new NoSuchFileException(events);
        }
        try (InputStream in = eventStream(path)) {
          BoundedLines.read(in, maxLine, watcher::accept);
        }
      }
      WatchResult result = watcher.finish();
      Report rep = WatchReport.report(result, events, Version.current());
      if (report != null) {
        Files.writeString(report, WatchPage.html(result, events));
      }
      OutputOptions.Extras.Table table = (ps, render) -> {
        WatchReport.printTable(ps, result, events);
        ps.printf("%s: %d alert(s)%n", DataCommand.verdictWord(rep, render), result.alerts().size());
      };
      return out.emit(rep, OutputOptions.Extras.of(root -> WatchReport.addJson(root, result), table),
          spec.commandLine().getOut());
    }
  }
}
