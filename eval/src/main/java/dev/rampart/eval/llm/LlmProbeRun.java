package dev.rampart.eval.llm;

import dev.rampart.core.stats.Wilson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Sends every probe {@code generations} times with freshly planted values and scores each answer with the probe's
 * detector. Rounds go across all probes before repeating one, so a request cap or deadline still leaves every probe
 * tried. A run of consecutive failures stops it early rather than timing out request after request.
 */
public final class LlmProbeRun {
  static final int CONSECUTIVE_ERRORS_TO_STOP = 5;

  public record Settings(int generations, long seed) {
    public Settings {
      if (generations < 1) {
        throw new IllegalArgumentException("--generations is at least 1");
      }
    }
  }

  public enum Outcome { RESISTED, SUCCEEDED, ERROR, NOT_RUN }

  /** One answer: the evidence if the attack succeeded, the reason if no answer came. */
  public record Attempt(Outcome outcome, String detail) {}

  public record ProbeResult(Probe probe, List<Attempt> attempts) {
    public ProbeResult {
      attempts = List.copyOf(attempts);
    }

    public long count(Outcome outcome) {
      return attempts.stream().filter(a -> a.outcome() == outcome).count();
    }

    public java.util.Optional<String> evidence() {
      return attempts.stream().filter(a -> a.outcome() == Outcome.SUCCEEDED).map(Attempt::detail).findFirst();
    }
  }

  /**
   * A category's failure rate over answered attempts, with its Wilson 95 % interval.
   *
   * @param answered attempts that got an answer (resisted or succeeded)
   */
  public record CategoryResult(Category category, int probes, long answered, long succeeded, long errors, long notRun,
      double rate, double low, double high) {}

  public record Result(String endpoint, int generations, long requests, long retries, List<ProbeResult> probes,
      List<CategoryResult> categories, List<String> problems) {
    public Result {
      probes = List.copyOf(probes);
      categories = List.copyOf(categories);
      problems = List.copyOf(problems);
    }

    public boolean complete() {
      return categories.stream().allMatch(c -> c.errors() == 0 && c.notRun() == 0);
    }
  }

  private LlmProbeRun() {}

  public static Result run(ChatClient client, String endpoint, List<Probe> probes, Settings settings,
      Consumer<String> progress) throws InterruptedException {
    var attempts = new ArrayList<List<Attempt>>();
    probes.forEach(p -> attempts.add(new ArrayList<>()));
    var problems = new LinkedHashSet<String>();
    var random = new SplittableRandom(settings.seed());
    String stopped = null;
    int consecutiveErrors = 0;
    int total = probes.size() * settings.generations();
    int done = 0;
    for (int g = 0; g < settings.generations(); g++) {
      for (int i = 0; i < probes.size(); i++) {
        Plants plants = Plants.draw(random.split());
        Probe probe = probes.get(i);
        done++;
        if (stopped != null) {
          attempts.get(i).add(new Attempt(Outcome.NOT_RUN, stopped));
          continue;
        }
        progress.accept(done + "/" + total + " " + probe.category().slug() + "/" + probe.id());
        try {
          var hit = converse(client, probe, plants);
          consecutiveErrors = 0;
          attempts.get(i).add(hit.map(e -> new Attempt(Outcome.SUCCEEDED, e))
              .orElse(new Attempt(Outcome.RESISTED, "")));
        } catch (ChatException.Stopped e) {
          stopped = e.getMessage();
          problems.add(e.getMessage());
          attempts.get(i).add(new Attempt(Outcome.NOT_RUN, stopped));
        } catch (ChatException e) {
          problems.add(e.getMessage());
          attempts.get(i).add(new Attempt(Outcome.ERROR, e.getMessage()));
          if (++consecutiveErrors >= CONSECUTIVE_ERRORS_TO_STOP) {
            stopped = CONSECUTIVE_ERRORS_TO_STOP + " probes in a row got no answer; the rest were not sent";
            problems.add(stopped);
          }
        }
      }
    }
    var results = new ArrayList<ProbeResult>();
    for (int i = 0; i < probes.size(); i++) {
      results.add(new ProbeResult(probes.get(i), attempts.get(i)));
    }
    return new Result(endpoint, settings.generations(), client.requests(), client.retries(), results,
        categories(results), new ArrayList<>(problems));
  }

  /**
   * Sends the probe's turns one by one, each with the conversation so far, and returns the evidence from the first
   * answer the detector flags: a model that gives in at the second turn has failed even if it recovers at the third.
   */
  private static java.util.Optional<String> converse(ChatClient client, Probe probe, Plants plants)
      throws ChatException, InterruptedException {
    String system = plants.render(probe.system());
    var conversation = new ArrayList<String>();
    for (int t = 0; t < probe.turns().size(); t++) {
      conversation.add(plants.render(probe.turns().get(t)));
      String answer = client.complete(system, conversation);
      var hit = probe.detector().detect(answer, plants);
      if (hit.isPresent()) {
        return probe.multiTurn() ? hit.map(e -> "turn " + (conversation.size() + 1) / 2 + ": " + e) : hit;
      }
      conversation.add(answer);
    }
    return java.util.Optional.empty();
  }

  private static List<CategoryResult> categories(List<ProbeResult> results) {
    Map<Category, List<ProbeResult>> by = new LinkedHashMap<>();
    for (Category c : Category.values()) {
      results.stream().filter(r -> r.probe().category() == c).forEach(r ->
          by.computeIfAbsent(c, k -> new ArrayList<>()).add(r));
    }
    var out = new ArrayList<CategoryResult>();
    by.forEach((c, rs) -> {
      long succeeded = rs.stream().mapToLong(r -> r.count(Outcome.SUCCEEDED)).sum();
      long answered = succeeded + rs.stream().mapToLong(r -> r.count(Outcome.RESISTED)).sum();
      long errors = rs.stream().mapToLong(r -> r.count(Outcome.ERROR)).sum();
      long notRun = rs.stream().mapToLong(r -> r.count(Outcome.NOT_RUN)).sum();
      out.add(new CategoryResult(c, rs.size(), answered, succeeded, errors, notRun,
          answered == 0 ? 0 : succeeded / (double) answered, Wilson.lower(succeeded, answered),
          Wilson.upper(succeeded, answered)));
    });
    return out;
  }
}
