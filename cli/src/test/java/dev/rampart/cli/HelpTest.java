package dev.rampart.cli;

import static dev.rampart.cli.ScanCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers --help: the usage hint printed on errors tells people to run it. */
class HelpTest {
  @Test
  void everyCommandAndSubcommandHasHelp() {
    var missing = new ArrayList<String>();
    walk(Rampart.commandLine(), missing);
    assertThat(missing).isEmpty();
  }

  @Test
  void helpForNestedCommandsExitsZero() {
    for (List<String> args : List.of(List.of("data", "--help"), List.of("data", "check", "--help"),
        List.of("data", "diff", "--help"), List.of("monitor", "watch", "--help"), List.of("eval", "--help"))) {
      var result = run(args.toArray(String[]::new));
      assertThat(result.code()).as(String.join(" ", args)).isZero();
      assertThat(result.out()).startsWith("Usage: rampart " + args.get(0));
    }
  }

  private static void walk(CommandLine cl, List<String> missing) {
    if (cl.getCommandSpec().optionsMap().get("--help") == null && !(cl.getCommand() instanceof CommandLine.HelpCommand)) {
      missing.add(cl.getCommandSpec().qualifiedName());
    }
    cl.getSubcommands().values().forEach(sub -> walk(sub, missing));
  }
}
