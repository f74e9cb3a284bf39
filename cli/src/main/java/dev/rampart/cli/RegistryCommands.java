package dev.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.hash.ModelHasher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The client commands that talk to a Rampart server (RAMPART_URL, RAMPART_TOKEN). */
final class RegistryCommands {
  private RegistryCommands() {}

  /** Prints the answer as JSON on success; exits 1 with the server's code and message otherwise. */
  static int print(picocli.CommandLine.Model.CommandSpec spec, Client.Answer a) {
    PrintWriter out = spec.commandLine().getOut();
    if (!a.ok()) {
      spec.commandLine().getErr().println("rampart: " + a.error());
      return a.status() == 400 || a.status() == 404 ? 2 : 1;
    }
    if (a.body() != null) {
      out.println(a.body().toPrettyString());
    }
    out.flush();
    return 0;
  }

  static String digestOf(String digest, Path path) throws Exception {
    if (digest != null) {
      return digest;
    }
    if (path == null) {
      throw new IllegalArgumentException("give --digest or --path");
    }
    return ModelHasher.hash(path, ModelHasher.Options.files()).rootDigest();
  }

  @Command(name = "dataset", mixinStandardHelpOptions = true, description = "Dataset versions in the registry.",
      subcommands = {Dataset.Register.class, Dataset.Affected.class, Dataset.Poisoned.class})
  static final class Dataset {
    @Command(name = "register", mixinStandardHelpOptions = true, description = "Register a dataset version by its OMS digest.")
    static final class Register implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0", paramLabel = "PROJECT") String project;
      @Parameters(index = "1", paramLabel = "DATASET") String dataset;
      @Option(names = "--path", description = "Hash this dataset file or folder.") Path path;
      @Option(names = "--digest", description = "Or give its OMS root digest.") String digest;
      @Option(names = "--uri", description = "Where the data lives.") String uri;

      @Override
      public Integer call() throws Exception {
        var body = new LinkedHashMap<String, Object>();
        body.put("digest", digestOf(digest, path));
        if (uri != null) {
          body.put("uri", uri);
        }
        return print(spec, Client.fromEnvironment().call("POST", Client.projectPath(project, "datasets", dataset, "versions"), body));
      }
    }

    @Command(name = "affected", mixinStandardHelpOptions = true, description = "Everything a dataset version reached.")
    static final class Affected implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0") String project;
      @Parameters(index = "1") String dataset;
      @Parameters(index = "2") int version;

