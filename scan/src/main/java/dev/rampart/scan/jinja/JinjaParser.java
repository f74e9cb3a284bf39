package dev.rampart.scan.jinja;

import dev.rampart.scan.jinja.JinjaLexer.Kind;
import dev.rampart.scan.jinja.JinjaLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses a template into statements and expressions, following Jinja's grammar and operator precedence
 * ({@code jinja2/parser.py}). Input Jinja would refuse, or that nests deeper than the limit, is a
 * {@link ParseException}.
 */
final class JinjaParser {
  static final int MAX_DEPTH = 100;
  private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", ">", "<=", ">=");
  private static final Set<String> CONSTANTS = Set.of("true", "false", "none", "True", "False", "None");

  static final class ParseException extends Exception {
    ParseException(String m) {
      super(m);
    }
  }

  private final List<JinjaLexer.Piece> pieces;
  private int piece;
  /** Tokens of the tag being parsed. */
  private List<Token> tokens = List.of();
  private int i;
  private int depth;

  private JinjaParser(List<JinjaLexer.Piece> pieces) {
    this.pieces = pieces;
  }

  static List<Node> parse(List<JinjaLexer.Piece> pieces) throws ParseException {
    var p = new JinjaParser(pieces);
    var body = p.body(Set.of());
    if (p.piece < pieces.size()) {
      throw new ParseException("unexpected '" + p.keywordOf(pieces.get(p.piece)) + "' tag at offset "
          + pieces.get(p.piece).offset());
    }
    return body;
  }

  /** Parses one expression standing alone (used by tests and the fuzzer). */
  static Expr expression(List<Token> tokens) throws ParseException {
    var p = new JinjaParser(List.of());
    p.tokens = tokens;
    Expr e = p.tuple();
    p.expectEnd();
    return e;
  }

  // ---- statements ----

  /** Statements up to (not including) a statement tag whose keyword is in {@code ends}. */
  private List<Node> body(Set<String> ends) throws ParseException {
    if (++depth > MAX_DEPTH) {
      throw new ParseException("statements nested more than " + MAX_DEPTH + " deep");
    }
    try {
      var out = new ArrayList<Node>();
      while (piece < pieces.size()) {
        var next = pieces.get(piece);
        if (next instanceof JinjaLexer.Text t) {
          out.add(new Node.Text(t));
          piece++;
          continue;
        }
        var tag = (JinjaLexer.Tag) next;
        if (!tag.statement()) {
          piece++;
          begin(tag);
          out.add(new Node.Output(tuple(), tag.offset()));
          expectEnd();
          continue;
        }
        String keyword = keywordOf(tag);
        if (ends.contains(keyword)) {
          return out;
        }
        piece++;
        begin(tag);
        i = 1;
        out.add(statement(keyword, tag.offset()));
      }
      if (!ends.isEmpty()) {
        throw new ParseException("template ends inside a block; expected one of " + ends);
      }
      return out;
    } finally {
      depth--;
    }
  }

  private String keywordOf(JinjaLexer.Piece p) {
    if (p instanceof JinjaLexer.Tag t && !t.tokens().isEmpty() && t.tokens().get(0).kind() == Kind.NAME) {
      return t.tokens().get(0).text();
    }
    return "";
  }

  private void begin(JinjaLexer.Tag tag) {
    tokens = tag.tokens();
    i = 0;
  }

  /** Consumes the closing tag named {@code end} (its arguments, such as a block's name, are ignored). */
  private void close(String end) throws ParseException {
    if (piece >= pieces.size()) {
      throw new ParseException("missing " + end);
    }
    piece++;
  }

