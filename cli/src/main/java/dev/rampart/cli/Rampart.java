package dev.rampart.cli;

import dev.rampart.core.ExitCode;
import dev.rampart.scan.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rampart} command: one subcommand per verb. */
@Command(
    name = "rampart",
    mixinStandardHelpOptions = true,
    versionProvider = Rampart.VersionProvider.class,
    description = "Secures the machine-learning lifecycle: scans, signs and verifies models and datasets.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no findings at or above --fail-on, everything analysed",
      "1:findings at or above --fail-on",
      "2:usage or configuration error",
      "3:incomplete: something could not be analysed, or nothing was analysed at all"
    })
public final class Rampart {
  /**
   * The subcommands, in the order help lists them. They are registered in code, not in the annotation, so that a run
   * builds the picocli model of its own command only: building all of them costs more than the JVM's start-up.
   */
  static final java.util.List<Class<?>> COMMANDS = java.util.List.of(ScanCommand.class, DiscoverCommand.class,
      DataCommand.class, MonitorCommand.class, EvalCommand.class, AtlasCommand.class, HashCommand.class,
      KeygenCommand.class, SignCommand.class, VerifyCommand.class, ProvenanceCommand.class, BomCommand.class,
      LogCommand.class, ServerCommand.class, WitnessCommand.class, RegistryCommands.Dataset.class, RegistryCommands.Run.class,
      RegistryCommands.Model.class, RegistryCommands.Promote.class, RegistryCommands.Approve.class,
      RegistryCommands.Admit.class, RegistryCommands.Rollback.class, RegistryCommands.Attest.class,
      RegistryCommands.Key.class, RegistryCommands.Audit.class, ProjectCommands.class, PrincipalCommand.class,
      TokenCommands.class, PolicyCommands.class, CommandLine.HelpCommand.class);

  // Read by ErrorHandler from the raw arguments (so it also works before parsing succeeds); declared here so that
  // every subcommand accepts it and lists it in its help.
  @CommandLine.Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "On an error, print the full stack trace (also RAMPART_DEBUG=1).")
  boolean debug;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI in-process; tests call this. */
  public static int run(String... args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      System.out.println(new VersionProvider().getVersion()[0]); // no command model needed to say this
      return ExitCode.OK.code();
    }
    var cl = commandLine(commandNamed(args));
    try {
      return cl.execute(args);
    } catch (Throwable t) { // an Error picocli does not handle (a missing class, out of memory): still exit 3
      return ErrorHandler.unexpected(t, args, cl.getErr());
    }
  }

  /** The subcommand the arguments name first, if it is one of ours; empty for help, errors and root options. */
  static java.util.Optional<Class<?>> commandNamed(String... args) {
    for (String arg : args) {
      if (arg.startsWith("-")) {
        continue; // a root option such as --debug
      }
      for (Class<?> c : COMMANDS) {
        if (c.getAnnotation(Command.class).name().equals(arg) && c != CommandLine.HelpCommand.class) {
          return java.util.Optional.of(c);
        }
      }
      return java.util.Optional.empty();
    }
    return java.util.Optional.empty();
  }

  /** The whole command tree. */
  static CommandLine commandLine() {
    return commandLine(java.util.Optional.empty());
  }

  /** The root with only {@code only} below it, or with every subcommand when there is none. */
  static CommandLine commandLine(java.util.Optional<Class<?>> only) {
    var cl = new CommandLine(new Rampart());
    for (Class<?> c : only.map(java.util.List::<Class<?>>of).orElse(COMMANDS)) {
      cl.addSubcommand(c);
    }
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler(
        (ex, argv) -> {
          var err = ex.getCommandLine().getErr();
          err.println("rampart: " + ex.getMessage());
          err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
          return ExitCode.USAGE.code();
        });
    return cl;
  }

  /** Prints the version from the jar manifest. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"rampart " + Version.current()};
    }
  }
}
