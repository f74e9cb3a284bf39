package dev.rampart.core.report;

import dev.rampart.core.Severity;
import java.util.Optional;

/**
 * How to render a report.
 *
 * @param failOn the threshold the verdict is computed against; empty means report-only
 * @param showSuppressed include findings that an ignore entry accepted
 * @param color use ANSI colour (table only)
 */
public record RenderOptions(Optional<Severity> failOn, boolean showSuppressed, boolean color) {
  public static RenderOptions defaults() {
    return new RenderOptions(Optional.of(Severity.HIGH), false, false);
  }
}
