package dev.rampart.scan.jinja;

import dev.rampart.core.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for sandbox escapes in a Jinja template (chat templates in GGUF files and tokenizer configs). It parses
 * every tag and folds constant strings, so obfuscations such as {@code '_'*2 ~ 'class' ~ '_'*2},
 * {@code '\x5f\x5fclass\x5f\x5f'} or {@code |attr(...)} are seen as the attribute names they produce.
 */
public final class TemplateCheck {
  /** One dangerous construct. */
  public record Issue(Severity severity, String detail, int offset) {}

  private static final Set<String> CRITICAL_NAMES =
      Set.of("__globals__", "__builtins__", "__subclasses__", "__import__", "__init__", "__code__",
          "__getattribute__", "__reduce__", "__reduce_ex__");
  /** Dangerous only as attributes: as dictionary keys ('system' role) they are everyday chat-template words. */
  private static final Set<String> CRITICAL_ATTRIBUTES = Set.of("popen", "system", "eval", "exec", "check_output");
  private static final Set<String> RISKY_NAMES =
      Set.of("mro", "func_globals", "f_globals", "f_builtins", "f_locals", "f_back", "gi_frame", "gi_code",
          "cr_frame", "tb_frame", "co_code", "im_func", "func_code");
  private static final Pattern FORMAT_FIELD = Pattern.compile("\\{(\\d*)\\}");

  private final Map<String, String> constants = new HashMap<>();
  private final Set<Issue> issues = new LinkedHashSet<>();
  private int offset;

  private TemplateCheck() {}

  public static List<Issue> check(String template) {
    var c = new TemplateCheck();
    for (var tag : JinjaLexer.tags(template)) {
      c.offset = tag.offset();
      c.tag(tag);
    }
    return new ArrayList<>(c.issues);
  }

  private void tag(JinjaLexer.Tag tag) {
    var tokens = JinjaLexer.tokens(tag.source());
    if (tokens.isEmpty()) {
      return;
    }
    var p = new JinjaParser(tokens);
    try {
      if (!tag.statement()) {
        visitAll(p);
        return;
      }
      String keyword = p.advance().text();
      switch (keyword) {
        case "for" -> {
          if (p.skipUntilName("in")) {
            p.advance();
            visitAll(p);
          }
        }
        case "set", "with" -> assignments(p);
        case "include", "import", "extends", "from" ->
            issues.add(new Issue(Severity.MEDIUM, "'" + keyword + "' loads another template from the server", offset));
        case "if", "elif", "do", "call", "filter", "macro", "print" -> visitAll(p);
        default -> visitAll(p);
      }
    } catch (JinjaParser.ParseException e) {
      tokenFallback(tokens);
    }
  }

  /** {@code set x = expr} and {@code with a = 1, b = 2}: record constants, check values. */
  private void assignments(JinjaParser p) throws JinjaParser.ParseException {
    while (!p.atEnd()) {
      var names = new ArrayList<String>();
      while (!p.atEnd() && !p.isOp("=")) {
        var t = p.advance();
        if (t.kind() == JinjaLexer.Kind.NAME) {
          names.add(t.text());
        }
      }
      if (p.atEnd()) {
        return;
      }
      p.advance();
      Expr value = p.expression();
      visit(value);
      String folded = fold(value);
      if (names.size() == 1 && folded != null) {
        constants.put(names.get(0), folded);
      }
      if (p.isOp(",")) {
        p.advance();
      }
    }
  }

  private void visitAll(JinjaParser p) throws JinjaParser.ParseException {
    while (!p.atEnd()) {
      visit(p.expression());
      while (!p.atEnd() && (p.isOp(",") || p.isName("recursive") || p.isName("if") || p.isName("else"))) {
        p.advance();
      }
      if (!p.atEnd() && !startsExpression(p.peek())) {
        p.advance();
      }
    }
  }

  private static boolean startsExpression(JinjaLexer.Token t) {
    return t.kind() != JinjaLexer.Kind.OP || "([{-+".contains(t.text());
  }

  private void visit(Expr e) {
    switch (e) {
      case Expr.Attr a -> {
        if (CRITICAL_ATTRIBUTES.contains(a.name())) {
          issues.add(new Issue(Severity.CRITICAL, "attribute ." + a.name() + " runs commands or code", offset));
        }
        name(a.name(), "attribute ." + a.name());
        visit(a.target());
      }
      case Expr.Item it -> {
        String key = fold(it.index());
        if (key != null) {
          name(key, "subscript ['" + key + "']");
        }
        visit(it.target());
        visit(it.index());
      }
      case Expr.Filter f -> {
        if (f.name().equals("attr")) {
          String key = f.args().isEmpty() ? null : fold(f.args().get(0));
          if (key == null) {
            issues.add(new Issue(Severity.MEDIUM, "|attr() with an attribute name computed at render time", offset));
          } else {
            name(key, "|attr('" + key + "')");
          }
        }
        visit(f.target());
        f.args().forEach(this::visit);
      }
      case Expr.Call c -> {
        visit(c.fn());
        c.args().forEach(this::visit);
      }
      case Expr.Binary b -> {
        visit(b.left());
        visit(b.right());
      }
      case Expr.Unary u -> visit(u.operand());
      case Expr.Seq s -> s.items().forEach(this::visit);
      case Expr.Cond c -> {
        visit(c.then());
        visit(c.test());
        visit(c.otherwise());
      }
      case Expr.Name n -> {
        if (n.name().startsWith("__")) {
          name(n.name(), "name " + n.name());
        }
      }
      case Expr.Str s -> {}
      case Expr.Num n -> {}
    }
  }

