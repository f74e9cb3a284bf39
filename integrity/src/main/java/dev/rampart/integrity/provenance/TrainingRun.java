package dev.rampart.integrity.provenance;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What produced a model: the inputs (datasets by OMS root digest, base model, code commit, container image), the
 * run's parameters and who ran it.
 *
 * @param builderId the training system (a URI)
 * @param parameters hyperparameters and configuration, as given
 */
public record TrainingRun(
    String builderId,
    Optional<String> invocationId,
    Optional<Instant> startedOn,
    Optional<Instant> finishedOn,
    Map<String, String> parameters,
    List<Input> datasets,
    Optional<Input> baseModel,
    Optional<String> codeRepository,
    Optional<String> codeCommit,
    Optional<String> containerImage) {

  /** An input artifact: its name, its OMS root digest and where it came from. */
  public record Input(String name, String sha256, Optional<String> uri) {
    public Input {
      Objects.requireNonNull(name, "name");
      if (!sha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("digest of " + name + " must be 64 lowercase hex digits");
      }
    }
  }

  public TrainingRun {
    Objects.requireNonNull(builderId, "builderId");
    parameters = Map.copyOf(parameters);
    datasets = List.copyOf(datasets);
    codeCommit.ifPresent(c -> {
      if (!c.matches("[0-9a-f]{7,64}")) {
        throw new IllegalArgumentException("code commit must be a hex commit id, not '" + c + "'");
      }
    });
    containerImage.ifPresent(i -> {
      if (!i.matches(".+@sha256:[0-9a-f]{64}")) {
        throw new IllegalArgumentException("container image must be pinned by digest (name@sha256:...), not '" + i + "'");
      }
    });
  }

  /** The digest-pinned dependencies a complete provenance needs: datasets and code. */
  public boolean complete() {
    return !datasets.isEmpty() && codeCommit.isPresent();
  }
}
