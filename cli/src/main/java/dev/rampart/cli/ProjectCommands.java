package dev.rampart.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rampart project}: projects, their members and trusted keys, so no one has to read the API to set them up. */
@Command(name = "project", mixinStandardHelpOptions = true,
    description = "Projects on the server: create and list them, give people roles (keys: rampart key).",
    subcommands = {ProjectCommands.Create.class, ProjectCommands.List.class, ProjectCommands.Member.class})
final class ProjectCommands {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a project with its dev, staging and production environments (server administrators).")
  static final class Create implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PROJECT") String name;

    @Override
    public Integer call() throws Exception {
      return RegistryCommands.print(spec, Client.fromEnvironment().call("POST", "/api/v1/projects", Map.of("name", name)));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The projects you belong to.")
  static final class List implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      return RegistryCommands.print(spec, Client.fromEnvironment().call("GET", "/api/v1/projects", null));
    }
  }

  @Command(name = "member", mixinStandardHelpOptions = true,
      description = "Give a user or service account a role in the project: viewer, contributor, approver or admin.")
  static final class Member implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PROJECT") String project;
    @Parameters(index = "1", paramLabel = "PRINCIPAL") String principal;
    @Option(names = "--role", required = true, description = "viewer, contributor, approver or admin.") String role;

    @Override
    public Integer call() throws Exception {
      return RegistryCommands.print(spec, Client.fromEnvironment().call("PUT",
          Client.projectPath(project, "members", principal), Map.of("role", role)));
    }
  }
}
