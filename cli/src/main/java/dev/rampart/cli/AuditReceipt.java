package dev.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.log.LogException;
import dev.rampart.integrity.log.Receipt;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart audit verify-receipt}: checks an admission receipt offline, with the log's public key only. */
@Command(name = "verify-receipt", mixinStandardHelpOptions = true,
    description = {"Verify an audit receipt (from 'rampart admit --receipt') offline: the checkpoint's signature under the"
        + " log's key, and the inclusion proof of the entry in that checkpoint's tree. No server is contacted."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the receipt verifies", "1:it does not (altered entry, index, proof or checkpoint, or another key)",
        "2:the receipt or key cannot be read"})
final class AuditReceipt implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Parameters(index = "0", paramLabel = "FILE") Path file;

  @Option(names = "--log-key", required = true, paramLabel = "PEM",
      description = "The audit log's Ed25519 public key, saved earlier from GET /api/v1/audit/key.")
  Path logKey;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    Receipt receipt;
    java.security.PublicKey key;
    try {
      key = TrustedCheckpoint.ed25519Pem(Files.readString(logKey));
      receipt = Receipt.parse(Files.readAllBytes(file));
    } catch (IOException | LogException e) {
      spec.commandLine().getErr().println("rampart: cannot read the receipt or key: " + e.getMessage());
      return 2;
    }
    try {
      var v = receipt.verify(key);
      JsonNode e = v.entry();
      out.println("VERIFIED: entry " + receipt.index() + " of " + v.checkpoint().origin() + " is in its signed checkpoint of "
          + v.checkpoint().size() + " entries");
      out.println("  " + e.path("type").asText() + " " + e.path("project").asText() + "/" + e.path("environment").asText()
          + " sha256:" + e.path("digest").asText() + " at " + e.path("time").asText() + " for " + e.path("actor").asText());
      out.println("  reason: " + e.path("reason").asText());
      out.flush();
      return 0;
    } catch (LogException e) {
      out.println("FAILED: " + e.getMessage());
      out.flush();
      return 1;
    }
  }

  /** Prints the server's state verification; true when every bound row matches its latest log entry. */
  static boolean printState(Client client, PrintWriter out) throws IOException {
    var a = client.call("GET", "/api/v1/audit/verify-state", null);
    if (!a.ok()) {
      out.println("FAILED: the server did not verify its state: " + a.error());
      return false;
    }
    JsonNode b = a.body();
    if (b.get("ok").asBoolean()) {
      out.println("STATE VERIFIED: every registry row matches its latest log entry (" + b.get("keys").asInt() + " keys bound)");
      return true;
    }
    out.println("STATE FAILED: " + b.get("detail").size() + " difference(s) between the registry and the log");
    b.get("detail").forEach(d -> out.println("  " + d.asText()));
    return false;
  }
}
