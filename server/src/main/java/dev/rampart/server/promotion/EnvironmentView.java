package dev.rampart.server.promotion;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.server.domain.Nullable;
import java.util.List;

/**
 * An environment: its gate policy, the active deployment of each model ({@code current} is the newest of them) and a
 * page of its deployment history, newest first; {@code nextBefore} names the next page when there is one.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record EnvironmentView(String name, @JsonProperty("protected") boolean protectedEnv, int requiredApprovals,
    List<Deployment> deployments, @Nullable Long nextBefore, @Nullable Deployment current, List<Deployment> active,
    JsonNode policy, String policySha256, JsonNode alerts) {

  /** The same environment with its recent monitoring alerts. */
  public EnvironmentView withAlerts(JsonNode recent) {
    return new EnvironmentView(name, protectedEnv, requiredApprovals, deployments, nextBefore, current, active, policy,
        policySha256, recent);
  }
}
