package dev.rampart.server.auth;

import dev.rampart.server.domain.InvalidInput;
import java.util.Locale;

/** Roles per project, each including the ones below it. */
public enum Role {
  VIEWER,
  CONTRIBUTOR,
  APPROVER,
  ADMIN;

  public boolean includes(Role other) {
    return ordinal() >= other.ordinal();
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidInput(
          "role must be viewer, contributor, approver or admin");
    }
  }
}