  private void name(String name, String how) {
    if (CRITICAL_NAMES.contains(name)) {
      issues.add(new Issue(Severity.CRITICAL, how + " reaches Python internals", offset));
    } else if (name.length() > 4 && name.startsWith("__") && name.endsWith("__") || RISKY_NAMES.contains(name)) {
      issues.add(new Issue(Severity.HIGH, how + " is a Python dunder or frame attribute", offset));
    }
  }

  /** The string an expression always evaluates to, or null when it depends on render-time data. */
  String fold(Expr e) {
    return switch (e) {
      case Expr.Str s -> s.value();
      case Expr.Num n -> n.text();
      case Expr.Name n -> constants.get(n.name());
      case Expr.Binary b -> binary(b);
      case Expr.Filter f -> filter(f);
      case Expr.Call c -> method(c);
      case Expr.Cond c -> fold(c.then());
      default -> null;
    };
  }

  private String binary(Expr.Binary b) {
    String l = fold(b.left());
    String r = fold(b.right());
    if (l == null || r == null) {
      return null;
    }
    return switch (b.op()) {
      case "~" -> l + r;
      case "+" -> isNumber(l) && isNumber(r) ? null : l + r;
      case "*" -> repeat(l, r);
      case "%" -> percentFormat(l, List.of(r));
      default -> null;
    };
  }

  private static String repeat(String l, String r) {
    if (isNumber(r) && !isNumber(l)) {
      int n = Integer.parseInt(r);
      return n >= 0 && n <= 64 ? l.repeat(n) : null;
    }
    if (isNumber(l) && !isNumber(r)) {
      return repeat(r, l);
    }
    return null;
  }

  private String filter(Expr.Filter f) {
    if (f.name().equals("join") && f.target() instanceof Expr.Seq seq) {
      String sep = f.args().isEmpty() ? "" : fold(f.args().get(0));
      var parts = new ArrayList<String>();
      for (Expr item : seq.items()) {
        String s = fold(item);
        if (s == null || sep == null) {
          return null;
        }
        parts.add(s);
      }
      return String.join(sep, parts);
    }
    String target = fold(f.target());
    if (target == null) {
      return null;
    }
    var args = new ArrayList<String>();
    for (Expr a : f.args()) {
      args.add(fold(a));
    }
    return switch (f.name()) {
      case "lower" -> target.toLowerCase(java.util.Locale.ROOT);
      case "upper" -> target.toUpperCase(java.util.Locale.ROOT);
      case "string", "trim", "e", "escape", "safe" -> f.name().equals("trim") ? target.strip() : target;
      case "reverse" -> new StringBuilder(target).reverse().toString();
      case "replace" -> args.size() >= 2 && args.get(0) != null && args.get(1) != null
          ? target.replace(args.get(0), args.get(1)) : null;
      case "format" -> args.contains(null) ? null : percentFormat(target, args);
      case "first" -> target.isEmpty() ? null : target.substring(0, 1);
      case "last" -> target.isEmpty() ? null : target.substring(target.length() - 1);
      default -> null;
    };
  }

  private String method(Expr.Call c) {
    if (!(c.fn() instanceof Expr.Attr a)) {
      return null;
    }
    String target = fold(a.target());
    var args = new ArrayList<String>();
    for (Expr arg : c.args()) {
      args.add(fold(arg));
    }
    if (a.name().equals("join") && target != null && c.args().size() == 1 && c.args().get(0) instanceof Expr.Seq seq) {
      var parts = new ArrayList<String>();
      for (Expr item : seq.items()) {
        String s = fold(item);
        if (s == null) {
          return null;
        }
        parts.add(s);
      }
      return String.join(target, parts);
    }
    if (target == null || args.contains(null)) {
      return null;
    }
    return switch (a.name()) {
      case "format" -> braceFormat(target, args);
      case "replace" -> args.size() >= 2 ? target.replace(args.get(0), args.get(1)) : null;
      case "lower" -> target.toLowerCase(java.util.Locale.ROOT);
      case "upper" -> target.toUpperCase(java.util.Locale.ROOT);
      case "strip" -> target.strip();
      default -> null;
    };
  }

  private static String braceFormat(String fmt, List<String> args) {
    Matcher m = FORMAT_FIELD.matcher(fmt);
    var sb = new StringBuilder();
    int auto = 0;
    while (m.find()) {
      int index = m.group(1).isEmpty() ? auto++ : Integer.parseInt(m.group(1));
      if (index >= args.size()) {
        return null;
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(args.get(index)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String percentFormat(String fmt, List<String> args) {
    var sb = new StringBuilder();
    int next = 0;
    for (int i = 0; i < fmt.length(); i++) {
      char ch = fmt.charAt(i);
      if (ch != '%' || i + 1 >= fmt.length()) {
        sb.append(ch);
        continue;
      }
      char k = fmt.charAt(++i);
      if (k == '%') {
        sb.append('%');
        continue;
      }
      if (next >= args.size()) {
        return null;
      }
      String arg = args.get(next++);
      if (k == 'c' && isNumber(arg)) {
        sb.appendCodePoint(Integer.parseInt(arg));
      } else {
        sb.append(arg);
      }
    }
    return sb.toString();
  }

  private static boolean isNumber(String s) {
    return s != null && !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
  }

  /** When a tag does not parse, still refuse to miss plain dunder names and strings. */
  private void tokenFallback(List<JinjaLexer.Token> tokens) {
    for (var t : tokens) {
      if (t.kind() == JinjaLexer.Kind.NAME || t.kind() == JinjaLexer.Kind.STRING) {
        name(t.text(), (t.kind() == JinjaLexer.Kind.NAME ? "name " : "string '") + t.text()
            + (t.kind() == JinjaLexer.Kind.STRING ? "'" : ""));
      }
    }
  }
}
