package dev.rampart.server;

import java.nio.file.Path;

/** The server suite on the embedded H2 database. */
class H2ServerTest extends ServerSuite {
  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0).withH2();
  }
}
