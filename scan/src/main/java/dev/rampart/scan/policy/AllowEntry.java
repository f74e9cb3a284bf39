package dev.rampart.scan.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * A project's own allow-list entry. A reason is mandatory; a sha256 pin limits it to one file's exact content, and
 * only pinned entries may override the deny list.
 *
 * @param global the dotted name, {@code module.qualname}
 */
public record AllowEntry(String global, String reason, Optional<String> sha256) {
  public AllowEntry {
    Objects.requireNonNull(global, "global");
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("allow entry for " + global + " needs a reason");
    }
    if (global.isBlank() || global.contains("*")) {
      throw new IllegalArgumentException("allow entries name one exact global, without wildcards: " + global);
    }
    sha256 = sha256.map(s -> s.toLowerCase(java.util.Locale.ROOT));
    sha256.ifPresent(s -> {
      if (!s.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("sha256 pin for " + global + " is not 64 hex digits");
      }
    });
  }
}
