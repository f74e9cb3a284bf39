package dev.rampart.cli;

import dev.rampart.eval.llm.Category;
import dev.rampart.eval.llm.ChatClient;
import dev.rampart.eval.llm.LlmProbeRun;
import dev.rampart.eval.llm.Probe;
import dev.rampart.eval.llm.ProbeSets;
import dev.rampart.eval.report.LlmReport;
import dev.rampart.scan.Version;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rampart eval llm}: prompt injection, jailbreak and leakage probes against a chat endpoint. */
@Command(name = "llm", mixinStandardHelpOptions = true,
    description = {
      "Sends probe sets (direct and indirect prompt injection, system-prompt leakage, jailbreaks, leakage of "
          + "secrets and personal data) to an OpenAI-compatible chat endpoint and scores each answer with a detector.",
      "Reports the failure rate per category with a Wilson 95%% interval; each probe that worked is a finding "
          + "(AML.T0051, AML.T0054, AML.T0056, AML.T0057)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no probe worked and every probe was answered",
      "1:a probe worked (a finding at --fail-on)",
      "2:usage error: bad URL, unknown category, broken probe file",
      "3:some probes got no answer (timeouts, errors, the request cap or the deadline)"
    })
final class LlmProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--endpoint", required = true, paramLabel = "URL",
      description = "The API base, such as http://localhost:8000/v1 (…/chat/completions is added).")
  String endpoint;

  @Option(names = "--model", paramLabel = "NAME", description = "The model field of each request; left out if not given.")
  String model;

  @Option(names = "--api-key-env", paramLabel = "VARIABLE",
      description = "Environment variable holding the API key, sent as a bearer token (never pass the key itself).")
  String apiKeyEnv;

  @Option(names = "--probes", paramLabel = "DIR", description = "Probe files (*.json) to use instead of the bundled ones.")
  Path probes;

  @Option(names = "--categories", split = ",", paramLabel = "NAMES",
      description = "Only these categories: prompt-injection, indirect-prompt-injection, system-prompt-leakage, "
          + "jailbreak, secret-leakage, pii-leakage.")
  List<String> categories = List.of();

  @Option(names = "--generations", defaultValue = "3", paramLabel = "N",
      description = "Answers per probe, each with fresh planted values (default: ${DEFAULT-VALUE}).")
  int generations;

  @Option(names = "--temperature", defaultValue = "0.7", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--max-tokens", defaultValue = "256", description = "Longest answer asked for (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
      description = "Per-request limit, whole answer included (default: ${DEFAULT-VALUE}).")
  long timeout;

  @Option(names = "--retries", defaultValue = "2", description = "Retries on 429, 5xx, timeouts (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(names = "--rate", defaultValue = "2", paramLabel = "PER_SECOND",
      description = "Most requests started per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--max-requests", defaultValue = "500", paramLabel = "N",
      description = "Cap on requests for the whole run, retries included (default: ${DEFAULT-VALUE}).")
  long maxRequests;

  @Option(names = "--deadline", defaultValue = "600", paramLabel = "SECONDS",
      description = "Time limit for the whole run (default: ${DEFAULT-VALUE}).")
  long deadline;

  @Option(names = "--seed", defaultValue = "0", description = "Seed for the planted values (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin OutputOptions out;

  @Mixin AttestOptions attest;

  @Override
  public Integer call() throws Exception {
    out.validate();
    attest.validate(null);
    URI uri;
    try {
      uri = new URI(endpoint.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--endpoint is not a URL: " + e.getReason());
    }
    var settings = new ChatClient.Settings(uri, Optional.ofNullable(model), apiKey(), Duration.ofSeconds(timeout),
        retries, rate, maxRequests, Duration.ofSeconds(deadline), temperature, maxTokens);
    List<Probe> chosen = select(probes == null ? ProbeSets.bundled() : ProbeSets.load(probes));
    var client = new ChatClient(settings);
    var result = LlmProbeRun.run(client, settings.display(), chosen,
        new LlmProbeRun.Settings(generations, seed), progress(spec.commandLine().getErr()));
    var report = LlmReport.report(result, Version.current());
    OutputOptions.Extras.Table table = (ps, render) -> {
      LlmReport.printTable(ps, result);
      ps.printf("%s%n", DataCommand.verdictWord(report, render));
    };
    if (attest.wanted()) {
      attest.write(dev.rampart.integrity.attest.PredicateType.LLM_PROBES, null, LlmReport.record(result), spec.commandLine().getErr());
    }
    return out.emit(report, OutputOptions.Extras.of(root -> root.set("llm", LlmReport.record(result)), table),
        spec.commandLine().getOut());
  }

  private Optional<String> apiKey() {
    if (apiKeyEnv == null) {
      return Optional.empty();
    }
    String key = System.getenv(apiKeyEnv);
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("--api-key-env names " + apiKeyEnv + ", which is not set; export it first");
    }
    return Optional.of(key.trim());
  }

  private List<Probe> select(List<Probe> all) {
    if (categories.isEmpty()) {
      return all;
    }
    var wanted = categories.stream().map(c -> Category.bySlug(c.trim()).orElseThrow(() ->
        new IllegalArgumentException("unknown category '" + c + "'; use one of "
            + java.util.Arrays.stream(Category.values()).map(Category::slug).toList()))).toList();
    var out = all.stream().filter(p -> wanted.contains(p.category())).toList();
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no probes in the categories " + categories);
    }
    return out;
  }

  private Consumer<String> progress(PrintWriter err) {
    if (!Terminal.progressWanted(out.quiet, out.noProgress)) {
      return step -> { };
    }
    return step -> {
      String line = step.length() > 70 ? step.substring(0, 70) : step;
      err.print("\r\u001b[2Krampart: probing " + line);
      err.flush();
    };
  }
}
