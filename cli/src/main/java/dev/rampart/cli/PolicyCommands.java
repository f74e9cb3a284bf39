package dev.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart policy}: an environment's CEL gate policy, read and replaced from a reviewed file. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "The gate policy of an environment: show it, or set a new version from a file.",
    subcommands = {PolicyCommands.Get.class, PolicyCommands.Set.class})
final class PolicyCommands {
  /** A policy file is small; anything larger is not one. */
  static final long MAX_POLICY_BYTES = 1 << 20;

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Show the policy in force in an environment, with its SHA-256.")
  static final class Get implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PROJECT") String project;
    @Parameters(index = "1", paramLabel = "ENVIRONMENT") String environment;

    @Override
    public Integer call() throws Exception {
      var a = Client.fromEnvironment().call("GET", Client.projectPath(project, "environments", environment) + "?limit=1", null);
      if (!a.ok() || a.body() == null) {
        return RegistryCommands.print(spec, a);
      }
      var policy = new LinkedHashMap<String, Object>();
      policy.put("policy", a.body().get("policy"));
      policy.put("sha256", a.body().path("policySha256").asText());
      return RegistryCommands.print(spec, new Client.Answer(a.status(), Client.JSON.valueToTree(policy), a.text()));
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Set a new policy version from a JSON file: {\"mode\": \"enforce\", \"rules\": [{\"name\", \"expression\", \"message\"}]}.")
  static final class Set implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PROJECT") String project;
    @Parameters(index = "1", paramLabel = "ENVIRONMENT") String environment;
    @Parameters(index = "2", paramLabel = "FILE", description = "The policy, as JSON.") Path file;

    @Override
    public Integer call() throws Exception {
      JsonNode policy = read(file);
      return RegistryCommands.print(spec, Client.fromEnvironment().call("PUT",
          Client.projectPath(project, "environments", environment, "policy"), policy));
    }
  }

  /** Reads a policy file, refusing what is not a JSON object before it reaches the server. */
  static JsonNode read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no policy file at " + file);
    }
    if (Files.size(file) > MAX_POLICY_BYTES) {
      throw new IllegalArgumentException("policy file " + file + " is larger than " + MAX_POLICY_BYTES + " bytes");
    }
    JsonNode node;
    try {
      node = Client.JSON.readTree(Files.readAllBytes(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("policy file " + file + " is not JSON (" + e.getOriginalMessage()
          + "); write {\"mode\": \"enforce\", \"rules\": [{\"name\": ..., \"expression\": ...}]}");
    }
    if (node == null || !node.isObject() || !node.path("rules").isArray()) {
      throw new IllegalArgumentException("policy file " + file
          + " must be a JSON object with a \"rules\" array, e.g. {\"mode\": \"enforce\", \"rules\": [{\"name\": ..., \"expression\": ...}]}");
    }
    return node;
  }
}