      @Override
      public Integer call() throws Exception {
        return print(spec, Client.fromEnvironment().call("GET",
            Client.projectPath(project, "datasets", dataset, "versions", version, "affected"), null));
      }
    }

    @Command(name = "poisoned", mixinStandardHelpOptions = true, description = "Flag a dataset version as poisoned.")
    static final class Poisoned implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0") String project;
      @Parameters(index = "1") String dataset;
      @Parameters(index = "2") int version;
      @Option(names = "--reason") String reason;

      @Override
      public Integer call() throws Exception {
        return print(spec, Client.fromEnvironment().call("POST",
            Client.projectPath(project, "datasets", dataset, "versions", version, "poisoned"),
            Map.of("reason", reason == null ? "" : reason)));
      }
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Training runs in the registry.",
      subcommands = {Run.Register.class})
  static final class Run {
    @Command(name = "register", mixinStandardHelpOptions = true, description = "Register a training run and its inputs.")
    static final class Register implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0") String project;
      @Parameters(index = "1", paramLabel = "RUN") String name;
      @Option(names = "--commit") String commit;
      @Option(names = "--input", paramLabel = "DATASET:VERSION", description = "A dataset version the run read (repeatable).")
      List<String> inputs = new ArrayList<>();
      @Option(names = "--param", paramLabel = "KEY=VALUE") List<String> params = new ArrayList<>();
      @Option(names = "--metric", paramLabel = "KEY=VALUE") List<String> metrics = new ArrayList<>();

      @Override
      public Integer call() throws Exception {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", name);
        if (commit != null) {
          body.put("codeCommit", commit);
        }
        var in = new ArrayList<Map<String, Object>>();
        for (String i : inputs) {
          int colon = i.lastIndexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException("--input takes DATASET:VERSION, not '" + i + "'");
          }
          in.add(Map.of("dataset", i.substring(0, colon), "version", Integer.parseInt(i.substring(colon + 1))));
        }
        body.put("inputs", in);
        body.put("parameters", pairs(params, "--param"));
        body.put("metrics", pairs(metrics, "--metric"));
        return print(spec, Client.fromEnvironment().call("POST", Client.projectPath(project, "runs"), body));
      }
    }
  }

  static Map<String, Object> pairs(List<String> kvs, String option) {
    var m = new LinkedHashMap<String, Object>();
    for (String kv : kvs) {
      String[] p = ProvenanceCommand.split(kv, option);
      try {
        m.put(p[0], Double.parseDouble(p[1]));
      } catch (NumberFormatException e) {
        m.put(p[0], p[1]);
      }
    }
    return m;
  }

  @Command(name = "model", mixinStandardHelpOptions = true, description = "Model versions in the registry.",
      subcommands = {Model.Upload.class, Model.Show.class, Model.Lineage.class, Model.Evaluate.class})
  static final class Model {
    @Command(name = "upload", mixinStandardHelpOptions = true,
        description = "Upload a model (file or folder); the server scans it and checks its signature, never loading it.")
    static final class Upload implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0") String project;
      @Parameters(index = "1", paramLabel = "MODEL") String model;
      @Parameters(index = "2", paramLabel = "PATH") Path path;
      @Option(names = "--signature", description = "OMS bundle (default: PATH/model.sig when present).") Path signature;
      @Option(names = "--provenance", description = "Signed provenance (rampart provenance create).") Path provenance;
      @Option(names = "--run", description = "The training run that produced it.") String run;

      @Override
      public Integer call() throws Exception {
        var files = new ArrayList<Object[]>();
        if (Files.isDirectory(path)) {
          try (Stream<Path> s = Files.walk(path)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
              String rel = path.relativize(f).toString().replace('\\', '/');
              if (!rel.equals("model.sig") && !rel.startsWith(".git/") && !rel.equals(".git")) {
                files.add(new Object[] {"file", rel, f});
              }
            }
          }
        } else {
          files.add(new Object[] {"file", path.getFileName().toString(), path});
        }
        Path sig = signature != null ? signature : Files.isDirectory(path) && Files.exists(path.resolve("model.sig"))
            ? path.resolve("model.sig") : null;
        if (sig != null) {
          files.add(new Object[] {"signature", "model.sig", sig});
        }
        if (provenance != null) {
          files.add(new Object[] {"provenance", "provenance.json", provenance});
        }
        var fields = new ArrayList<Object[]>();
        if (run != null) {
          fields.add(new Object[] {"run", run});
        }
        return print(spec, Client.fromEnvironment().upload(Client.projectPath(project, "models", model, "versions"), files, fields));
      }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A model version with its scan, signature and evaluations.")
    static final class Show implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0") String project;
      @Parameters(index = "1") String model;
      @Parameters(index = "2") int version;

      @Override
      public Integer call() throws Exception {
        return print(spec, Client.fromEnvironment().call("GET", Client.projectPath(project, "models", model, "versions", version), null));
      }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Record an evaluation of a model version: a signed attestation counts for the gate when its key is"
            + " trusted for the kind; an unsigned result is kept as a claim that can block a gate but never pass one.")
    static final class Evaluate implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0") String project;
      @Parameters(index = "1") String model;
      @Parameters(index = "2") int version;
      @Option(names = "--name", defaultValue = "robustness", description = "Evaluation name (default: ${DEFAULT-VALUE}).")
      String name;
      @Option(names = "--result", paramLabel = "FILE.json",
          description = "An unsigned JSON result (kept as a claim: it can block a gate, never pass one); for a Rampart"
              + " report, its record named like the evaluation is taken.")
      Path result;
      @Option(names = "--attestation", paramLabel = "FILE",
          description = "A signed attestation written by 'rampart eval ... --attest KEY': counts when the key is trusted for it.")
      Path attestation;

      @Override
      public Integer call() throws Exception {
        if ((result == null) == (attestation == null)) {
          throw new IllegalArgumentException("give either --attestation (signed) or --result (an unsigned claim)");
        }
        if (attestation != null) {
          return print(spec, Client.fromEnvironment().call("POST",
              Client.projectPath(project, "models", model, "versions", version, "evaluations"),
              Client.JSON.readTree(attestation.toFile())));
        }
        var json = Client.JSON.readTree(result.toFile());
        var record = json.has(name) && json.get(name).isObject() ? json.get(name) : json;
        var body = new LinkedHashMap<String, Object>();
        body.put("name", name);
        body.put("result", record);
        return print(spec, Client.fromEnvironment().call("POST",
            Client.projectPath(project, "models", model, "versions", version, "evaluations"), body));
      }
    }

    @Command(name = "lineage", mixinStandardHelpOptions = true, description = "Datasets → run → version → deployments.")
    static final class Lineage implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0") String project;
      @Parameters(index = "1") String model;
      @Parameters(index = "2") int version;

      @Override
      public Integer call() throws Exception {
        return print(spec, Client.fromEnvironment().call("GET",
            Client.projectPath(project, "models", model, "versions", version, "lineage"), null));
      }
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Request promotion of a model version to an environment; exit 1 when the gate blocks it.")
  static final class Promote implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0") String project;
    @Parameters(index = "1") String model;
    @Parameters(index = "2") int version;
    @Parameters(index = "3", paramLabel = "ENV") String env;

    @Override
    public Integer call() throws Exception {
      var a = Client.fromEnvironment().call("POST", Client.projectPath(project, "promotions"),
          Map.of("model", model, "version", version, "environment", env));
      int code = print(spec, a);
      return code == 0 && "blocked".equals(a.body().path("status").asText()) ? 1 : code;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve a pending promotion; exit 1 when the gate, deciding again on today's facts, blocks it.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:approved (deployed, or waiting for more approvals), or rejected with --reject",
          "1:the promotion is blocked by the gate, or the server refused", "2:bad input (unknown promotion, bad id)"})
  static final class Approve implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0") String project;
    @Parameters(index = "1", paramLabel = "PROMOTION") long id;
    @Option(names = "--comment") String comment;
    @Option(names = "--reject", description = "Reject instead of approve.") boolean reject;

    @Override
    public Integer call() throws Exception {
      var a = Client.fromEnvironment().call("POST", Client.projectPath(project, "promotions", id, reject ? "reject" : "approve"),
          Map.of("comment", comment == null ? "" : comment));
      int code = print(spec, a);
      // the approval was recorded, but the gate, deciding again, blocked the promotion: that is not a success
      return code == 0 && "blocked".equals(a.body().path("status").asText()) ? 1 : code;
    }
  }

  @Command(name = "admit", mixinStandardHelpOptions = true,
      description = "Ask whether a digest may be loaded in an environment; exit 0 allowed, 1 denied.")
  static final class Admit implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0") String project;
    @Parameters(index = "1", paramLabel = "ENV") String env;
    @Parameters(index = "2", arity = "0..1", paramLabel = "DIGEST") String digest;
    @Option(names = "--path", description = "Hash this model instead of giving its digest.") Path path;
    @Option(names = "--receipt", paramLabel = "FILE",
        description = "Save the answer's audit receipt here (verify it offline with 'rampart audit verify-receipt').")
    Path receipt;

    @Override
    public Integer call() throws Exception {
      var a = Client.fromEnvironment().call("POST", Client.projectPath(project, "environments", env, "admission")
          + (receipt != null ? "?receipt=true" : ""), Map.of("digest", digestOf(digest, path)));
      if (receipt != null && a.ok()) {
        JsonNode r = ((com.fasterxml.jackson.databind.node.ObjectNode) a.body()).remove("receipt");
        if (r == null) {
          spec.commandLine().getErr().println("rampart: the server's answer carries no receipt");
          return 3;
        }
        Files.writeString(receipt, r.toPrettyString() + "\n");
      }
      int code = print(spec, a);
      return code == 0 && !a.body().path("allowed").asBoolean() ? 1 : code;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Roll a deployment back to the model's most recent earlier version that passes the gate now.")
  static final class Rollback implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0") String project;
    @Parameters(index = "1", paramLabel = "ENV") String env;
    @Option(names = "--model", description = "The model whose deployment rolls back (needed when the environment holds several).")
    String model;
    @Option(names = "--reason") String reason;

    @Override
    public Integer call() throws Exception {
      var body = new LinkedHashMap<String, Object>();
      body.put("reason", reason == null ? "" : reason);
      if (model != null) {
        body.put("model", model);
      }
      return print(spec, Client.fromEnvironment().call("POST", Client.projectPath(project, "environments", env, "rollback"), body));
    }
  }

  @Command(name = "attest", mixinStandardHelpOptions = true,
      description = "Submit signed attestations (written by --attest) to the registry; each is verified against the project's"
          + " trust policy and kept beside every earlier one.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:every attestation verified and was recorded",
          "1:an attestation does not verify (untrusted key, key not trusted for its kind, other subject)",
          "2:no such subject or project, or a malformed file"})
  static final class Attest implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PROJECT") String project;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE") List<Path> files;

    @Override
    public Integer call() throws Exception {
      int worst = 0;
      var client = Client.fromEnvironment();
      for (Path f : files) {
        worst = Math.max(worst, print(spec, client.call("POST", Client.projectPath(project, "attestations"),
            Client.JSON.readTree(f.toFile()))));
      }
      return worst;
    }
  }

  @Command(name = "key", mixinStandardHelpOptions = true, description = "The project's trust policy: which keys may attest what.",
      subcommands = {Key.Trust.class, Key.Revoke.class, Key.List.class})
  static final class Key {
    @Command(name = "trust", mixinStandardHelpOptions = true,
        description = "Trust a public key for model signatures and for attesting the given kinds of fact.")
    static final class Trust implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0", paramLabel = "PROJECT") String project;
      @Parameters(index = "1", paramLabel = "NAME") String name;
      @Parameters(index = "2", paramLabel = "KEY.pub") Path publicKey;
      @Option(names = "--may", split = ",", paramLabel = "KIND",
          description = "What the key may attest: scan, dataset-check, robustness, backdoor, llm, provenance.")
      java.util.List<String> may = new ArrayList<>();

      @Override
      public Integer call() throws Exception {
        return print(spec, Client.fromEnvironment().call("POST", Client.projectPath(project, "keys"), Map.of("name", name,
            "publicKeyPem", java.nio.file.Files.readString(publicKey), "predicateTypes", may)));
      }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke a key: its signatures and attestations stop counting at the next gate, admission or rollback.")
    static final class Revoke implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0", paramLabel = "PROJECT") String project;
      @Parameters(index = "1", paramLabel = "NAME") String name;

      @Override
      public Integer call() throws Exception {
        return print(spec, Client.fromEnvironment().call("POST", Client.projectPath(project, "keys", name, "revoke"), Map.of()));
      }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The project's keys and what each may attest.")
    static final class List implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;
      @Parameters(index = "0", paramLabel = "PROJECT") String project;

      @Override
      public Integer call() throws Exception {
        return print(spec, Client.fromEnvironment().call("GET", Client.projectPath(project, "keys"), null));
      }
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true, description = "The server's tamper-evident audit log.",
      subcommands = {Audit.Verify.class, AuditReceipt.class, Audit.Vkey.class, Audit.Witnesses.class})
  static final class Audit {
    @Command(name = "witnesses", mixinStandardHelpOptions = true,
        description = "Which witnesses cosign the audit checkpoints, and whether the served checkpoint lags the log.")
    static final class Witnesses implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() throws Exception {
        return print(spec, Client.fromEnvironment().call("GET", "/api/v1/audit/witnesses", null));
      }
    }

    @Command(name = "vkey", mixinStandardHelpOptions = true,
        description = "Print the audit log's C2SP verifier key, the one a witness is given with --log ORIGIN=VKEY.")
    static final class Vkey implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() throws Exception {
        var a = Client.fromEnvironment().call("GET", "/api/v1/audit/vkey", null);
        if (!a.ok()) {
          return print(spec, a);
        }
        spec.commandLine().getOut().print(a.text());
        spec.commandLine().getOut().flush();
        return 0;
      }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Recompute the audit log against its signed checkpoints; exit 1 when history was rewritten.",
            "With --trusted, also prove that the server's log extends a checkpoint saved earlier (truncation, "
                + "rollback and forks are caught even if the server's own check is subverted)."})
    static final class Verify implements Callable<Integer> {
      @Spec picocli.CommandLine.Model.CommandSpec spec;

      @picocli.CommandLine.Option(names = "--trusted", paramLabel = "CHECKPOINT",
          description = "A checkpoint saved earlier (from GET /api/v1/audit/checkpoint).")
      java.nio.file.Path trusted;

      @picocli.CommandLine.Option(names = "--key", paramLabel = "PEM",
          description = "The audit log's public key saved earlier (default: the server's /api/v1/audit/key).")
      java.nio.file.Path key;

      @picocli.CommandLine.Option(names = "--witness", paramLabel = "VKEY",
          description = "A witness's verifier key: the server's checkpoint must carry its valid cosignature (repeatable).")
      java.util.List<String> witnesses = new java.util.ArrayList<>();

      @picocli.CommandLine.Option(names = "--quorum", paramLabel = "K",
          description = "How many of the --witness keys must have cosigned the checkpoint (default: all of them).")
      Integer quorum;

      @picocli.CommandLine.Option(names = "--state",
          description = "Also recompute the state digest of every registry row the log binds and name each row that differs.")
      boolean state;

      @Override
      public Integer call() throws Exception {
        var client = Client.fromEnvironment();
        var out = spec.commandLine().getOut();
        if (!witnesses.isEmpty() || quorum != null) {
          var keys = witnesses.stream().map(dev.rampart.integrity.log.NoteKey::parse).toList();
          int k = quorum != null ? quorum : keys.size();
          if (k < 1 || k > keys.size()) {
            throw new IllegalArgumentException("--quorum must be between 1 and the " + keys.size() + " --witness keys given");
          }
          var publicKey = key != null ? TrustedCheckpoint.ed25519Pem(java.nio.file.Files.readString(key))
              : TrustedCheckpoint.serverKey(client);
          try {
            var w = TrustedCheckpoint.witnessed(client, publicKey, keys, k);
            out.println("WITNESSED: the server's checkpoint of " + w.checkpoint().size() + " entries is cosigned by "
                + w.cosigners().size() + " of the " + keys.size() + " witnesses given (quorum " + k + "): "
                + String.join(", ", w.cosigners()));
          } catch (dev.rampart.integrity.log.LogException e) {
            out.println("FAILED: " + e.getMessage());
            out.flush();
            return 1;
          }
        }
        if (trusted != null) {
          var publicKey = key != null ? TrustedCheckpoint.ed25519Pem(java.nio.file.Files.readString(key))
              : TrustedCheckpoint.serverKey(client);
          try {
            var ext = TrustedCheckpoint.verify(client, java.nio.file.Files.readString(trusted), publicKey);
            out.println("EXTENDS: the server's log of " + ext.latest().size() + " entries extends the trusted checkpoint of "
                + ext.trusted().size());
          } catch (dev.rampart.integrity.log.LogException e) {
            out.println("FAILED: " + e.getMessage());
            out.flush();
            return 1;
          }
        }
        var a = client.call("GET", "/api/v1/audit/verify", null);
        if (!a.ok()) {
          out.flush();
          return print(spec, a);
        }
        JsonNode b = a.body();
        out.println((b.get("ok").asBoolean() ? "VERIFIED: " : "FAILED: ") + b.get("detail").asText());
        boolean stateOk = !state || AuditReceipt.printState(client, out);
        out.flush();
        return b.get("ok").asBoolean() && stateOk ? 0 : 1;
      }
    }
  }
}
