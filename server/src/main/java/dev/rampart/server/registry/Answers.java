package dev.rampart.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.server.domain.Nullable;
import java.util.List;

/** What the registry answers: projects, keys of the trust policy, dataset versions, runs and what a dataset reached. */
public final class Answers {
  private Answers() {}

  public record Project(String name, long id) {}

  /** A key of the trust policy and the predicate types it may attest; a revoked key is kept on record. */
  public record TrustedKey(String name, String keyHint, List<String> predicateTypes, boolean revoked) {
    public TrustedKey {
      predicateTypes = List.copyOf(predicateTypes);
    }
  }

  /** A dataset version; {@code verdict} is the latest attested check's, {@code unchecked} until one verifies. */
  public record DatasetVersion(String dataset, int version, String digest, String verdict, boolean poisoned,
      @Nullable String uri) {}

  public record ModelVersionRef(String model, int version, String digest) {}

  public record AffectedDeployment(String environment, String model, int version, String status) {}

  /** Everything a dataset version reached: the runs that used it, their model versions and where those are deployed. */
  public record Affected(String dataset, int version, List<String> runs, List<ModelVersionRef> modelVersions,
      List<AffectedDeployment> deployments) {}

  public record InputRef(String dataset, int version) {}

  public record RunCreated(String name, List<InputRef> inputs) {}

  public record RunInput(String dataset, int version, String digest) {}

  /** Findings of a scan by severity. */
  public record Findings(long critical, long high, long medium, long low) {}

  /** The server's own scan of the uploaded bytes. */
  public record Scan(String verdict, boolean incomplete, Findings findings, JsonNode report) {}

  /** The model signature as it verifies now: a key revoked since the upload no longer vouches for it. */
  public record Signature(boolean verified, @Nullable String method, @Nullable String signer, String attestedBy,
      @Nullable String detail) {}

  /** A model version with its evidence, every fact verified again against today's trust policy. */
  public record ModelVersion(String model, int version, String digest, int files, long bytes, Scan scan,
      Signature signature, dev.rampart.server.facts.ProvenanceFact provenance,
      List<dev.rampart.server.facts.FactRecord> attestations, @Nullable String run, String uploadedBy) {}

  /** An upload as stored: its digest, the scan's verdict, and whether its signature and provenance verified. */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record Uploaded(String model, int version, String digest, String scanVerdict, Findings findings,
      boolean signatureVerified, @Nullable String signatureDetail,
      @Nullable dev.rampart.server.facts.ProvenanceFact provenance) {}

  public record LineageDataset(String dataset, int version, String digest, String verdict, boolean poisoned) {}

  public record LineageRun(String name, @Nullable String codeCommit) {}

  public record LineageDeployment(String environment, String status, String deployedAt) {}

  /** The datasets and run that produced a model version, and where it is deployed. */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record Lineage(String model, int version, List<LineageDataset> datasets, @Nullable LineageRun run,
      List<LineageDeployment> deployments) {}

  /** A training run: its code, parameters, metrics and the dataset versions it read. */
  public record Run(String name, @Nullable String codeCommit, JsonNode parameters, JsonNode metrics, List<RunInput> inputs) {}
}
