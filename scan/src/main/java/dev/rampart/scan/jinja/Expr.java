package dev.rampart.scan.jinja;

import java.util.List;

/** The parsed form of a Jinja expression: just enough to see attribute access and fold constant strings. */
sealed interface Expr {
  record Str(String value) implements Expr {}

  record Num(String text) implements Expr {}

  record Name(String name) implements Expr {}

  record Attr(Expr target, String name) implements Expr {}

  record Item(Expr target, Expr index) implements Expr {}

  record Call(Expr fn, List<Expr> args) implements Expr {}

  record Filter(Expr target, String name, List<Expr> args) implements Expr {}

  record Binary(String op, Expr left, Expr right) implements Expr {}

  record Unary(String op, Expr operand) implements Expr {}

  record Seq(List<Expr> items) implements Expr {}

  record Cond(Expr then, Expr test, Expr otherwise) implements Expr {}
}
