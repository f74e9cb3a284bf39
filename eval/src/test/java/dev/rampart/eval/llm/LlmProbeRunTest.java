package dev.rampart.eval.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.eval.llm.SimulatedChatServer.Behaviour;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bundled probes against a real HTTP server that answers like a vulnerable, a hardened or a broken endpoint. */
class LlmProbeRunTest {

  @Test
  void aVulnerableEndpointFailsEveryCategoryWithEvidence() throws Exception {
    try (var server = new SimulatedChatServer(Behaviour.VULNERABLE)) {
      var result = run(server, client(server, 2, 1000), 2);
      assertThat(result.categories()).hasSize(Category.values().length).allSatisfy(c -> {
        assertThat(c.succeeded()).as(c.category().slug()).isEqualTo(c.answered()).isPositive();
        assertThat(c.low()).isGreaterThan(0.5);
      });
      assertThat(result.probes()).allSatisfy(p -> assertThat(p.evidence()).as(p.probe().id()).isPresent());
      assertThat(result.complete()).isTrue();
      // every attempt plants fresh values
      assertThat(server.bodies.stream().map(b -> b.at("/messages/0/content").asText()).distinct().count())
          .isGreaterThan(server.bodies.size() / 2);
    }
  }

  @Test
  void aHardenedEndpointPassesEveryCategory() throws Exception {
    try (var server = new SimulatedChatServer(Behaviour.HARDENED)) {
      var result = run(server, client(server, 2, 1000), 3);
      assertThat(result.categories()).allSatisfy(c -> {
        assertThat(c.succeeded()).isZero();
        assertThat(c.answered()).isEqualTo(3L * c.probes());
        assertThat(c.high()).isLessThan(0.5);
      });
      assertThat(result.requests()).isEqualTo(server.calls());
    }
  }

  @Test
  void aModelWornDownOverSeveralTurnsFailsOnlyTheConversations() throws Exception {
    try (var server = new SimulatedChatServer(Behaviour.WORN_DOWN)) {
      var result = run(server, client(server, 2, 1000), 1);
      assertThat(result.complete()).isTrue();
      var multiTurn = result.probes().stream().filter(p -> p.probe().multiTurn()).toList();
      assertThat(multiTurn).hasSizeGreaterThanOrEqualTo(3).allSatisfy(p -> {
        assertThat(p.count(LlmProbeRun.Outcome.SUCCEEDED)).as(p.probe().id()).isEqualTo(1);
        assertThat(p.evidence()).hasValueSatisfying(e -> assertThat(e).startsWith("turn 2: "));
      });
      assertThat(result.probes()).filteredOn(p -> !p.probe().multiTurn())
          .allSatisfy(p -> assertThat(p.count(LlmProbeRun.Outcome.SUCCEEDED)).as(p.probe().id()).isZero());
      // each turn after the first carries the conversation so far, the model's answers included
      var conversation = server.bodies.stream().filter(b -> b.path("messages").size() == 4).findFirst().orElseThrow();
      assertThat(conversation.at("/messages/2/role").asText()).isEqualTo("assistant");
      assertThat(conversation.at("/messages/2/content").asText()).contains("I can only help");
      assertThat(result.categories()).filteredOn(c -> c.category() == Category.JAILBREAK).singleElement()
          .satisfies(c -> assertThat(c.succeeded()).isEqualTo(1));
    }
  }

  @Test
  void quotingTheRequestBackIsNotCountedAsObeyingIt() throws Exception {
    try (var server = new SimulatedChatServer(Behaviour.QUOTING)) {
      var result = run(server, client(server, 2, 1000), 1);
      assertThat(result.categories()).allSatisfy(c -> assertThat(c.succeeded()).as(c.category().slug()).isZero());
    }
  }

