package dev.rampart.server.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A stable error code: the wire name of one reason of one kind of {@link RampartException}. */
public sealed interface Code permits NotFound.Reason, InvalidInput.Reason, Unauthorized.Reason, Forbidden.Reason,
    Conflict.Reason, PolicyBlocked.Reason, Unverified.Reason, TooLarge.Reason, Unavailable.Reason, Code.Internal {
  String name();

  /** The code as clients see it: lower case with underscores, e.g. {@code separation_of_duties}. */
  default String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What is reported when something failed that no refusal describes (a bug, a lost database). */
  enum Internal implements Code {
    INTERNAL_ERROR
  }

  /** Every code a client can meet, for the API description. */
  static List<Code> all() {
    var all = new ArrayList<Code>();
    all.addAll(List.of(Unauthorized.Reason.values()));
    all.addAll(List.of(Forbidden.Reason.values()));
    all.addAll(List.of(NotFound.Reason.values()));
    all.addAll(List.of(InvalidInput.Reason.values()));
    all.addAll(List.of(Unverified.Reason.values()));
    all.addAll(List.of(TooLarge.Reason.values()));
    all.addAll(List.of(Conflict.Reason.values()));
    all.addAll(List.of(PolicyBlocked.Reason.values()));
    all.addAll(List.of(Internal.values()));
    all.addAll(List.of(Unavailable.Reason.values()));
    return List.copyOf(all);
  }
}
