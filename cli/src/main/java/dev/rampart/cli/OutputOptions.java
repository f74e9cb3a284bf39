package dev.rampart.cli;

import dev.rampart.core.ExitCode;
import dev.rampart.core.Report;
import dev.rampart.core.Severity;
import dev.rampart.core.report.RenderOptions;
import dev.rampart.core.report.ReportFormat;
import dev.rampart.core.report.ReportWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/** The output options every reporting command shares: format, file, severities shown, threshold, terminal. */
final class OutputOptions {
  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "${env:RAMPART_FORMAT:-table}",
      description = "Output format: table, json or sarif (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE instead of stdout.")
  Path output;

  @Option(
      names = {"-s", "--severity"},
      paramLabel = "LIST",
      split = ",",
      description = "Show only these severities (for example CRITICAL,HIGH). The exit code still counts all.")
  Set<String> severities;

  @Option(
      names = "--fail-on",
      paramLabel = "LEVEL",
      defaultValue = "${env:RAMPART_FAIL_ON:-HIGH}",
      description = "Exit 1 when a finding is at or above LEVEL; 'none' only reports (default: ${DEFAULT-VALUE}).")
  String failOn;

  @Option(names = "--show-suppressed", description = "Include findings accepted by the ignore file or baseline.")
  boolean showSuppressed;

  @Option(names = "--no-color", description = "No ANSI colour (NO_COLOR is honoured too).")
  boolean noColor;

  @Option(names = {"-q", "--quiet"}, description = "No progress or summary on stderr.")
  boolean quiet;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  Optional<Severity> threshold() {
    if (failOn.equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    return Optional.of(Severity.parse(failOn));
  }

  ReportFormat reportFormat() {
    return ReportFormat.parse(format);
  }

  /** Validates option values before any work starts, so mistakes cost nothing. */
  void validate() {
    reportFormat();
    threshold();
    shown();
  }

  Set<Severity> shown() {
    if (severities == null || severities.isEmpty()) {
      return EnumSet.allOf(Severity.class);
    }
    var out = EnumSet.noneOf(Severity.class);
    severities.forEach(s -> out.add(Severity.parse(s)));
    return out;
  }

  /** What a command adds to the common report: fields in its JSON, and its own table. */
  interface Extras {
    void json(com.fasterxml.jackson.databind.node.ObjectNode root);

    void table(java.io.PrintStream out, RenderOptions render) throws IOException;

    /** The command's own table. */
    interface Table {
      void print(java.io.PrintStream out, RenderOptions render) throws IOException;
    }

    static Extras of(java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> json, Table table) {
      return new Extras() {
        @Override
        public void json(com.fasterxml.jackson.databind.node.ObjectNode root) {
          json.accept(root);
        }

        @Override
        public void table(java.io.PrintStream out, RenderOptions render) throws IOException {
          table.print(out, render);
        }
      };
    }
  }

  /**
   * Writes a report whose JSON carries the command's extra fields and whose table is the command's own (SARIF is the
   * common one), to {@code -o} or stdout, and returns the exit code it earns.
   */
  int emit(Report report, Extras extras, PrintWriter stdout) throws IOException {
    var render = new RenderOptions(threshold(), showSuppressed, false);
    Report shownReport = report.onlySeverities(shown());
    var buffer = new ByteArrayOutputStream();
    switch (reportFormat()) {
      case JSON -> {
        var root = dev.rampart.core.report.JsonReportWriter.toJson(shownReport, render);
        extras.json(root);
        buffer.write(root.toPrettyString().getBytes(StandardCharsets.UTF_8));
        buffer.write('\n');
      }
      case SARIF -> ReportWriter.of(ReportFormat.SARIF).write(shownReport, render, buffer);
      case TABLE -> {
        var ps = new java.io.PrintStream(buffer, false, StandardCharsets.UTF_8);
        extras.table(ps, render);
        ps.flush();
      }
    }
    write(buffer.toByteArray(), stdout);
    return ExitCode.of(report, threshold()).code();
  }

  /** Writes rendered output to {@code -o} or stdout. */
  private void write(byte[] bytes, PrintWriter stdout) throws IOException {
    if (output != null) {
      try (OutputStream out = Files.newOutputStream(output)) {
        out.write(bytes);
      }
    } else {
      stdout.print(new String(bytes, StandardCharsets.UTF_8));
      stdout.flush();
    }
  }

  /** Writes the report and returns the exit code it earns. */
  int emit(Report report, PrintWriter stdout) throws IOException {
    var format = reportFormat();
    boolean color = format == ReportFormat.TABLE && output == null && Terminal.colorWanted(noColor);
    var render = new RenderOptions(threshold(), showSuppressed, color);
    var buffer = new ByteArrayOutputStream();
    ReportWriter.of(format).write(report.onlySeverities(shown()), render, buffer);
    write(buffer.toByteArray(), stdout);
    return ExitCode.of(report, threshold()).code();
  }
}