  @Test
  void aHangingEndpointTimesOutAndTheRunStopsInsteadOfWaitingOnEveryProbe() throws Exception {
    try (var server = new SimulatedChatServer(Behaviour.HANG)) {
      var settings = new ChatClient.Settings(server.base(), Optional.empty(), Optional.empty(), Duration.ofMillis(300),
          1, 1000, 1000, Duration.ofMinutes(5), 0.7, 64);
      var result = run(server, new ChatClient(settings), 1);
      assertThat(result.complete()).isFalse();
      long errors = result.categories().stream().mapToLong(LlmProbeRun.CategoryResult::errors).sum();
      assertThat(errors).isEqualTo(LlmProbeRun.CONSECUTIVE_ERRORS_TO_STOP);
      assertThat(result.requests()).isEqualTo(2L * LlmProbeRun.CONSECUTIVE_ERRORS_TO_STOP);
      assertThat(result.problems()).anyMatch(p -> p.contains("no complete answer within"))
          .anyMatch(p -> p.contains("in a row"));
    }
  }

  @Test
  void garbageAndErrorsAreErrorsWithAReasonNeverAPass() throws Exception {
    for (var behaviour : List.of(Behaviour.GARBAGE, Behaviour.SERVER_ERROR, Behaviour.HUGE)) {
      try (var server = new SimulatedChatServer(behaviour)) {
        var result = run(server, client(server, 1, 1000), 1);
        assertThat(result.categories()).allSatisfy(c -> assertThat(c.answered()).isZero());
        assertThat(result.problems()).as(behaviour.name()).anyMatch(p -> switch (behaviour) {
          case GARBAGE -> p.contains("not JSON");
          case SERVER_ERROR -> p.contains("HTTP 503");
          default -> p.contains("over 1048576 bytes");
        });
      }
    }
  }

  @Test
  void rateLimitsAreRetriedAfterTheServersPause() throws Exception {
    try (var server = new SimulatedChatServer(Behaviour.RATE_LIMITED_TWICE)) {
      var client = client(server, 2, 1000);
      var result = run(server, client, 1);
      assertThat(result.complete()).isTrue();
      assertThat(client.retries()).isEqualTo(2);
      assertThat(result.requests()).isEqualTo(server.calls());
    }
  }

  @Test
  void theRequestCapStopsTheRunAndLeavesTheRestUnscored() throws Exception {
    try (var server = new SimulatedChatServer(Behaviour.HARDENED)) {
      var result = run(server, client(server, 0, 5), 2);
      assertThat(server.calls()).isEqualTo(5);
      long notRun = result.categories().stream().mapToLong(LlmProbeRun.CategoryResult::notRun).sum();
      long probes = result.probes().size();
      assertThat(notRun).isEqualTo(2 * probes - 5);
      assertThat(result.problems()).anyMatch(p -> p.contains("--max-requests"));
    }
  }

  @Test
  void theKeyTravelsOnlyAsABearerTokenAndTheModelIsNamed() throws Exception {
    try (var server = new SimulatedChatServer(Behaviour.SERVER_ERROR)) {
      var settings = new ChatClient.Settings(server.base(), Optional.of("tiny-chat"), Optional.of("sk-test-123"),
          Duration.ofSeconds(5), 0, 1000, 1000, Duration.ofMinutes(1), 0.0, 32);
      var result = run(server, new ChatClient(settings), 1);
      assertThat(server.authorizations).allMatch("Bearer sk-test-123"::equals);
      assertThat(server.bodies.get(0).path("model").asText()).isEqualTo("tiny-chat");
      assertThat(server.bodies.get(0).path("max_tokens").asInt()).isEqualTo(32);
      assertThat(String.join(" ", result.problems())).doesNotContain("sk-test-123");
    }
  }

  private static ChatClient client(SimulatedChatServer server, int retries, long cap) {
    return new ChatClient(new ChatClient.Settings(server.base(), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(10), retries, 1000, cap, Duration.ofMinutes(5), 0.7, 256));
  }

  private static LlmProbeRun.Result run(SimulatedChatServer server, ChatClient client, int generations)
      throws Exception {
    var progress = new ArrayList<String>();
    var result = LlmProbeRun.run(client, server.base().toString(), ProbeSets.bundled(),
        new LlmProbeRun.Settings(generations, 11), progress::add);
    assertThat(progress).isNotEmpty();
    return result;
  }
}
