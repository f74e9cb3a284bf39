package dev.rampart.cli;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Report;
import dev.rampart.integrity.IntegrityRules;
import dev.rampart.integrity.sign.ModelVerifier;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.Trust;
import dev.rampart.integrity.sign.VerificationException;
import dev.rampart.integrity.sigstore.TrustedRoot;
import dev.rampart.scan.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart verify PATH --signature SIG ...}: exit 0 only when the signature and every file match. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verifies a model against its OMS signature bundle: the signer, then every file.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the signature verifies and every file matches", "1:verification failed (the reason is printed)",
        "2:usage error"})
final class VerifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PATH", description = "The model: the same file or folder that was signed.")
  Path path;

  @Option(names = "--signature", paramLabel = "SIG", description = "The bundle (default: model.sig or PATH.sig).")
  Path signature;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Material material;

  static final class Material {
    @Option(names = "--key", paramLabel = "PUB.pem", description = "Public key of a key-signed bundle.")
    Path key;

    @Option(names = "--cert-chain", paramLabel = "ROOT.pem", description = "Trusted root CA certificate(s) for certificate-signed bundles.")
    Path certChain;

    @ArgGroup(exclusive = false)
    Keyless keyless;
  }

  static final class Keyless {
    @Option(names = "--trust-root", required = true, paramLabel = "trusted_root.json", description = "Sigstore trusted root, used offline.")
    Path trustRoot;

    @Option(names = "--identity", required = true, description = "Expected signer identity (certificate SAN).")
    String identity;

    @Option(names = "--issuer", required = true, description = "Expected OIDC issuer.")
    String issuer;
  }

  @Option(names = "--ignore", paramLabel = "PATH", description = "A path to leave out, for bundles that do not record their ignores (repeatable).")
  List<String> ignore = new ArrayList<>();

  @Option(names = "--ignore-unsigned-files", description = "Accept files that the signature does not cover.")
  boolean ignoreUnsigned;

  @Mixin OutputOptions out;

  @Override
  public Integer call() throws Exception {
    out.validate();
    Path sig = signature != null ? signature : SignCommand.defaultSignature(path);
    if (!Files.exists(path)) {
      throw new java.nio.file.NoSuchFileException(path.toString());
    }
    Trust trust;
    if (material.key != null) {
      trust = new Trust.Key(Pem.publicKey(Files.readString(material.key)));
    } else if (material.certChain != null) {
      trust = new Trust.Certificates(Pem.certificates(Files.readString(material.certChain)));
    } else {
      trust = new Trust.Sigstore(TrustedRoot.read(material.keyless.trustRoot), material.keyless.identity, material.keyless.issuer);
    }
    var findings = new ArrayList<Finding>();
    String note;
    try {
      if (!Files.exists(sig)) {
        throw new VerificationException.MalformedBundle("no signature at " + sig + ": the model is unsigned");
      }
      var v = ModelVerifier.verify(path, ModelVerifier.readBundle(sig), trust,
          new ModelVerifier.Options(ignore, ignoreUnsigned, sig, Runtime.getRuntime().availableProcessors()));
      note = v.resources() + " file(s) match the signature, root sha256:" + v.rootDigest() + ", signed by " + v.signer();
    } catch (VerificationException e) {
      note = e.getMessage();
      findings.addAll(findingsOf(e, path.toString()));
    }
    var report = new Report("verify", Version.current(), Instant.now(), List.of(path.toString()), findings, List.of(),
        List.of(new ArtifactRecord(path.toString(), "oms-signed-model", -1, ArtifactRecord.Status.SCANNED, note)));
    // verification always fails on any finding, whatever --fail-on says
    out.failOn = "INFO";
    if (out.reportFormat() == dev.rampart.core.report.ReportFormat.TABLE && out.output == null) {
      var o = spec.commandLine().getOut();
      if (findings.isEmpty()) {
        o.println("VERIFIED: " + path + ": " + note);
        o.flush();
        return 0;
      }
      out.emit(report, o);
      o.println("reason: " + note);
      o.flush();
      return 1;
    }
    return out.emit(report, spec.commandLine().getOut());
  }

  /** A resource of the model as a location: the file itself for a single-file model, else model/relative-path. */
  static Location fileIn(String model, String resource) {
    String file = resource.contains(":") && !resource.startsWith(".:") ? resource.substring(0, resource.indexOf(':')) : resource;
    return file.equals(".") || file.startsWith(".:") ? Location.of(model) : Location.of(model + "/" + file);
  }

  static List<Finding> findingsOf(VerificationException e, String model) {
    if (e instanceof VerificationException.ModelMismatch m) {
      var out = new ArrayList<Finding>();
      m.modified().forEach(f -> out.add(Finding.of(IntegrityRules.MODIFIED, "digest differs from the signature", fileIn(model, f))));
      m.missing().forEach(f -> out.add(Finding.of(IntegrityRules.MISSING, "signed but not present", fileIn(model, f))));
      m.extra().forEach(f -> out.add(Finding.of(IntegrityRules.UNSIGNED, "present but not signed", fileIn(model, f))));
      return out;
    }
    return List.of(Finding.of(IntegrityRules.of(e), e.getMessage(), Location.of(model)));
  }
}
