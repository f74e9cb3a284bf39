package dev.rampart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.LogException;
import dev.rampart.integrity.log.Merkle;
import dev.rampart.integrity.log.TransparencyLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart log append|prove|verify|repair}: the append-only transparency log. */
@Command(name = "log", mixinStandardHelpOptions = true,
    description = "An append-only Merkle-tree log (RFC 9162) with signed C2SP checkpoints, stored crash-safely.",
    subcommands = {LogCommand.Append.class, LogCommand.Prove.class, LogCommand.Verify.class, LogCommand.Repair.class})
final class LogCommand {
  static final ObjectMapper JSON = new ObjectMapper();

  abstract static class LogOptions {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--log", required = true, paramLabel = "DIR", description = "The log folder (created on first append).")
    Path dir;

    @Option(names = "--origin", defaultValue = "rampart.local/log", paramLabel = "NAME",
        description = "Name in checkpoints (default: ${DEFAULT-VALUE}).")
    String origin;

    void print(ObjectNode node) throws Exception {
      spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      spec.commandLine().getOut().flush();
    }

    static List<String> b64(List<byte[]> hashes) {
      return hashes.stream().map(h -> Base64.getEncoder().encodeToString(h)).toList();
    }
  }

  @Command(name = "append", mixinStandardHelpOptions = true,
      description = "Appends an entry (a file, or - for stdin); prints its index, inclusion proof and the new signed checkpoint.")
  static final class Append extends LogOptions implements Callable<Integer> {
    @Parameters(paramLabel = "FILE|-") String file;

    @Override
    public Integer call() throws Exception {
      byte[] entry = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
      try (var log = TransparencyLog.open(dir, origin)) {
        long index = log.append(entry);
        String checkpoint = log.publishCheckpoint();
        var node = JSON.createObjectNode();
        node.put("index", index);
        node.put("leafHash", Base64.getEncoder().encodeToString(log.leafHash(index)));
        node.put("treeSize", log.size());
        var proof = node.putArray("inclusionProof");
        b64(log.inclusionProof(index, log.size())).forEach(proof::add);
        node.put("checkpoint", checkpoint);
        print(node);
      }
      return 0;
    }
  }

  @Command(name = "prove", mixinStandardHelpOptions = true,
      description = "Prints an inclusion proof (--index) or a consistency proof (--from) against a tree size.")
  static final class Prove extends LogOptions implements Callable<Integer> {
    @Option(names = "--index", description = "Prove that this entry is in the tree.") Long index;

    @Option(names = "--from", description = "Prove that the tree of this size is a prefix of the current one.") Long from;

    @Option(names = "--size", description = "Tree size to prove against (default: the current size).") Long size;

    @Override
    public Integer call() throws Exception {
      if ((index == null) == (from == null)) {
        throw new IllegalArgumentException("give exactly one of --index N or --from M");
      }
      try (var log = TransparencyLog.open(dir, origin)) {
        long n = size == null ? log.size() : size;
        if (n > log.size()) {
          throw new IllegalArgumentException("the log holds " + log.size() + " entries, not " + n);
        }
        var node = JSON.createObjectNode();
        node.put("treeSize", n);
        node.put("rootHash", Base64.getEncoder().encodeToString(log.range(0, n)));
        if (index != null) {
          node.put("index", index);
          node.put("leafHash", Base64.getEncoder().encodeToString(log.leafHash(index)));
          var proof = node.putArray("inclusionProof");
          b64(log.inclusionProof(index, n)).forEach(proof::add);
        } else {
          node.put("fromSize", from);
          node.put("fromRootHash", Base64.getEncoder().encodeToString(log.range(0, from)));
          var proof = node.putArray("consistencyProof");
          b64(log.consistencyProof(from, n)).forEach(proof::add);
        }
        print(node);
      }
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Recomputes the whole log and checks it against its signed checkpoint without changing anything; "
              + "exit 1 when an entry was modified (named by index) or history was rewritten or cut."})
  static final class Verify extends LogOptions implements Callable<Integer> {
    @Option(names = "--checkpoint", paramLabel = "FILE",
        description = "A checkpoint saved earlier: the log must still extend it (consistency proof).")
    Path saved;

    @Override
    public Integer call() throws Exception {
      if (!Files.exists(dir.resolve("entries"))) {
        throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no log here");
      }
      var o = spec.commandLine().getOut();
      try {
        // read-only: verification never changes what it verifies
        var v = TransparencyLog.verifyReadOnly(dir, origin);
        var tree = Merkle.inMemory(v.leafHashes());
        if (saved != null) {
          Checkpoint old = Checkpoint.verify(Files.readString(saved), origin, dev.rampart.integrity.log.LogKeys.loadPublic(dir));
          if (old.size() > v.entries() || !Merkle.verifyConsistency(old.size(), v.entries(),
              Merkle.consistencyProof(tree, old.size(), v.entries()), old.root(), tree.range(0, v.entries()))) {
            throw new LogException.Tampered(-1, "the log does not extend the saved checkpoint of " + old.size() + " entries");
          }
        }
        o.println("VERIFIED: " + v.entries() + " entries; signed checkpoint covers " + v.checkpoint().size());
        v.tornTail().ifPresent(t -> o.println("TORN-TAIL: " + t));
        o.flush();
        return 0;
      } catch (LogException.Tampered | LogException.BadCheckpoint e) {
        o.println("FAILED: " + e.getMessage());
        o.println("LOG-TAMPERED " + dev.rampart.integrity.IntegrityRules.LOG_TAMPERED.technique());
        o.flush();
        return 1;
      }
    }
  }

  @Command(name = "repair", mixinStandardHelpOptions = true,
      description = {"Removes a torn last record left by a crash, if it was never acknowledged; a modified entry is "
              + "reported (exit 1) and never removed."})
  static final class Repair extends LogOptions implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      if (!Files.exists(dir.resolve("entries"))) {
        throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no log here");
      }
      var o = spec.commandLine().getOut();
      try (var log = TransparencyLog.repair(dir, origin)) {
        if (log.repairs().isEmpty()) {
          o.println("NOTHING TO REPAIR: " + log.size() + " entries");
        }
        log.repairs().forEach(r -> o.println("REPAIRED: " + r));
        o.flush();
        return 0;
      } catch (LogException.Tampered e) {
        o.println("FAILED: " + e.getMessage());
        o.println("LOG-TAMPERED " + dev.rampart.integrity.IntegrityRules.LOG_TAMPERED.technique());
        o.flush();
        return 1;
      }
    }
  }
}
