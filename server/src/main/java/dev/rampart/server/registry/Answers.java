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

  /** A training run: its code, parameters, metrics and the dataset versions it read. */
  public record Run(String name, @Nullable String codeCommit, JsonNode parameters, JsonNode metrics, List<RunInput> inputs) {}
}
