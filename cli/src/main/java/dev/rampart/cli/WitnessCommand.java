package dev.rampart.cli;

import dev.rampart.integrity.log.NoteKey;
import dev.rampart.integrity.log.NoteSigner;
import dev.rampart.server.witness.Witness;
import dev.rampart.server.witness.WitnessServer;
import dev.rampart.server.witness.WitnessState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart witness}: a C2SP tlog-witness that cosigns the checkpoints of the logs it is told about. */
@Command(name = "witness", mixinStandardHelpOptions = true, subcommands = WitnessCommand.Keygen.class,
    description = {"Run a transparency-log witness (C2SP tlog-witness): it cosigns a log's checkpoint only when the"
        + " log signed it and it extends the last one the witness cosigned, and it never cosigns a fork or a smaller tree.",
        "Its state (the latest cosigned checkpoint of each log) is written durably before any answer."})
final class WitnessCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--key", paramLabel = "KEY",
      description = "The witness's signer key file (from 'rampart witness keygen').")
  Path key;

  @Option(names = "--state", paramLabel = "DIR", description = "Where the witness keeps its state.")
  Path state;

  @Option(names = "--log", paramLabel = "ORIGIN=VKEY",
      description = "A log to witness: its origin and its checkpoint verifier key (repeatable).")
  List<String> logs = new ArrayList<>();

  @Option(names = "--port", defaultValue = "8090", description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Override
  public Integer call() throws Exception {
    // checked here, not by picocli: 'witness keygen' must not need the options of the witness itself
    if (key == null || state == null || logs.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "rampart witness needs --key KEY, --state DIR and at least one --log ORIGIN=VKEY");
    }
    var signer = NoteSigner.parse(Files.readString(key, StandardCharsets.UTF_8));
    Map<String, List<NoteKey>> known = new LinkedHashMap<>();
    for (String log : logs) {
      int eq = log.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--log is ORIGIN=VKEY, not " + log);
      }
      var vkey = NoteKey.parse(log.substring(eq + 1));
      if (vkey.type() != NoteKey.ED25519) {
        throw new IllegalArgumentException("the key of " + log.substring(0, eq) + " is not a log's Ed25519 note key");
      }
      known.computeIfAbsent(log.substring(0, eq), o -> new ArrayList<>()).add(vkey);
    }
    var witness = new Witness(signer, known, new WitnessState(state), Clock.systemUTC());
    var server = WitnessServer.start(witness, bind, port);
    var err = spec.commandLine().getErr();
    err.println("rampart: witness " + signer.name() + " serving on http://" + bind + ":" + server.port()
        + " (POST /add-checkpoint) for " + String.join(", ", known.keySet()));
    err.println("rampart: witness verifier key: " + witness.verifierKey().vkey());
    err.flush();
    var stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stop.countDown();
    }));
    stop.await();
    return 0;
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = "Create a witness signing key (file mode 0600, never overwritten) and print its verifier key.")
  static final class Keygen implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The witness's name, e.g. witness.example.com/w1.")
    String name;

    @Option(names = {"--out", "-o"}, required = true, paramLabel = "FILE", description = "The signer key file to create.")
    Path out;

    @Override
    public Integer call() throws Exception {
      var signer = NoteSigner.generate(name);
      try {
        Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(out);
      }
      Files.writeString(out, signer.skey() + "\n", StandardCharsets.UTF_8);
      String vkey = signer.key(NoteKey.COSIGNATURE_V1).vkey();
      var o = spec.commandLine().getOut();
      o.println("witness key: " + out + " (keep it secret)");
      o.println("verifier key (give it to the log and to clients):");
      o.println();
      o.println("  export RAMPART_WITNESS_VKEY=" + vkey);
      o.println();
      o.flush();
      return 0;
    }
  }
}
