package dev.rampart.server;

import dev.rampart.server.store.Database;
import java.nio.file.Path;

/** Direct edits of registry rows on the embedded H2 database. */
class H2StateTamperTest extends StateTamperSuite {
  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0).withH2();
  }

  @Override
  Database openStopped(Path dataDir) {
    return Database.h2(dataDir);
  }
}
