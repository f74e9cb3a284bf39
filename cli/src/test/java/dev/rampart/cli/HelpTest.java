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

  /**
   * A command list shows only the first line of each description, and a description split into arbitrary lines reads
   * as cut off there: every line of a command's description, every option's and every exit-code entry must end a
   * sentence or a phrase, never stop mid-way.
   */
  @Test
  void noDescriptionStopsMidSentence() {
    var cut = new ArrayList<String>();
    walkAll(Rampart.commandLine(), cl -> {
      if (cl.getCommand() instanceof CommandLine.HelpCommand) {
        return; // picocli's own
      }
      var spec = cl.getCommandSpec();
      String name = spec.qualifiedName();
      for (String line : spec.usageMessage().description()) {
        if (!endsASentence(line)) {
          cut.add(name + ": description line '" + line + "'");
        }
      }
      String[] header = spec.usageMessage().header();
      if (header.length == 0 && spec.usageMessage().description().length == 0) {
        cut.add(name + ": no description");
      }
      for (var option : spec.options()) {
        for (String line : option.description()) {
          if (!endsASentence(line)) {
            cut.add(name + " " + option.longestName() + ": '" + line + "'");
          }
        }
      }
      for (var param : spec.positionalParameters()) {
        for (String line : param.description()) {
          if (!endsASentence(line)) {
            cut.add(name + " " + param.paramLabel() + ": '" + line + "'");
          }
        }
      }
      for (var entry : spec.usageMessage().exitCodeList().entrySet()) {
        String text = entry.getValue().strip();
        String last = text.substring(text.lastIndexOf(' ') + 1);
        if (text.isEmpty() || text.endsWith(",") || text.endsWith(";") || text.endsWith(":")
            || java.util.Set.of("or", "and", "was", "were", "is", "are", "the", "a", "an", "of", "to", "with", "for")
                .contains(last)) {
          cut.add(name + " exit code " + entry.getKey().strip() + ": '" + text + "'");
        }
      }
    });
    assertThat(cut).isEmpty();
  }

  @Test
  void theRenderedHelpOfEveryCommandBreaksOnlyBetweenWords() {
    var broken = new ArrayList<String>();
    walkAll(Rampart.commandLine(), cl -> {
      String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
      // picocli breaks a word it cannot fit at a '.', as in "rampart.\n local/log": the text then reads as two
      var lines = usage.lines().toList();
      for (int i = 0; i + 1 < lines.size(); i++) {
        String next = lines.get(i + 1).strip();
        if (lines.get(i).matches(".*[a-z]\\.$") && next.matches("[a-z]+[/.].*") && !next.contains(" ")) {
          broken.add(cl.getCommandSpec().qualifiedName() + ": '" + lines.get(i).strip() + "' / '" + next + "'");
        }
      }
    });
    assertThat(broken).isEmpty();
  }

  private static boolean endsASentence(String line) {
    String text = line.strip();
    return text.endsWith(".") || text.endsWith("?") || text.endsWith("!") || text.endsWith(".)");
  }

  private static void walkAll(CommandLine cl, java.util.function.Consumer<CommandLine> visit) {
    visit.accept(cl);
    cl.getSubcommands().values().forEach(sub -> walkAll(sub, visit));
  }

  private static void walk(CommandLine cl, List<String> missing) {
    if (cl.getCommandSpec().optionsMap().get("--help") == null && !(cl.getCommand() instanceof CommandLine.HelpCommand)) {
      missing.add(cl.getCommandSpec().qualifiedName());
    }
    cl.getSubcommands().values().forEach(sub -> walk(sub, missing));
  }
}
