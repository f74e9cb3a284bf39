package dev.rampart.server;

import java.nio.file.Path;

/** Durable monitor state on the embedded H2 database. */
class H2MonitorStateTest extends MonitorStateSuite {
  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0).withH2();
  }
}
