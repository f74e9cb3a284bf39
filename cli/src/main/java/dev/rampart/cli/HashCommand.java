package dev.rampart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.integrity.hash.Manifest;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.oms.Statement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart hash PATH}: the OMS manifest and root digest of a model or dataset. */
@Command(name = "hash", mixinStandardHelpOptions = true,
    description = "Prints the OMS v1.0 manifest of a model or dataset (file or folder) and its root digest.")
final class HashCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PATH", description = "A model or dataset: a file or a folder.")
  Path path;

  @Option(names = "--shard-size", paramLabel = "BYTES", description = "Hash files in shards of this size (OMS shards method).")
  Long shardSize;

  @Option(names = "--ignore", paramLabel = "PATH", description = "A relative path to leave out (repeatable).")
  List<String> ignore = new ArrayList<>();

  @Option(names = "--allow-symlinks", description = "Hash the targets of symbolic links instead of refusing them.")
  boolean allowSymlinks;

  @Option(names = {"-f", "--format"}, defaultValue = "table", description = "table or json (the in-toto statement).")
  String format;

  @Option(names = "--threads", description = "Parallel hashing tasks (default: cores).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    var options = ModelHasher.Options.files().withSymlinks(allowSymlinks).withIgnores(ignore);
    if (shardSize != null) {
      options = options.withMethod(Manifest.Method.SHARDS, shardSize);
    }
    if (threads != null) {
      options = options.withThreads(threads);
    }
    Manifest m = ModelHasher.hash(path, options);
    var out = spec.commandLine().getOut();
    if (format.equalsIgnoreCase("json")) {
      out.print(new String(Statement.encode(m, path.toAbsolutePath().normalize().getFileName().toString())));
      out.println();
    } else if (format.equalsIgnoreCase("table")) {
      for (var r : m.resources()) {
        out.println(r.digestHex() + "  " + r.name());
      }
      out.println("sha256:" + m.rootDigest() + "  (" + m.resources().size() + " " + m.method().omsName() + ")");
    } else {
      throw new IllegalArgumentException("unknown format '" + format + "': use table or json");
    }
    out.flush();
    return 0;
  }

  static String json(Object o) throws Exception {
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o);
  }
}
