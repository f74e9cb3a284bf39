package dev.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.attest.Attestation;
import dev.rampart.integrity.attest.PredicateType;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.sign.SigningKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --attest KEY}: also sign the result as an in-toto Statement v1 about the evaluated model or checked dataset,
 * in the bundle format the server verifies. The server counts it only when the project trusts the key for this kind.
 */
final class AttestOptions {
  @Option(names = "--attest", paramLabel = "KEY.pem",
      description = "Also write the result as an attestation signed with this EC private key (submit it with 'rampart attest').")
  Path key;

  @Option(names = "--attest-subject", paramLabel = "PATH|sha256:DIGEST",
      description = "What the attestation is about: the model or dataset folder as registered, or its digest"
          + " (default: the evaluated file).")
  String subject;

  @Option(names = "--attestation", paramLabel = "FILE",
      description = "Where to write the attestation (default: <subject>.<kind>.intoto.json).")
  Path output;

  boolean wanted() {
    return key != null;
  }

  /** Checks the options before any work: a subject must be known, and the key must be readable. */
  void validate(Path evaluated) throws IOException {
    if (key == null) {
      return;
    }
    if (subject == null && evaluated == null) {
      throw new IllegalArgumentException("--attest needs --attest-subject (the model folder as registered, or sha256:DIGEST)");
    }
    SigningKey.read(key);
  }

  /** Signs {@code predicate} about the subject and writes the bundle; returns where it went. */
  Path write(PredicateType type, Path evaluated, JsonNode predicate, PrintWriter err) throws IOException {
    String name;
    String digest;
    if (subject != null && subject.startsWith("sha256:")) {
      digest = subject.substring(7);
      if (!digest.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("--attest-subject sha256: needs 64 lower-case hex digits");
      }
      name = digest.substring(0, 12);
    } else {
      Path p = subject != null ? Path.of(subject) : evaluated;
      digest = ModelHasher.hash(p, ModelHasher.Options.files()).rootDigest();
      name = p.toAbsolutePath().normalize().getFileName().toString();
    }
    var bundle = Attestation.sign(name, digest, type, predicate, SigningKey.read(key));
    Path out = output != null ? output : Path.of(name + "." + type.shortName() + ".intoto.json");
    Files.write(out, bundle.toJson());
    err.printf("attestation (%s about sha256:%s) written to %s%n", type.shortName(), digest, out);
    err.flush();
    return out;
  }
}
