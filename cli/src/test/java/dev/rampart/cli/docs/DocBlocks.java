package dev.rampart.cli.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell blocks of a Markdown page, each with the commands it shows and the expectations written above it in an
 * HTML comment (invisible when rendered):
 *
 * <pre>
 * &lt;!-- docs-test: exit=0,1 expect="UNSAFE" --&gt;
 * ```sh
 * ./rampart scan examples/models/clean
 * ./rampart scan examples/models           # comments are kept out of the command
 * ```
 * </pre>
 *
 * Keys: {@code exit} (one code for every command, or one per command), {@code expect} (a regular expression the
 * block's combined output must contain), {@code background} (the single command keeps running; its output must match
 * the expression, whose named groups become environment variables of the commands after it), {@code timeout}
 * (seconds per command) and {@code skip} (the reason a block cannot run here). A block with no comment must exit 0.
 */
record DocBlocks(Path file, List<Block> blocks) {

  /** One fenced shell block. */
  record Block(Path file, int line, List<String> commands, Map<String, String> directive) {
    int expectedExit(int index) {
      String exits = directive.getOrDefault("exit", "0");
      String[] codes = exits.split(",");
      return Integer.parseInt(codes[Math.min(index, codes.length - 1)].trim());
    }

    String where() {
      return file.getFileName() + ":" + line;
    }
  }

  private static final Pattern DIRECTIVE = Pattern.compile("<!--\\s*docs-test:(.*?)-->");
  private static final Pattern PAIR = Pattern.compile("(\\w+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+))");

  static DocBlocks read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    var blocks = new ArrayList<Block>();
    for (int i = 0; i < lines.size(); i++) {
      String fence = lines.get(i).strip();
      if (!fence.startsWith("```")) {
        continue;
      }
      String info = fence.substring(3).strip();
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
        end++;
      }
      if (info.equals("sh") || info.equals("bash") || info.equals("shell")) {
        blocks.add(new Block(file, i + 1, commands(lines.subList(i + 1, end)), directive(lines, i)));
      }
      i = end;
    }
    return new DocBlocks(file, blocks);
  }

  private static Map<String, String> directive(List<String> lines, int fence) {
    var map = new LinkedHashMap<String, String>();
    int prev = fence - 1;
    if (prev < 0) {
      return map;
    }
    Matcher d = DIRECTIVE.matcher(lines.get(prev));
    if (d.find()) {
      Matcher p = PAIR.matcher(d.group(1));
      while (p.find()) {
        map.put(p.group(1), p.group(2) != null ? p.group(2).replace("\\\"", "\"") : p.group(3));
      }
    }
    return map;
  }

  /** Joins continuation lines and drops comments and blank lines. */
  static List<String> commands(List<String> body) {
    var commands = new ArrayList<String>();
    var current = new StringBuilder();
    for (String raw : body) {
      String line = stripComment(raw).stripTrailing();
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String command = current.toString().strip();
      if (!command.isEmpty()) {
        commands.add(command);
      }
      current.setLength(0);
    }
    return commands;
  }

  /** Removes a trailing {@code # comment} that is outside quotes. */
  static String stripComment(String line) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }
}
