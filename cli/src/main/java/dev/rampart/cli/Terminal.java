package dev.rampart.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the process is attached to: decides colour and progress output. */
final class Terminal {
  private Terminal() {}

  /** True when file descriptor {@code fd} (1 stdout, 2 stderr) is a terminal. */
  static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  static boolean colorWanted(boolean noColorFlag) {
    if (noColorFlag || System.getenv("NO_COLOR") != null && !System.getenv("NO_COLOR").isEmpty()) {
      return false;
    }
    String force = System.getenv("CLICOLOR_FORCE");
    if (force != null && !force.isEmpty() && !force.equals("0")) {
      return true;
    }
    return isTerminal(1) && !"dumb".equals(System.getenv("TERM"));
  }

  static boolean progressWanted(boolean quiet, boolean noProgress) {
    return !quiet && !noProgress && !"true".equalsIgnoreCase(System.getenv("CI")) && isTerminal(2);
  }
}
