package dev.rampart.cli;

import dev.rampart.core.ExitCode;
import dev.rampart.core.ignore.IgnoreFile;
import dev.rampart.scan.policy.ProjectConfig;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr, with what to do next for the command that failed, and the right exit
 * code. Stack traces only with {@code --debug} or {@code RAMPART_DEBUG}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
    var err = cl.getErr();
    int code = report(unwrap(ex), cl.getCommandSpec().qualifiedName(), err);
    if (debug(parseResult.originalArgs().toArray(String[]::new))) {
      ex.printStackTrace(err);
    }
    return code;
  }

  /** True when the user asked for stack traces. */
  static boolean debug(String[] args) {
    return Arrays.asList(args).contains("--debug") || System.getenv("RAMPART_DEBUG") != null;
  }

  /** For errors that escape picocli's handler (a missing class, an out-of-memory): still one line and exit 3. */
  static int unexpected(Throwable t, String[] args, PrintWriter err) {
    err.println("rampart: internal error: " + t);
    err.println(debug(args)
        ? "Stack trace follows; please report it with the command you ran."
        : "This is a bug in Rampart; rerun the same command with --debug and report its output.");
    if (debug(args)) {
      t.printStackTrace(err);
    }
    err.flush();
    return ExitCode.INCOMPLETE.code();
  }

  private static Exception unwrap(Exception ex) {
    if (ex instanceof UncheckedIOException u) {
      return u.getCause();
    }
    return ex;
  }

  private static int report(Exception ex, String command, PrintWriter err) {
    switch (ex) {
      case NoSuchFileException e -> {
        err.println("rampart: " + e.getFile() + ": no such file or directory");
        err.println(pathHint(command));
        return ExitCode.USAGE.code();
      }
      case FileNotFoundException e -> {
        err.println("rampart: " + e.getMessage());
        err.println(pathHint(command));
        return ExitCode.USAGE.code();
      }
      case NotDirectoryException e -> {
        err.println("rampart: " + e.getFile() + ": not a directory");
        err.println(pathHint(command));
        return ExitCode.USAGE.code();
      }
      case AccessDeniedException e -> {
        err.println("rampart: " + e.getFile() + ": permission denied");
        err.println("Check the file's permissions, or run '" + command + "' as a user who may read and write it.");
        return ExitCode.USAGE.code();
      }
      case IgnoreFile.InvalidIgnoreFileException e -> {
        err.println("rampart: invalid ignore file: " + e.getMessage());
        err.println("Each entry needs id, statement and expires; see docs/ignore-file.md");
        return ExitCode.USAGE.code();
      }
      case ProjectConfig.InvalidConfigException e -> {
        err.println("rampart: invalid configuration: " + e.getMessage());
        err.println("Fix the file it names, or move it aside to use the defaults.");
        return ExitCode.USAGE.code();
      }
      case FileAlreadyExistsException e -> {
        err.println("rampart: " + e.getFile() + " already exists; refusing to overwrite it");
        err.println("Choose another output path, or remove the file first if you mean to replace it.");
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
        err.println("Run '" + command + " --help' for usage.");
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
        err.println("This is a bug in Rampart if the input was readable; rerun the same command with --debug and "
            + "report its output.");
        return ExitCode.INCOMPLETE.code();
      }
    }
  }

  /** What to do about a bad path, in the words of the command that was given it. */
  static String pathHint(String command) {
    String verb = command.startsWith("rampart ") ? command.substring("rampart ".length()) : command;
    return switch (verb) {
      case "scan" -> "Check the path; give files or directories to scan, for example: rampart scan ./models";
      case "discover" -> "Check the path; give directories to inventory, for example: rampart discover /srv/models";
      case "keygen" -> "Check the output path: its directory must exist, for example: rampart keygen -o keys/release.pem";
      default -> "Check the path; '" + command + " --help' lists what each argument and option expects.";
    };
  }
}
