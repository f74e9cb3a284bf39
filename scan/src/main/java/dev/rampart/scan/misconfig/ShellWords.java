package dev.rampart.scan.misconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits shell command text into argument vectors the way {@code sh} would for the simple commands found in launch
 * scripts, Dockerfiles and compose files: quotes, backslashes, line continuations, command separators
 * ({@code ; && || |} and newlines) and {@code sh -c "script"}, whose script is split in turn. Variables are expanded
 * from the assignments the caller knows ({@code ${HOST:-0.0.0.0}} takes its default when unknown). Nothing is run.
 */
final class ShellWords {
  private static final int MAX_WORDS = 4096;
  private static final int MAX_DEPTH = 4;
  private static final int MAX_REFERENCE = 256;

  private ShellWords() {}

  /** The simple commands of {@code script}, each as its words. */
  static List<List<String>> commands(String script, Map<String, String> variables) {
    var out = new ArrayList<List<String>>();
    split(script, variables, out, 0);
    return out;
  }

  /** An exec-form vector ({@code ["sh", "-c", "..."]}): {@code sh -c} scripts are split, other vectors kept. */
  static List<List<String>> commands(List<String> argv, Map<String, String> variables) {
    var out = new ArrayList<List<String>>();
    addCommand(new ArrayList<>(argv), variables, out, 0);
    return out;
  }

  private static void split(String s, Map<String, String> vars, List<List<String>> out, int depth) {
    var words = new ArrayList<String>();
    var word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = s.length();
    while (i < n && words.size() < MAX_WORDS) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < n) {
        if (s.charAt(i + 1) == '\n') {
          i += 2;
          continue;
        }
        word.append(s.charAt(i + 1));
        inWord = true;
        i += 2;
      } else if (c == '\'') {
        int end = s.indexOf('\'', i + 1);
        end = end < 0 ? n : end;
        word.append(s, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (i < n && s.charAt(i) != '"') {
          if (s.charAt(i) == '\\' && i + 1 < n && "\"\\$`\n".indexOf(s.charAt(i + 1)) >= 0) {
            if (s.charAt(i + 1) != '\n') {
              word.append(s.charAt(i + 1));
            }
            i += 2;
          } else if (s.charAt(i) == '$') {
            i = expand(s, i, vars, word);
          } else {
            word.append(s.charAt(i++));
          }
        }
        inWord = true;
        i++;
      } else if (c == '$') {
        i = expand(s, i, vars, word);
        inWord = true;
      } else if (c == '#' && !inWord) {
        while (i < n && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == ';' || c == '&' || c == '|' || c == '\n' || c == '(' || c == ')') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        addCommand(words, vars, out, depth);
        words = new ArrayList<>();
        i++;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\u000b') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    addCommand(words, vars, out, depth);
  }

  /** {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-default}}; an unknown variable expands to its own text. */
  private static int expand(String s, int dollar, Map<String, String> vars, StringBuilder word) {
    int n = s.length();
    if (dollar + 1 < n && s.charAt(dollar + 1) == '{') {
      // a variable reference is short: bounding the search keeps a line of unclosed "${" linear
      int close = -1;
      for (int k = dollar + 2; k < Math.min(n, dollar + MAX_REFERENCE); k++) {
        if (s.charAt(k) == '}') {
          close = k;
          break;
        }
      }
      if (close < 0) {
        word.append('$');
        return dollar + 1;
      }
      String inner = s.substring(dollar + 2, close);
      int op = inner.indexOf(":-");
      op = op < 0 ? inner.indexOf('-') : op;
      String name = op < 0 ? inner : inner.substring(0, op);
      String fallback = op < 0 ? null : inner.substring(inner.charAt(op) == ':' ? op + 2 : op + 1);
      String value = vars.get(name);
      word.append(value != null ? value : fallback != null ? fallback : "${" + inner + "}");
      return close + 1;
    }
    int end = dollar + 1;
    while (end < n && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
      end++;
    }
    if (end == dollar + 1) {
      word.append('$');
      return dollar + 1;
    }
    String name = s.substring(dollar + 1, end);
    String value = vars.get(name);
    word.append(value != null ? value : "$" + name);
    return end;
  }

  private static void addCommand(List<String> words, Map<String, String> vars, List<List<String>> out, int depth) {
    // leading assignments (HOST=0.0.0.0 mlflow server ...) and wrappers that run their arguments
    int start = 0;
    while (start < words.size() && (assignment(words.get(start))
        || List.of("exec", "nohup", "env", "sudo", "time", "command").contains(words.get(start)))) {
      start++;
    }
    var argv = words.subList(start, words.size());
    if (argv.isEmpty()) {
      return;
    }
    String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
    if (depth < MAX_DEPTH && List.of("sh", "bash", "dash", "ash", "zsh").contains(program)) {
      int c = argv.indexOf("-c");
      if (c < 0) {
        for (int k = 1; k < argv.size(); k++) {
          if (argv.get(k).startsWith("-") && argv.get(k).contains("c")) {
            c = k;
            break;
          }
        }
      }
      if (c >= 0 && c + 1 < argv.size()) {
        split(argv.get(c + 1), vars, out, depth + 1);
        return;
      }
    }
    out.add(List.copyOf(argv));
  }

  static boolean assignment(String word) {
    int eq = word.indexOf('=');
    if (eq <= 0) {
      return false;
    }
    for (int i = 0; i < eq; i++) {
      char c = word.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_')) {
        return false;
      }
    }
    return !Character.isDigit(word.charAt(0));
  }
}
