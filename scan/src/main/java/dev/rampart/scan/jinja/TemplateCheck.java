package dev.rampart.scan.jinja;

import dev.rampart.core.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for sandbox escapes in a Jinja template (chat templates in GGUF files, tokenizer configs and
 * {@code chat_template.jinja}). The template is lexed and parsed as Jinja does, then interpreted abstractly
 * ({@link Interpreter}): however a name is built (escapes, concatenation, filters, formatting, variables, loops,
 * macros, namespaces), every name that may reach Python's getattr is checked. A template that cannot be parsed,
 * or that exceeds a limit, is reported as not analysed, together with any internal names its raw text spells.
 */
public final class TemplateCheck {
  /** Templates larger than this are not analysed (real chat templates are a few kilobytes). */
  public static final int MAX_CHARS = 1 << 20;
  static final int MAX_TOKENS = 200_000;
  static final long TIME_LIMIT_NANOS = 5_000_000_000L;
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]+");

  /** One dangerous construct. */
  public record Issue(Severity severity, String detail, int offset) {}

  /** The issues found, and why the template was not fully analysed, if it was not. */
  public record Result(List<Issue> issues, Optional<String> incomplete) {}

  private TemplateCheck() {}

  public static List<Issue> check(String template) {
    var r = analyse(template);
    var out = new ArrayList<>(r.issues());
    r.incomplete().ifPresent(why -> out.add(new Issue(Severity.HIGH, "template not analysed: " + why, 0)));
    return out;
  }

  public static Result analyse(String template) {
    return analyse(template, System.nanoTime() + TIME_LIMIT_NANOS);
  }

  static Result analyse(String template, long deadlineNanos) {
    if (template.length() > MAX_CHARS) {
      return new Result(rawNames(template), Optional.of("template of " + template.length()
          + " characters exceeds the limit of " + MAX_CHARS));
    }
    try {
      var pieces = JinjaLexer.lex(template, MAX_TOKENS);
      var nodes = JinjaParser.parse(pieces);
      return new Result(Interpreter.run(nodes, deadlineNanos), Optional.empty());
    } catch (JinjaLexer.LexException | JinjaParser.ParseException e) {
      return new Result(rawNames(template), Optional.of("template does not parse: " + e.getMessage()));
    } catch (Interpreter.TimeoutException e) {
      return new Result(rawNames(template), Optional.of(e.getMessage()));
    } catch (StackOverflowError e) {
      return new Result(rawNames(template), Optional.of("template nests too deeply to analyse"));
    } catch (RuntimeException e) {
      // a defect here must not read as a clean template
      return new Result(rawNames(template), Optional.of("template analysis failed: " + e));
    }
  }

  /** Internal names spelled in the raw text (as written, and with Python escapes decoded). */
  private static List<Issue> rawNames(String template) {
    var issues = new LinkedHashSet<Issue>();
    String head = template.length() > MAX_CHARS ? template.substring(0, MAX_CHARS) : template;
    for (String text : new String[] {head, PythonEscapes.decode(head.replace("\\'", "'").replace("\\\"", "\""))}) {
      if (text == null) {
        continue;
      }
      Matcher m = WORD.matcher(text);
      while (m.find()) {
        Severity s = Names.classify(m.group(), false);
        if (s == Severity.CRITICAL) {
          issues.add(new Issue(s, "'" + m.group() + "' in a template that could not be analysed reaches Python "
              + "internals", m.start()));
        }
      }
    }
    return new ArrayList<>(issues);
  }
}
