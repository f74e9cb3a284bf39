package dev.rampart.scan.jinja;

import java.util.List;

/** The parsed form of a Jinja expression. */
sealed interface Expr {
  /** A string literal; a null value is a literal whose escapes could not be resolved. */
  record Str(String value) implements Expr {}

  record Int(long value) implements Expr {}

  /** A float literal, or an integer literal too large for a long. */
  record OtherNumber(String text) implements Expr {}

  record Name(String name) implements Expr {}

  record Attr(Expr target, String name) implements Expr {}

  record Item(Expr target, Expr index) implements Expr {}

  /** {@code x[start:stop:step]}; absent bounds are null. */
  record Slice(Expr target, Expr start, Expr stop, Expr step) implements Expr {}

  /** A call argument; name is null for a positional one, "*" or "**" for unpacking. */
  record Arg(String name, Expr value) {}

  record Call(Expr fn, List<Arg> args) implements Expr {}

  record Filter(Expr target, String name, List<Arg> args) implements Expr {}

  record Test(Expr target, String name, List<Arg> args, boolean negated) implements Expr {}

  record Binary(String op, Expr left, Expr right) implements Expr {}

  record Unary(String op, Expr operand) implements Expr {}

  /** A list or tuple literal. */
  record ListLit(List<Expr> items) implements Expr {}

  record DictLit(List<Expr> keys, List<Expr> values) implements Expr {}

  record Cond(Expr then, Expr test, Expr otherwise) implements Expr {}
}
