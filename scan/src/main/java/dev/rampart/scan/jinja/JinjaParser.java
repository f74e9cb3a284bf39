package dev.rampart.scan.jinja;

import dev.rampart.scan.jinja.JinjaLexer.Kind;
import dev.rampart.scan.jinja.JinjaLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A precedence-climbing parser for Jinja expressions. Unparseable input is a {@link ParseException}. */
final class JinjaParser {
  private static final int MAX_DEPTH = 200;
  private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", ">", "<=", ">=");

  private final List<Token> tokens;
  private int i;
  private int depth;

  JinjaParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static final class ParseException extends Exception {
    ParseException(String m) {
      super(m);
    }
  }

  boolean atEnd() {
    return i >= tokens.size();
  }

  Token peek() {
    return i < tokens.size() ? tokens.get(i) : null;
  }

  boolean isName(String n) {
    var t = peek();
    return t != null && t.kind() == Kind.NAME && t.text().equals(n);
  }

  boolean isOp(String o) {
    var t = peek();
    return t != null && t.kind() == Kind.OP && t.text().equals(o);
  }

  Token advance() throws ParseException {
    if (i >= tokens.size()) {
      throw new ParseException("unexpected end");
    }
    return tokens.get(i++);
  }

  void expectOp(String o) throws ParseException {
    if (!isOp(o)) {
      throw new ParseException("expected " + o);
    }
    i++;
  }

  /** Skips tokens up to (and excluding) the first NAME token equal to {@code name} at nesting level 0. */
  boolean skipUntilName(String name) {
    int level = 0;
    while (i < tokens.size()) {
      var t = tokens.get(i);
      if (t.kind() == Kind.OP && (t.text().equals("(") || t.text().equals("[") || t.text().equals("{"))) {
        level++;
      } else if (t.kind() == Kind.OP && (t.text().equals(")") || t.text().equals("]") || t.text().equals("}"))) {
        level--;
      } else if (level == 0 && t.kind() == Kind.NAME && t.text().equals(name)) {
        return true;
      }
      i++;
    }
    return false;
  }

  Expr expression() throws ParseException {
    if (++depth > MAX_DEPTH) {
      throw new ParseException("expression nested too deeply");
    }
    try {
      Expr e = or();
      if (isName("if")) {
        i++;
        Expr test = or();
        Expr otherwise = new Expr.Str("");
        if (isName("else")) {
          i++;
          otherwise = expression();
        }
        return new Expr.Cond(e, test, otherwise);
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
      return new Expr.Unary("not", not());
    }
    return comparison();
  }

  private Expr comparison() throws ParseException {
    Expr e = concat();
    while (true) {
      var t = peek();
      if (t == null) {
        return e;
      }
      if (t.kind() == Kind.OP && COMPARISONS.contains(t.text())) {
        i++;
        e = new Expr.Binary(t.text(), e, concat());
      } else if (isName("in")) {
        i++;
        e = new Expr.Binary("in", e, concat());
      } else if (isName("not") && i + 1 < tokens.size() && tokens.get(i + 1).text().equals("in")) {
        i += 2;
        e = new Expr.Binary("not in", e, concat());
      } else if (isName("is")) {
        i++;
        if (isName("not")) {
          i++;
        }
        var test = advance();
        var args = new ArrayList<Expr>();
        if (isOp("(")) {
          args.addAll(arguments());
        } else if (peek() != null && (peek().kind() == Kind.STRING || peek().kind() == Kind.NUMBER)) {
          args.add(primary());
        }
        e = new Expr.Filter(e, "is:" + test.text(), args);
      } else {
        return e;
      }
    }
  }

  private Expr concat() throws ParseException {
    Expr e = additive();
    while (isOp("~")) {
      i++;
      e = new Expr.Binary("~", e, additive());
    }
    return e;
  }

  private Expr additive() throws ParseException {
    Expr e = multiplicative();
    while (isOp("+") || isOp("-")) {
      String op = advance().text();
      e = new Expr.Binary(op, e, multiplicative());
    }
    return e;
  }

  private Expr multiplicative() throws ParseException {
    Expr e = unary();
    while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
      String op = advance().text();
      e = new Expr.Binary(op, e, unary());
    }
    return e;
  }

