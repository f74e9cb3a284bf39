package dev.rampart.cli;

import dev.rampart.core.ExitCode;
import dev.rampart.core.ignore.IgnoreFile;
import dev.rampart.scan.policy.ProjectConfig;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** Turns failures into one clear line on stderr, with what to do next, and the right exit code. No stack traces. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
    var err = cl.getErr();
    switch (ex) {
      case NoSuchFileException e -> {
        err.println("rampart: " + e.getFile() + ": no such file or directory");
        err.println("Check the path; give files or directories to scan, for example: rampart scan ./models");
        return ExitCode.USAGE.code();
      }
      case AccessDeniedException e -> {
        err.println("rampart: " + e.getFile() + ": permission denied");
        return ExitCode.USAGE.code();
      }
      case IgnoreFile.InvalidIgnoreFileException e -> {
        err.println("rampart: invalid ignore file: " + e.getMessage());
        err.println("Each entry needs id, statement and expires; see docs/ignore-file.md");
        return ExitCode.USAGE.code();
      }
      case ProjectConfig.InvalidConfigException e -> {
        err.println("rampart: invalid configuration: " + e.getMessage());
        return ExitCode.USAGE.code();
      }
      case java.nio.file.FileAlreadyExistsException e -> {
        err.println("rampart: " + e.getFile() + " already exists; refusing to overwrite it");
        return ExitCode.USAGE.code();
      }
      case dev.rampart.integrity.log.LogException e -> {
        err.println("rampart: " + e.getMessage());
        return ExitCode.FINDINGS.code();
      }
      case dev.rampart.integrity.sign.VerificationException e -> {
        err.println("rampart: verification failed: " + e.getMessage());
        return ExitCode.FINDINGS.code();
      }
      case IllegalArgumentException e -> {
        err.println("rampart: " + e.getMessage());
        return ExitCode.USAGE.code();
      }
      case io.javalin.util.JavalinBindException e -> {
        var port = java.util.regex.Pattern.compile("port (\\d+)").matcher(String.valueOf(e.getMessage()));
        err.println("rampart: " + (port.find() ? "port " + port.group(1) : "the port") + " is already in use; stop "
            + "what listens there, or pick another port with --port");
        return ExitCode.USAGE.code();
      }
      case dev.rampart.eval.llm.ProbeSets.InvalidProbeFile e -> {
        err.println("rampart: " + e.getMessage());
        return ExitCode.USAGE.code();
      }
      case dev.rampart.eval.io.NpyArray.Unreadable e -> {
        err.println("rampart: " + e.getMessage());
        return ExitCode.INCOMPLETE.code();
      }
      default -> {
        err.println("rampart: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
        err.println("This is a bug in Rampart if the input was readable; rerun with --debug and report it.");
        if (System.getenv("RAMPART_DEBUG") != null) {
          ex.printStackTrace(err);
        }
        return ExitCode.INCOMPLETE.code();
      }
    }
  }
}
