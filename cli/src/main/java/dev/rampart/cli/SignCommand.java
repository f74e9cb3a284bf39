package dev.rampart.cli;

import dev.rampart.integrity.hash.Manifest;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.sign.ModelSigner;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart sign PATH --key KEY}: an OMS v1.0 signature bundle. */
@Command(name = "sign", mixinStandardHelpOptions = true,
    description = "Signs a model or dataset (file or folder) into an OpenSSF Model Signing v1.0 bundle.")
final class SignCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PATH", description = "The model: a file or a folder.")
  Path path;

  @Option(names = "--key", required = true, paramLabel = "KEY.pem", description = "EC private key (rampart keygen).")
  Path key;

  @Option(names = "--cert-chain", paramLabel = "CHAIN.pem",
      description = "Sign with a certificate: the signing certificate first, then intermediates.")
  Path certChain;

  @Option(names = {"-o", "--signature"}, paramLabel = "SIG",
      description = "Where to write the bundle (default: model.sig inside a folder, PATH.sig next to a file).")
  Path signature;

  @Option(names = "--shard-size", paramLabel = "BYTES", description = "Use the OMS shards method with this shard size.")
  Long shardSize;

  @Option(names = "--ignore", paramLabel = "PATH", description = "A relative path to leave out (repeatable).")
  List<String> ignore = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path sig = signature != null ? signature : defaultSignature(path);
    List<X509Certificate> chain = certChain == null ? List.of() : Pem.certificates(Files.readString(certChain));
    var options = ModelHasher.Options.files().withIgnores(ignore);
    if (shardSize != null) {
      options = options.withMethod(Manifest.Method.SHARDS, shardSize);
    }
    var bundle = ModelSigner.sign(path, SigningKey.read(key), chain, options, sig);
    Files.write(sig, bundle.toJson());
    var st = bundle.statement();
    var out = spec.commandLine().getOut();
    out.println("signed " + st.manifest().resources().size() + " " + st.manifest().method().omsName() + " of " + path
        + " (sha256:" + st.subjectSha256() + ") with " + bundle.material().method());
    out.println("signature: " + sig);
    out.flush();
    return 0;
  }

  static Path defaultSignature(Path model) {
    return Files.isDirectory(model) ? model.resolve("model.sig") : model.resolveSibling(model.getFileName() + ".sig");
  }
}