  private Node statement(String keyword, int offset) throws ParseException {
    switch (keyword) {
      case "for" -> {
        var target = assignTarget();
        expectName("in");
        Expr iterable = tuple(false, Set.of("recursive", "if"));
        Expr condition = null;
        if (isName("if")) {
          i++;
          condition = tuple(false, Set.of("recursive"));
        }
        if (isName("recursive")) {
          i++;
        }
        expectEnd();
        var body = body(Set.of("else", "endfor"));
        var otherwise = List.<Node>of();
        if (nextKeyword().equals("else")) {
          close("else");
          otherwise = body(Set.of("endfor"));
        }
        close("endfor");
        return new Node.For(target, iterable, condition, body, otherwise, offset);
      }
      case "if" -> {
        var tests = new ArrayList<Expr>();
        var branches = new ArrayList<List<Node>>();
        tests.add(tuple(false, Set.of()));
        expectEnd();
        List<Node> otherwise = List.of();
        while (true) {
          branches.add(body(Set.of("elif", "else", "endif")));
          String k = nextKeyword();
          var tag = (JinjaLexer.Tag) pieces.get(piece);
          piece++;
          if (k.equals("elif")) {
            begin(tag);
            i = 1;
            tests.add(tuple(false, Set.of()));
            expectEnd();
          } else if (k.equals("else")) {
            otherwise = body(Set.of("endif"));
            close("endif");
            break;
          } else {
            break;
          }
        }
        return new Node.If(tests, branches, otherwise, offset);
      }
      case "set" -> {
        var target = assignTarget();
        if (isOp("=")) {
          i++;
          Expr value = tuple();
          expectEnd();
          return new Node.Set(target, value, offset);
        }
        Expr filter = filterChain(new Expr.Name(Interpreter.BODY));
        expectEnd();
        var body = body(Set.of("endset"));
        close("endset");
        return new Node.SetBlock(target, filter, body, offset);
      }
      case "macro" -> {
        String name = expectNameToken();
        var params = params();
        expectEnd();
        var body = body(Set.of("endmacro"));
        close("endmacro");
        return new Node.Macro(name, params, body, offset);
      }
      case "call" -> {
        List<Node.Param> params = isOp("(") ? params() : List.of();
        Expr call = expression();
        expectEnd();
        var body = body(Set.of("endcall"));
        close("endcall");
        return new Node.CallBlock(params, call, body, offset);
      }
      case "filter" -> {
        Expr filter = filterChain(new Expr.Name(Interpreter.BODY), true);
        expectEnd();
        var body = body(Set.of("endfilter"));
        close("endfilter");
        return new Node.FilterBlock(filter, body, offset);
      }
      case "with" -> {
        var targets = new ArrayList<Node.Target>();
        var values = new ArrayList<Expr>();
        while (!atEnd()) {
          if (!targets.isEmpty()) {
            expectOp(",");
          }
          targets.add(assignTarget());
          expectOp("=");
          values.add(expression());
        }
        var body = body(Set.of("endwith"));
        close("endwith");
        return new Node.With(targets, values, body, offset);
      }
      case "block", "generation", "autoescape" -> {
        var values = new ArrayList<Expr>();
        while (!atEnd()) {
          values.add(expression());
        }
        var body = body(Set.of("end" + keyword));
        close("end" + keyword);
        if (!values.isEmpty()) {
          body = new ArrayList<>(body);
          body.add(0, new Node.Eval(keyword, values, offset));
        }
        return new Node.Group(keyword, body, offset);
      }
      case "include", "extends" -> {
        var values = new ArrayList<Expr>();
        values.add(expression());
        while (!atEnd()) {
          i++;
        }
        return new Node.Load(keyword, values, List.of(), offset);
      }
      case "import" -> {
        Expr source = expression();
        expectName("as");
        String name = expectNameToken();
        while (!atEnd()) {
          i++;
        }
        return new Node.Load(keyword, List.of(source), List.of(name), offset);
      }
      case "from" -> {
        Expr source = expression();
        expectName("import");
        var names = new ArrayList<String>();
        while (!atEnd()) {
          var t = advance();
          if (t.kind() == Kind.NAME && !t.text().equals("as") && !t.text().equals("with")
              && !t.text().equals("without") && !t.text().equals("context")) {
            names.add(t.text());
          }
        }
        return new Node.Load(keyword, List.of(source), names, offset);
      }
      case "do", "print" -> {
        Expr value = tuple();
        expectEnd();
        return new Node.Eval(keyword, List.of(value), offset);
      }
      case "break", "continue" -> {
        expectEnd();
        return new Node.Eval(keyword, List.of(), offset);
      }
      default -> throw new ParseException("unknown tag '" + keyword + "' at offset " + offset);
    }
  }

  private String nextKeyword() throws ParseException {
    if (piece >= pieces.size()) {
      throw new ParseException("unexpected end of template");
    }
    return keywordOf(pieces.get(piece));
  }

  private List<Node.Param> params() throws ParseException {
    expectOp("(");
    var out = new ArrayList<Node.Param>();
    while (!isOp(")")) {
      if (!out.isEmpty()) {
        expectOp(",");
        if (isOp(")")) {
          break;
        }
      }
      String name = expectNameToken();
      Expr def = null;
      if (isOp("=")) {
        i++;
        def = expression();
      }
      out.add(new Node.Param(name, def));
    }
    i++;
    return out;
  }

