package dev.rampart.server;

import dev.rampart.server.store.Database;
import java.nio.file.Path;

/** Direct edits of registry rows on the default store, PostgreSQL run in the data folder. */
class EmbeddedPostgresStateTamperTest extends StateTamperSuite {
  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0);
  }

  @Override
  Database openStopped(Path dataDir) {
    return Database.embeddedPostgres(dataDir);
  }
}
