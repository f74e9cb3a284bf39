package dev.rampart.server.auth;

import dev.rampart.server.domain.InvalidInput;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a token may be used for, on top of its owner's roles. */
public enum Scope {
  READ,
  WRITE,
  ADMISSION,
  /** Reporting inference events; only a token bound to an environment may trigger its automatic rollback. */
  TELEMETRY,
  ADMIN;

  /** The scopes that satisfy a route needing {@code needed}: write includes read, admin includes everything. */
  public boolean satisfiedBy(Set<Scope> granted) {
    if (granted.contains(ADMIN)) {
      return true;
    }
    return switch (this) {
      case READ -> granted.contains(READ) || granted.contains(WRITE);
      case WRITE -> granted.contains(WRITE);
      case ADMISSION -> granted.contains(ADMISSION) || granted.contains(WRITE);
      case TELEMETRY -> granted.contains(TELEMETRY) || granted.contains(ADMISSION) || granted.contains(WRITE);
      case ADMIN -> false;
    };
  }

  public static Set<Scope> parse(String csv) {
    var out = EnumSet.noneOf(Scope.class);
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        try {
          out.add(valueOf(s.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new InvalidInput("unknown scope '" + s + "': use read, write, admission, telemetry or admin");
        }
      }
    }
    return out;
  }

  public static String format(Set<Scope> scopes) {
    return String.join(",", scopes.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).sorted().toList());
  }
}