  private Node.Target assignTarget() throws ParseException {
    var items = new ArrayList<Node.Target>();
    boolean tuple = false;
    while (true) {
      items.add(singleTarget());
      if (!isOp(",")) {
        break;
      }
      tuple = true;
      i++;
      if (isOp("=") || isName("in") || atEnd()) {
        break;
      }
    }
    return tuple ? new Node.TupleTarget(items) : items.get(0);
  }

  private Node.Target singleTarget() throws ParseException {
    if (isOp("(")) {
      i++;
      var t = assignTarget();
      expectOp(")");
      return t;
    }
    String name = expectNameToken();
    if (isOp(".")) {
      i++;
      return new Node.FieldTarget(name, expectNameToken());
    }
    return new Node.NameTarget(name);
  }

  // ---- expressions ----

  private Expr tuple() throws ParseException {
    return tuple(true, Set.of());
  }

  /** An expression, or several separated by commas (a tuple), as Jinja's parse_tuple. */
  private Expr tuple(boolean withCondition, Set<String> endNames) throws ParseException {
    var items = new ArrayList<Expr>();
    boolean comma = false;
    while (true) {
      if (!items.isEmpty()) {
        expectOp(",");
        comma = true;
      }
      if (atEnd() || isOp(")") || isOp("]") || isOp("}") || endNames.stream().anyMatch(this::isName)) {
        if (items.isEmpty()) {
          throw new ParseException("expected an expression");
        }
        break;
      }
      items.add(withCondition ? expression() : or());
      if (!isOp(",")) {
        break;
      }
    }
    return comma || items.size() > 1 ? new Expr.ListLit(items) : items.get(0);
  }

  Expr expression() throws ParseException {
    if (++depth > MAX_DEPTH) {
      throw new ParseException("expression nested more than " + MAX_DEPTH + " deep");
    }
    try {
      Expr e = or();
      while (isName("if")) {
        i++;
        Expr test = or();
        Expr otherwise = null;
        if (isName("else")) {
          i++;
          otherwise = expression();
        }
        e = new Expr.Cond(e, test, otherwise);
      }
      return e;
    } finally {
      depth--;
    }
  }

  private Expr or() throws ParseException {
    Expr e = and();
    while (isName("or")) {
      i++;
      e = new Expr.Binary("or", e, and());
    }
    return e;
  }

  private Expr and() throws ParseException {
    Expr e = not();
    while (isName("and")) {
      i++;
      e = new Expr.Binary("and", e, not());
    }
    return e;
  }

  private Expr not() throws ParseException {
    if (isName("not")) {
      i++;
      return nested(() -> new Expr.Unary("not", not()));
    }
    return comparison();
  }

  private Expr comparison() throws ParseException {
    Expr e = math1();
    while (true) {
      var t = peek();
      if (t != null && t.kind() == Kind.OP && COMPARISONS.contains(t.text())) {
        i++;
        e = new Expr.Binary(t.text(), e, math1());
      } else if (isName("in")) {
        i++;
        e = new Expr.Binary("in", e, math1());
      } else if (isName("not") && i + 1 < tokens.size() && tokens.get(i + 1).kind() == Kind.NAME
          && tokens.get(i + 1).text().equals("in")) {
        i += 2;
        e = new Expr.Binary("not in", e, math1());
      } else {
        return e;
      }
    }
  }

  private Expr math1() throws ParseException {
    Expr e = concat();
    while (isOp("+") || isOp("-")) {
      String op = advance().text();
      e = new Expr.Binary(op, e, concat());
    }
    return e;
  }

  private Expr concat() throws ParseException {
    Expr e = math2();
    while (isOp("~")) {
      i++;
      e = new Expr.Binary("~", e, math2());
    }
    return e;
  }

