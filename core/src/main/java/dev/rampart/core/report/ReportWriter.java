package dev.rampart.core.report;

import dev.rampart.core.Report;
import java.io.IOException;
import java.io.OutputStream;

/** Renders a report in one format. */
public sealed interface ReportWriter permits TableReportWriter, JsonReportWriter, SarifReportWriter {

  void write(Report report, RenderOptions options, OutputStream out) throws IOException;

  static ReportWriter of(ReportFormat format) {
    return switch (format) {
      case TABLE -> new TableReportWriter();
      case JSON -> new JsonReportWriter();
      case SARIF -> new SarifReportWriter();
    };
  }
}
