package dev.rampart.cli;

import dev.rampart.integrity.sign.Curve;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.SigningKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rampart keygen}: an EC key pair for OMS signing. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Creates an EC key pair for signing models (private key file mode 0600, never overwritten).")
final class KeygenCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--curve", defaultValue = "p256", description = "p256, p384 or p521 (default: ${DEFAULT-VALUE}).")
  String curve;

  @Option(names = {"--out", "-o"}, defaultValue = "rampart-signing-key.pem", paramLabel = "KEY.pem",
      description = "Private key file; the public key goes next to it as .pub.pem (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    var key = SigningKey.generate(Curve.parse(curve));
    Path pub = publicPath(out);
    key.write(out, pub);
    var o = spec.commandLine().getOut();
    o.println("private key: " + out + " (keep it secret)");
    o.println("public key:  " + pub);
    o.println("key hint:    " + Pem.hint(key.publicKey()));
    o.flush();
    gitWorkTree(out.toAbsolutePath()).ifPresent(root -> {
      var err = spec.commandLine().getErr();
      err.println("rampart: warning: the private key " + out + " is inside the git work tree " + root + "; add it to "
          + ".gitignore (or move it outside, for example to ~/.config/rampart/) so it is never committed");
      err.flush();
    });
    return 0;
  }

  /** The git work tree holding {@code file}, if any: a private key there is one {@code git add -A} from a leak. */
  static java.util.Optional<Path> gitWorkTree(Path file) {
    for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
      if (java.nio.file.Files.exists(dir.resolve(".git"))) {
        return java.util.Optional.of(dir);
      }
    }
    return java.util.Optional.empty();
  }

  static Path publicPath(Path privatePem) {
    String name = privatePem.getFileName().toString();
    String base = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
    return privatePem.resolveSibling(base + ".pub.pem");
  }
}