  private Expr math2() throws ParseException {
    Expr e = pow();
    while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
      String op = advance().text();
      e = new Expr.Binary(op, e, pow());
    }
    return e;
  }

  private Expr pow() throws ParseException {
    Expr e = unary(true);
    while (isOp("**")) {
      i++;
      e = new Expr.Binary("**", e, unary(true));
    }
    return e;
  }

  private interface ExprSupplier {
    Expr get() throws ParseException;
  }

  private Expr nested(ExprSupplier s) throws ParseException {
    if (++depth > MAX_DEPTH) {
      throw new ParseException("expression nested more than " + MAX_DEPTH + " deep");
    }
    try {
      return s.get();
    } finally {
      depth--;
    }
  }

  private Expr unary(boolean withFilter) throws ParseException {
    Expr e;
    if (isOp("-") || isOp("+")) {
      String op = advance().text();
      e = nested(() -> new Expr.Unary(op, unary(false)));
    } else {
      e = primary();
    }
    e = postfix(e);
    return withFilter ? filterChain(e) : e;
  }

  private Expr filterChain(Expr target) throws ParseException {
    return filterChain(target, false);
  }

  /** {@code | name(args)} and {@code is test} repeated; with {@code leadingFilter} the first filter has no bar. */
  private Expr filterChain(Expr target, boolean leadingFilter) throws ParseException {
    Expr e = target;
    boolean first = leadingFilter;
    while (true) {
      if (first || isOp("|")) {
        if (!first) {
          i++;
        }
        first = false;
        String name = dottedName();
        List<Expr.Arg> args = isOp("(") ? arguments() : List.of();
        e = new Expr.Filter(e, name, args);
      } else if (isName("is")) {
        i++;
        boolean negated = false;
        if (isName("not")) {
          i++;
          negated = true;
        }
        String name = dottedName();
        List<Expr.Arg> args = List.of();
        if (isOp("(")) {
          args = arguments();
        } else if (startsTestArgument()) {
          args = List.of(new Expr.Arg(null, postfix(primary())));
        }
        e = new Expr.Test(e, name, args, negated);
      } else if (isOp("(")) {
        e = new Expr.Call(e, arguments());
      } else {
        return e;
      }
    }
  }

  private boolean startsTestArgument() {
    var t = peek();
    if (t == null) {
      return false;
    }
    return switch (t.kind()) {
      case STRING, INTEGER, FLOAT -> true;
      case NAME -> !Set.of("else", "or", "and", "if", "in", "not", "is", "recursive").contains(t.text());
      case OP -> t.text().equals("[") || t.text().equals("{");
    };
  }

  private String dottedName() throws ParseException {
    String name = expectNameToken();
    while (isOp(".")) {
      i++;
      name = name + "." + expectNameToken();
    }
    return name;
  }

  private Expr postfix(Expr start) throws ParseException {
    Expr e = start;
    while (true) {
      if (isOp(".")) {
        i++;
        var t = advance();
        if (t.kind() == Kind.NAME) {
          e = new Expr.Attr(e, t.text());
        } else if (t.kind() == Kind.INTEGER) {
          e = new Expr.Item(e, integer(t.text()));
        } else {
          throw new ParseException("expected a name or integer after '.'");
        }
      } else if (isOp("[")) {
        i++;
        e = subscript(e);
      } else if (isOp("(")) {
        e = new Expr.Call(e, arguments());
      } else {
        return e;
      }
    }
  }

  private Expr subscript(Expr target) throws ParseException {
    var indexes = new ArrayList<Expr>();
    Expr slice = null;
    while (!isOp("]")) {
      if (!indexes.isEmpty() || slice != null) {
        expectOp(",");
        if (isOp("]")) {
          break;
        }
      }
      Expr start = isOp(":") ? null : expression();
      if (isOp(":")) {
        i++;
        Expr stop = isOp("]") || isOp(":") || isOp(",") ? null : expression();
        Expr step = null;
        if (isOp(":")) {
          i++;
          step = isOp("]") || isOp(",") ? null : expression();
        }
        slice = new Expr.Slice(target, start, stop, step);
        indexes.add(slice);
      } else {
        indexes.add(start);
      }
    }
    i++;
    if (indexes.isEmpty()) {
      throw new ParseException("empty subscript");
    }
    if (indexes.size() == 1) {
      return indexes.get(0) instanceof Expr.Slice s ? s : new Expr.Item(target, indexes.get(0));
    }
    return new Expr.Item(target, new Expr.ListLit(indexes));
  }

  private List<Expr.Arg> arguments() throws ParseException {
    expectOp("(");
    var args = new ArrayList<Expr.Arg>();
    while (!isOp(")")) {
      if (!args.isEmpty()) {
        expectOp(",");
        if (isOp(")")) {
          break;
        }
      }
      String name = null;
      if (isOp("*") || isOp("**")) {
        name = advance().text();
      } else if (peek() != null && peek().kind() == Kind.NAME && i + 1 < tokens.size()
          && tokens.get(i + 1).kind() == Kind.OP && tokens.get(i + 1).text().equals("=")) {
        name = advance().text();
        i++;
      }
      args.add(new Expr.Arg(name, expression()));
    }
    i++;
    return args;
  }

  private Expr primary() throws ParseException {
    var t = advance();
    switch (t.kind()) {
      case STRING -> {
        String value = t.text();
        // adjacent string literals concatenate, as in Python
        while (peek() != null && peek().kind() == Kind.STRING) {
          String next = advance().text();
          value = value == null || next == null ? null : value + next;
        }
        return new Expr.Str(value);
      }
      case INTEGER -> {
        return integer(t.text());
      }
      case FLOAT -> {
        return new Expr.OtherNumber(t.text());
      }
      case NAME -> {
        return CONSTANTS.contains(t.text()) ? new Expr.Name(t.text().toLowerCase(java.util.Locale.ROOT))
            : new Expr.Name(t.text());
      }
      case OP -> {
        return switch (t.text()) {
          case "(" -> nested(this::parenthesised);
          case "[" -> nested(this::list);
          case "{" -> nested(this::dict);
          default -> throw new ParseException("unexpected '" + t.text() + "'");
        };
      }
    }
    throw new ParseException("unexpected token");
  }

  private Expr parenthesised() throws ParseException {
    if (isOp(")")) {
      i++;
      return new Expr.ListLit(List.of());
    }
    Expr e = tuple();
    expectOp(")");
    return e;
  }

  private Expr list() throws ParseException {
    var items = new ArrayList<Expr>();
    while (!isOp("]")) {
      if (!items.isEmpty()) {
        expectOp(",");
        if (isOp("]")) {
          break;
        }
      }
      items.add(expression());
    }
    i++;
    return new Expr.ListLit(items);
  }

  private Expr dict() throws ParseException {
    var keys = new ArrayList<Expr>();
    var values = new ArrayList<Expr>();
    while (!isOp("}")) {
      if (!keys.isEmpty()) {
        expectOp(",");
        if (isOp("}")) {
          break;
        }
      }
      keys.add(expression());
      expectOp(":");
      values.add(expression());
    }
    i++;
    return new Expr.DictLit(keys, values);
  }

  private static Expr integer(String text) {
    try {
      String t = text.toLowerCase(java.util.Locale.ROOT);
      if (t.startsWith("0x")) {
        return new Expr.Int(Long.parseLong(t.substring(2), 16));
      }
      if (t.startsWith("0o")) {
        return new Expr.Int(Long.parseLong(t.substring(2), 8));
      }
      if (t.startsWith("0b")) {
        return new Expr.Int(Long.parseLong(t.substring(2), 2));
      }
      return new Expr.Int(Long.parseLong(t));
    } catch (NumberFormatException tooLarge) {
      return new Expr.OtherNumber(text);
    }
  }

  // ---- token helpers ----

  private boolean atEnd() {
    return i >= tokens.size();
  }

  private Token peek() {
    return i < tokens.size() ? tokens.get(i) : null;
  }

  private boolean isName(String n) {
    var t = peek();
    return t != null && t.kind() == Kind.NAME && t.text().equals(n);
  }

  private boolean isOp(String o) {
    var t = peek();
    return t != null && t.kind() == Kind.OP && t.text().equals(o);
  }

  private Token advance() throws ParseException {
    if (i >= tokens.size()) {
      throw new ParseException("unexpected end of tag");
    }
    return tokens.get(i++);
  }

  private void expectOp(String o) throws ParseException {
    if (!isOp(o)) {
      throw new ParseException("expected '" + o + "'" + (atEnd() ? " at end of tag" : " before '" + peek().text() + "'"));
    }
    i++;
  }

  private void expectName(String n) throws ParseException {
    if (!isName(n)) {
      throw new ParseException("expected '" + n + "'");
    }
    i++;
  }

  private String expectNameToken() throws ParseException {
    var t = advance();
    if (t.kind() != Kind.NAME) {
      throw new ParseException("expected a name");
    }
    return t.text();
  }

  private void expectEnd() throws ParseException {
    if (!atEnd()) {
      throw new ParseException("unexpected '" + peek().text() + "' in tag");
    }
  }
}
