package dev.rampart.scan.jinja;

import java.util.List;

/** The parsed form of a template: statements with their offsets in the template. */
sealed interface Node {
  int offset();

  record Text(JinjaLexer.Text text) implements Node {
    @Override
    public int offset() {
      return text.offset();
    }
  }

  record Output(Expr value, int offset) implements Node {}

  /** An assignment target: a name, a namespace field ({@code ns.x}), or a tuple of targets. */
  sealed interface Target {}

  record NameTarget(String name) implements Target {}

  record FieldTarget(String namespace, String field) implements Target {}

  record TupleTarget(List<Target> items) implements Target {}

  record Set(Target target, Expr value, int offset) implements Node {}

  /** {@code {% set x | filters %}body{% endset %}}; filter is applied to a {@code Name("__body__")} placeholder. */
  record SetBlock(Target target, Expr filter, List<Node> body, int offset) implements Node {}

  record If(List<Expr> tests, List<List<Node>> branches, List<Node> otherwise, int offset) implements Node {}

  record For(Target target, Expr iterable, Expr condition, List<Node> body, List<Node> otherwise, int offset)
      implements Node {}

  record Param(String name, Expr defaultValue) {}

  record Macro(String name, List<Param> params, List<Node> body, int offset) implements Node {}

  record CallBlock(List<Param> params, Expr call, List<Node> body, int offset) implements Node {}

  record FilterBlock(Expr filter, List<Node> body, int offset) implements Node {}

  record With(List<Target> targets, List<Expr> values, List<Node> body, int offset) implements Node {}

  /** Blocks that only group output: {@code block}, and {@code generation} from transformers. */
  record Group(String keyword, List<Node> body, int offset) implements Node {}

  /** Statements that evaluate expressions without output of their own: {@code do}, {@code break}, unknown tags. */
  record Eval(String keyword, List<Expr> values, int offset) implements Node {}

  /** {@code include}, {@code import}, {@code from}, {@code extends}: the template loads another one. */
  record Load(String keyword, List<Expr> values, List<String> boundNames, int offset) implements Node {}
}
