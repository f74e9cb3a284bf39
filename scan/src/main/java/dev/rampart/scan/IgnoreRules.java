package dev.rampart.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code .gitignore} and {@code .rampartignore} rules of one directory, in git's syntax: {@code #} comments,
 * {@code !} negation, a trailing {@code /} for directories only, a {@code /} elsewhere anchoring the pattern to the
 * file's directory, and the globs {@code *}, {@code ?}, {@code [...]} and {@code **}. The last matching rule wins.
 *
 * <p>These rules only say which files are build output or vendored copies the user does not want reported twice. They
 * never hide a model: an ignored file is still read by the model checks (a malicious pickle force-added under an
 * ignored name would otherwise pass), only the secret and configuration checks skip it.
 */
final class IgnoreRules {
  static final List<String> FILE_NAMES = List.of(".gitignore", ".rampartignore");
  private static final int MAX_RULES = 10_000;
  private static final long MAX_FILE_BYTES = 1 << 20;

  private record Rule(Pattern pattern, boolean negated, boolean directoryOnly) {}

  private final List<Rule> rules;

  private IgnoreRules(List<Rule> rules) {
    this.rules = rules;
  }

  static final IgnoreRules NONE = new IgnoreRules(List.of());

  /** The rules of the ignore files directly in {@code dir}; unreadable or oversized files contribute nothing. */
  static IgnoreRules in(Path dir) {
    var rules = new ArrayList<Rule>();
    for (String name : FILE_NAMES) {
      Path file = dir.resolve(name);
      try {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) <= MAX_FILE_BYTES) {
          for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\r?\n")) {
            if (rules.size() < MAX_RULES) {
              parse(line).ifPresent(rules::add);
            }
          }
        }
      } catch (IOException e) {
        // an ignore file we cannot read ignores nothing: fewer skipped files is the safe side
      }
    }
    return rules.isEmpty() ? NONE : new IgnoreRules(List.copyOf(rules));
  }

  /** Parses one line; rules made only for tests call this through {@link #of}. */
  static IgnoreRules of(String... lines) {
    var rules = new ArrayList<Rule>();
    for (String line : lines) {
      parse(line).ifPresent(rules::add);
    }
    return new IgnoreRules(List.copyOf(rules));
  }

  /**
   * Whether {@code relative} (slash-separated, relative to this rules' directory) is ignored, or {@code null} when no
   * rule speaks about it (so an outer directory's rules decide).
   */
  Boolean decide(String relative, boolean directory) {
    Boolean decision = null;
    for (Rule r : rules) {
      if ((!r.directoryOnly || directory) && r.pattern.matcher(relative).matches()) {
        decision = !r.negated;
      }
    }
    return decision;
  }

  private static java.util.Optional<Rule> parse(String raw) {
    String line = stripTrailingSpaces(raw);
    if (line.isEmpty() || line.startsWith("#")) {
      return java.util.Optional.empty();
    }
    boolean negated = false;
    if (line.startsWith("!")) {
      negated = true;
      line = line.substring(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
      line = line.substring(1);
    }
    boolean directoryOnly = line.endsWith("/") && !line.endsWith("\\/");
    if (directoryOnly) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      return java.util.Optional.empty();
    }
    boolean anchored = line.indexOf('/') >= 0;
    if (line.startsWith("/")) {
      line = line.substring(1);
    }
    String regex = (anchored ? "" : "(?:.*/)?") + globToRegex(line);
    try {
      return java.util.Optional.of(new Rule(Pattern.compile(regex, Pattern.DOTALL), negated, directoryOnly));
    } catch (java.util.regex.PatternSyntaxException e) {
      return java.util.Optional.empty(); // git ignores a pattern it cannot parse, and so do we
    }
  }

  private static String stripTrailingSpaces(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ' && !(end > 1 && s.charAt(end - 2) == '\\')) {
      end--;
    }
    return s.substring(0, end);
  }

  static String globToRegex(String glob) {
    var re = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean startsSegment = i == 0 || glob.charAt(i - 1) == '/';
        boolean endsSegment = i + 2 == glob.length() || glob.charAt(i + 2) == '/';
        if (startsSegment && endsSegment) {
          if (i + 2 == glob.length()) {
            re.append(".*"); // trailing "/**": everything inside
          } else {
            re.append("(?:.*/)?"); // "**/": zero or more directories
            i++;
          }
          i += 2;
          continue;
        }
        re.append("[^/]*"); // "**" inside a name is an ordinary star
        i += 2;
        continue;
      }
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '[' -> {
          int close = glob.indexOf(']', i + 2);
          if (close < 0) {
            re.append("\\[");
          } else {
            String body = glob.substring(i + 1, close);
            if (body.startsWith("!")) {
              body = "^" + body.substring(1);
            }
            re.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
            i = close;
          }
        }
        case '\\' -> {
          if (i + 1 < glob.length()) {
            re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    return re.toString();
  }
}
