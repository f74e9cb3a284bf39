package dev.rampart.server;

import java.nio.file.Path;

/** The workflow attacks on the embedded H2 database. */
class H2WorkflowAttackTest extends WorkflowAttackSuite {
  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0).withH2();
  }
}
