package dev.rampart.cli;

import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart token}: API tokens, so that issuing a CI or telemetry credential needs no hand-written request. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "API tokens: issue one (shown once) and revoke it with every token derived from it.",
    subcommands = {TokenCommands.Create.class, TokenCommands.Revoke.class})
final class TokenCommands {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Issue a token; one for yourself never has more scopes or a longer life than the token you call with.")
  static final class Create implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--for", paramLabel = "PRINCIPAL",
        description = "Issue it for this user or service account (server administrators only); default: yourself.")
    String principal;
    @Option(names = "--scopes", description = "Comma-separated scopes, e.g. read,write (default: read,write).") String scopes;
    @Option(names = "--ttl-days", description = "Days until it expires.") Integer ttlDays;
    @Option(names = "--project", description = "Bind it to an environment of this project (with --environment).") String project;
    @Option(names = "--environment", description = "Bind it to this environment (with --project; project administrators).")
    String environment;

    @Override
    public Integer call() throws Exception {
      if ((project == null) != (environment == null)) {
        throw new IllegalArgumentException("give both --project and --environment to bind a token to an environment");
      }
      var body = new LinkedHashMap<String, Object>();
      if (principal != null) {
        body.put("principal", principal);
      }
      if (scopes != null) {
        body.put("scopes", scopes);
      }
      if (ttlDays != null) {
        body.put("ttlDays", ttlDays);
      }
      if (project != null) {
        body.put("project", project);
        body.put("environment", environment);
      }
      var answer = Client.fromEnvironment().call("POST", "/api/v1/tokens", body);
      if (answer.ok()) {
        spec.commandLine().getErr().println("rampart: the token is shown only now; store it as a secret (RAMPART_TOKEN).");
      }
      return RegistryCommands.print(spec, answer);
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke a token by its id, and every token derived from it.")
  static final class Revoke implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "ID", description = "The id 'rampart token create' printed.") long id;

    @Override
    public Integer call() throws Exception {
      int code = RegistryCommands.print(spec, Client.fromEnvironment().call("DELETE", "/api/v1/tokens/" + id, null));
      if (code == 0) {
        spec.commandLine().getOut().println("revoked token " + id);
        spec.commandLine().getOut().flush();
      }
      return code;
    }
  }
}