  private Expr unary() throws ParseException {
    if (isOp("-") || isOp("+")) {
      String op = advance().text();
      return new Expr.Unary(op, unary());
    }
    Expr e = power();
    while (isOp("|")) {
      i++;
      String name = advance().text();
      while (isOp(".")) {
        i++;
        name = name + "." + advance().text();
      }
      List<Expr> args = isOp("(") ? arguments() : List.of();
      e = postfix(new Expr.Filter(e, name, args));
    }
    return e;
  }

  private Expr power() throws ParseException {
    Expr e = postfix(primary());
    if (isOp("**")) {
      i++;
      e = new Expr.Binary("**", e, unary());
    }
    return e;
  }

  private Expr postfix(Expr e) throws ParseException {
    while (true) {
      if (isOp(".")) {
        i++;
        e = new Expr.Attr(e, advance().text());
      } else if (isOp("[")) {
        i++;
        Expr index = isOp(":") ? new Expr.Num("0") : expression();
        while (isOp(":") || isOp(",")) {
          i++;
          if (!isOp("]") && !isOp(":")) {
            expression();
          }
        }
        expectOp("]");
        e = new Expr.Item(e, index);
      } else if (isOp("(")) {
        e = new Expr.Call(e, arguments());
      } else {
        return e;
      }
    }
  }

  private List<Expr> arguments() throws ParseException {
    expectOp("(");
    var args = new ArrayList<Expr>();
    while (!isOp(")")) {
      if (isOp("*") || isOp("**")) {
        i++;
      }
      var t = peek();
      if (t != null && t.kind() == Kind.NAME && i + 1 < tokens.size() && tokens.get(i + 1).text().equals("=")) {
        i += 2;
      }
      args.add(expression());
      if (isOp(",")) {
        i++;
      } else if (!isOp(")")) {
        throw new ParseException("expected , or )");
      }
    }
    i++;
    return args;
  }

  private Expr primary() throws ParseException {
    var t = advance();
    switch (t.kind()) {
      case STRING -> {
        Expr e = new Expr.Str(t.text());
        // adjacent string literals concatenate, as in Python
        while (peek() != null && peek().kind() == Kind.STRING) {
          e = new Expr.Binary("~", e, new Expr.Str(advance().text()));
        }
        return e;
      }
      case NUMBER -> {
        return new Expr.Num(t.text());
      }
      case NAME -> {
        return new Expr.Name(t.text());
      }
      case OP -> {
        switch (t.text()) {
          case "(" -> {
            if (isOp(")")) {
              i++;
              return new Expr.Seq(List.of());
            }
            Expr first = expression();
            if (isOp(",")) {
              var items = new ArrayList<Expr>(List.of(first));
              while (isOp(",")) {
                i++;
                if (isOp(")")) {
                  break;
                }
                items.add(expression());
              }
              expectOp(")");
              return new Expr.Seq(items);
            }
            expectOp(")");
            return first;
          }
          case "[" -> {
            var items = new ArrayList<Expr>();
            while (!isOp("]")) {
              items.add(expression());
              if (isOp(",")) {
                i++;
              } else if (!isOp("]")) {
                throw new ParseException("expected , or ]");
              }
            }
            i++;
            return new Expr.Seq(items);
          }
          case "{" -> {
            var items = new ArrayList<Expr>();
            while (!isOp("}")) {
              items.add(expression());
              expectOp(":");
              items.add(expression());
              if (isOp(",")) {
                i++;
              } else if (!isOp("}")) {
                throw new ParseException("expected , or }");
              }
            }
            i++;
            return new Expr.Seq(items);
          }
          default -> throw new ParseException("unexpected " + t.text());
        }
      }
      default -> throw new ParseException("unexpected token");
    }
  }
}
