package dev.rampart.server.api;

import static dev.rampart.server.api.Schema.BOOLEAN;
import static dev.rampart.server.api.Schema.INTEGER;
import static dev.rampart.server.api.Schema.STRING;
import static dev.rampart.server.api.Schema.array;
import static dev.rampart.server.api.Schema.nullable;
import static dev.rampart.server.api.Schema.object;
import static dev.rampart.server.api.Schema.of;
import static dev.rampart.server.api.Schema.strings;

import dev.rampart.server.promotion.Rollback;

/**
 * Bodies the services still build as JSON trees rather than records (monitoring), described here; the server suites check every
 * answer they receive against these descriptions, so a field added or renamed in a service fails a test.
 */
final class ModelDocs {
  private ModelDocs() {}

  static final Schema ALERT = object("id", INTEGER, "kind", STRING, "severity", STRING, "features", strings(),
      "event", INTEGER, "ts", nullable(STRING), "detail", STRING, "rolledBack", BOOLEAN, "model?", STRING,
      "version?", INTEGER, "raisedAt?", STRING);

  static final Schema INGESTED = object("model", STRING, "version", INTEGER, "accepted", INTEGER, "malformed", INTEGER,
      "alerts", array(ALERT), "rolledBack", nullable(of(Rollback.class)), "actedOn?", BOOLEAN,
      "rollbackRefused?", STRING);
}
