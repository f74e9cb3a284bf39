package dev.rampart.core.ignore;

import dev.rampart.core.Finding;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One accepted finding: a rule id, optionally limited to path globs and pinned to a file digest, with a mandatory
 * statement and an expiry after which the finding returns.
 */
public record IgnoreEntry(
    String id, List<String> paths, Optional<String> sha256, String statement, LocalDate expires) {

  public IgnoreEntry {
    Objects.requireNonNull(id, "id");
    paths = List.copyOf(paths);
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(expires, "expires");
    if (statement.isBlank()) {
      throw new IllegalArgumentException("ignore entry for " + id + " needs a statement saying why it is accepted");
    }
    sha256 = sha256.map(s -> s.toLowerCase(java.util.Locale.ROOT));
  }

  boolean expired(LocalDate today) {
    return today.isAfter(expires);
  }

  boolean matches(Finding f) {
    if (!f.rule().id().equals(id)) {
      return false;
    }
    if (sha256.isPresent() && !sha256.get().equals(f.fileSha256())) {
      return false;
    }
    if (paths.isEmpty()) {
      return true;
    }
    for (String glob : paths) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      if (m.matches(Path.of(f.location().file())) || m.matches(Path.of(f.location().file()).normalize())) {
        return true;
      }
    }
    return false;
  }
}
