package dev.rampart.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart principal}: users and service accounts, which members and tokens are given to. */
@Command(name = "principal", mixinStandardHelpOptions = true,
    description = "Users and service accounts on the server (server administrators).",
    subcommands = {PrincipalCommand.Create.class})
final class PrincipalCommand {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a user or service account; give it a token with 'rampart token create --for'.")
  static final class Create implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--service", description = "A service account (CI, a serving cluster) rather than a person.") boolean service;
    @Option(names = "--admin", description = "A server administrator.") boolean admin;

    @Override
    public Integer call() throws Exception {
      return RegistryCommands.print(spec, Client.fromEnvironment().call("POST", "/api/v1/principals",
          Map.of("name", name, "kind", service ? "service" : "user", "admin", admin)));
    }
  }
}
