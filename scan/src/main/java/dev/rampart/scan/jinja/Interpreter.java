package dev.rampart.scan.jinja;

import dev.rampart.core.Severity;
import dev.rampart.scan.jinja.Value.AnyList;
import dev.rampart.scan.jinja.Value.Dict;
import dev.rampart.scan.jinja.Value.Elem;
import dev.rampart.scan.jinja.Value.Fn;
import dev.rampart.scan.jinja.Value.Helper;
import dev.rampart.scan.jinja.Value.I;
import dev.rampart.scan.jinja.Value.Loop;
import dev.rampart.scan.jinja.Value.Lst;
import dev.rampart.scan.jinja.Value.Macro;
import dev.rampart.scan.jinja.Value.Method;
import dev.rampart.scan.jinja.Value.Ns;
import dev.rampart.scan.jinja.Value.Num;
import dev.rampart.scan.jinja.Value.S;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Abstract interpretation of a parsed template over {@link Value}s: every variable, macro parameter, loop
 * variable, namespace field and block body is bound to every value it may take anywhere in the template
 * (flow-insensitive, so sound without modelling control flow), and the template is walked until the bindings
 * stop growing. Every place where Jinja ends in {@code getattr} (attributes, subscripts, {@code |attr},
 * {@code map(attribute=)}, {@code groupby}, sort and friends, {@code str.format} fields) checks the names it may
 * receive: a Python internal is CRITICAL, a name the analysis cannot resolve is HIGH.
 */
final class Interpreter {
  /** The placeholder a block filter ({@code {% filter %}}, {@code {% set x | f %}}) is applied to. */
  static final String BODY = "(body)";
  private static final String CALLER = "(caller)";
  private static final String LOOP_ITEM = "(loop item)";
  private static final String FIELD = "(field)";
  private static final String MACRO = "(macro)";
  private static final String BLOCK = "(block)";
  private static final int MAX_PASSES = 8;
  /** Jinja's globals and the helpers chat-template renderers add. */
  private static final Set<String> HELPERS = Set.of("range", "dict", "namespace", "cycler", "joiner", "lipsum",
      "raise_exception", "strftime_now");
  /** Objects of web frameworks that Jinja escapes reach through; a chat template has no business with them. */
  private static final Set<String> APPLICATION_OBJECTS = Set.of("self", "request", "config", "url_for",
      "get_flashed_messages", "session", "application");
  /** Context variables chat-template renderers pass in; a template may also assign them, so both values hold. */
  private static final Set<String> CONTEXT = Set.of("messages", "tools", "documents", "add_generation_prompt",
      "bos_token", "eos_token", "unk_token", "pad_token", "custom_tools", "tools_in_user_message", "date_string",
      "builtin_tools", "enable_thinking", "reasoning_effort", "system_message", "available_tools");

  private final Map<String, Value> env = new HashMap<>();
  private final Set<String> assigned = new HashSet<>();
  private final Map<String, List<Node.Param>> macros = new HashMap<>();
  private final List<List<Node.Param>> callerParams = new ArrayList<>();
  private final Set<TemplateCheck.Issue> issues = new LinkedHashSet<>();
  private final long deadline;
  private boolean changed;
  private boolean widen;
  private int offset;

  private Interpreter(long deadlineNanos) {
    this.deadline = deadlineNanos;
  }

  static final class TimeoutException extends Exception {
    TimeoutException(String m) {
      super(m);
    }
  }

  static List<TemplateCheck.Issue> run(List<Node> template, long deadlineNanos) throws TimeoutException {
    var in = new Interpreter(deadlineNanos);
    in.collect(template);
    for (int pass = 0; ; pass++) {
      in.changed = false;
      in.widen = pass >= MAX_PASSES;
      in.block(template);
      if (!in.changed) {
        return new ArrayList<>(in.issues);
      }
      // once widening starts, every binding can still change once (to unknown)
      if (pass >= MAX_PASSES + in.env.size() + 2) {
        throw new TimeoutException("template analysis did not settle after " + pass + " passes");
      }
    }
  }

  // ---- bindings ----

  private void collect(List<Node> nodes) {
    for (Node n : nodes) {
      switch (n) {
        case Node.Set s -> names(s.target());
        case Node.SetBlock s -> {
          names(s.target());
          collect(s.body());
        }
        case Node.For f -> {
          names(f.target());
          assigned.add("loop");
          collect(f.body());
          collect(f.otherwise());
        }
        case Node.If f -> {
          f.branches().forEach(this::collect);
          collect(f.otherwise());
        }
        case Node.Macro m -> {
          assigned.add(m.name());
          macros.put(m.name(), m.params());
          m.params().forEach(p -> assigned.add(p.name()));
          assigned.addAll(List.of("varargs", "kwargs", "caller"));
          collect(m.body());
        }
        case Node.CallBlock c -> {
          c.params().forEach(p -> assigned.add(p.name()));
          callerParams.add(c.params());
          collect(c.body());
        }
        case Node.FilterBlock f -> collect(f.body());
        case Node.With w -> {
          w.targets().forEach(this::names);
          collect(w.body());
        }
        case Node.Group g -> collect(g.body());
        case Node.Load l -> assigned.addAll(l.boundNames());
        default -> {}
      }
    }
  }

  private void names(Node.Target t) {
    switch (t) {
      case Node.NameTarget n -> assigned.add(n.name());
      case Node.FieldTarget f -> assigned.add(f.namespace());
      case Node.TupleTarget tt -> tt.items().forEach(this::names);
    }
  }

  private void bind(String key, Value v) {
    Value old = env.getOrDefault(key, Value.NOTHING);
    Value joined = old.join(v);
    if (!joined.equals(old)) {
      changed = true;
      env.put(key, widen ? Value.UNKNOWN : joined);
    }
  }

  private void assign(Node.Target t, Value v) {
    switch (t) {
      case Node.NameTarget n -> bind(n.name(), v);
      case Node.FieldTarget f -> {
        report(Names.classify(f.field(), false), "namespace field '" + f.field() + "'");
        bind(FIELD + f.field(), v);
      }
      case Node.TupleTarget tt -> {
        for (int k = 0; k < tt.items().size(); k++) {
          int index = k;
          assign(tt.items().get(k), v.map(e -> {
            var items = Value.knownItems(e);
            if (items != null) {
              return index < items.size() ? items.get(index) : Value.NOTHING;
            }
            return e instanceof AnyList l ? l.item() : Value.UNKNOWN;
          }));
        }
      }
    }
  }

  /** A namespace field set through {@code namespace(field=...)}. */
  void assignField(String field, Value v) {
    report(Names.classify(field, false), "namespace field '" + field + "'");
    bind(FIELD + field, v);
  }

  private Value lookup(String name) {
    if (assigned.contains(name)) {
      Value v = env.getOrDefault(name, Value.NOTHING);
      return CONTEXT.contains(name) ? v.join(Value.UNKNOWN) : v;
    }
    if (HELPERS.contains(name)) {
      return Value.of(new Fn(name));
    }
    return switch (name) {
      case "true", "false" -> Value.NUMBER;
      case "none" -> Value.of(new Value.None());
      default -> name.equals(BODY) ? env.getOrDefault(BODY, Value.UNKNOWN) : Value.UNKNOWN;
    };
  }

  // ---- statements: walk, and give the output they may render ----

  private Value block(List<Node> nodes) throws TimeoutException {
    Value out = Value.EMPTY_STRING;
    for (Node n : nodes) {
      out = concat(out, node(n));
    }
    return out;
  }

  private Value node(Node n) throws TimeoutException {
    if (System.nanoTime() > deadline) {
      throw new TimeoutException("template analysis took longer than its time limit");
    }
    offset = n.offset();
    return switch (n) {
      case Node.Text t -> textVariants(t.text());
      case Node.Output o -> stringOf(eval(o.value()));
      case Node.Set s -> {
        assign(s.target(), eval(s.value()));
        yield Value.EMPTY_STRING;
      }
      case Node.SetBlock s -> {
        Value body = block(s.body());
        offset = s.offset();
        env.put(BODY, body);
        assign(s.target(), eval(s.filter()));
        yield Value.EMPTY_STRING;
      }
      case Node.If f -> {
        f.tests().forEach(this::eval);
        Value out = f.otherwise().isEmpty() ? Value.EMPTY_STRING : block(f.otherwise());
        for (var b : f.branches()) {
          out = out.join(block(b));
        }
        yield out;
      }
      case Node.For f -> {
        Value item = eval(f.iterable()).items();
        assign(f.target(), item);
        bind(LOOP_ITEM, item);
        bind("loop", Value.of(new Loop()));
        if (f.condition() != null) {
          eval(f.condition());
        }
        Value body = block(f.body());
        Value otherwise = block(f.otherwise());
        yield body.equals(Value.EMPTY_STRING) ? otherwise : Value.UNKNOWN;
      }
      case Node.Macro m -> {
        bind(m.name(), Value.of(new Macro(m.name())));
        for (var p : m.params()) {
          if (p.defaultValue() != null) {
            bind(p.name(), eval(p.defaultValue()));
          }
        }
        bind("caller", Value.of(new Macro(CALLER)));
        bind(MACRO + m.name(), block(m.body()));
        yield Value.EMPTY_STRING;
      }
      case Node.CallBlock c -> {
        for (var p : c.params()) {
          if (p.defaultValue() != null) {
            bind(p.name(), eval(p.defaultValue()));
          }
        }
        bind(MACRO + CALLER, block(c.body()));
        offset = c.offset();
        yield stringOf(eval(c.call()));
      }
      case Node.FilterBlock f -> {
        Value body = block(f.body());
        offset = f.offset();
        env.put(BODY, body);
        yield stringOf(eval(f.filter()));
      }
      case Node.With w -> {
        for (int k = 0; k < w.targets().size(); k++) {
          assign(w.targets().get(k), eval(w.values().get(k)));
        }
        yield block(w.body());
      }
      case Node.Group g -> {
        Value body = block(g.body());
        if (g.keyword().equals("block") && !g.body().isEmpty() && g.body().get(0) instanceof Node.Eval name
            && name.values().get(0) instanceof Expr.Name blockName) {
          // self.NAME() renders the block again, wherever the template calls it
          bind(BLOCK + blockName.name(), body);
        }
        yield body;
      }
      case Node.Eval e -> {
        e.values().forEach(this::eval);
        yield Value.EMPTY_STRING;
      }
      case Node.Load l -> {
        l.values().forEach(this::eval);
        issue(Severity.MEDIUM, "'" + l.keyword() + "' loads another template from the renderer's loader");
        l.boundNames().forEach(name -> bind(name, Value.UNKNOWN));
        yield Value.UNKNOWN;
      }
    };
  }

  /**
   * Literal text as the renderer may emit it: trim_blocks drops the first newline after a statement tag and
   * lstrip_blocks the spaces before one, and renderers differ in both settings, so every variant is possible.
   */
  private static Value textVariants(JinjaLexer.Text t) {
    Value out = Value.str(t.text());
    if (t.afterBlock() && t.text().startsWith("\n")) {
      out = out.join(Value.str(t.text().substring(1)));
    }
    if (t.beforeBlock()) {
      out = out.map(e -> {
        String s = ((S) e).s();
        int lineStart = s.lastIndexOf('\n') + 1;
        String stripped = s.substring(0, lineStart) + s.substring(lineStart).replaceAll("[ \\t]+$", "");
        return Value.str(s).join(Value.str(stripped));
      });
    }
    return out;
  }

  // ---- expressions ----

  Value eval(Expr e) {
    return switch (e) {
      case Expr.Str s -> s.value() == null ? Value.UNKNOWN : Value.str(s.value());
      case Expr.Int n -> Value.integer(n.value());
      case Expr.OtherNumber n -> Value.NUMBER;
      case Expr.Name n -> lookup(n.name());
      case Expr.Attr a -> {
        Value target = eval(a.target());
        applicationObject(a.target(), "." + a.name());
        if (templateObject(target)) {
          // a field of the template's own dict or namespace named 'system' is just a word
          itemSink(Value.str(a.name()), Value.UNKNOWN, "attribute ." + a.name());
        } else {
          attributeSink(Value.str(a.name()), "attribute ." + a.name());
        }
        yield getattr(target, a.name());
      }
      case Expr.Item it -> {
        Value target = eval(it.target());
        Value key = eval(it.index());
        applicationObject(it.target(), "[...]");
        itemSink(key, target, "subscript");
        yield getitem(target, key);
      }
      case Expr.Slice s -> slice(eval(s.target()), optional(s.start()), optional(s.stop()), optional(s.step()));
      case Expr.Call c -> call(c);
      case Expr.Filter f -> Builtins.filter(this, eval(f.target()), f.name(), args(f.args()));
      case Expr.Test t -> {
        eval(t.target());
        args(t.args());
        yield Value.NUMBER;
      }
      case Expr.Binary b -> binary(b.op(), eval(b.left()), eval(b.right()));
      case Expr.Unary u -> {
        Value v = eval(u.operand());
        yield u.op().equals("-") ? v.map(x -> x instanceof I i && i.n() != Long.MIN_VALUE ? Value.integer(-i.n())
            : Value.NUMBER)
            : u.op().equals("+") ? v : Value.NUMBER;
      }
      case Expr.ListLit l -> Value.list(l.items().stream().map(this::eval).toList());
      case Expr.DictLit d -> {
        var entries = new LinkedHashMap<String, Value>();
        boolean known = true;
        for (int k = 0; k < d.keys().size(); k++) {
          Value key = eval(d.keys().get(k));
          Value value = eval(d.values().get(k));
          var names = key.strings();
          if (names == null || names.size() != 1) {
            known = false;
          } else {
            entries.merge(names.iterator().next(), value, (x, y) -> y);
          }
        }
        yield known && entries.size() <= Value.MAX_ITEMS ? Value.dict(entries) : Value.UNKNOWN;
      }
      case Expr.Cond c -> {
        eval(c.test());
        yield eval(c.then()).join(c.otherwise() == null ? Value.EMPTY_STRING : eval(c.otherwise()));
      }
    };
  }

  private Value optional(Expr e) {
    return e == null ? Value.of(new Value.None()) : eval(e);
  }

  /** Evaluated call arguments. */
  record Args(List<Value> positional, Map<String, Value> named, boolean unpacked) {
    Value at(int index, String name) {
      if (named.containsKey(name)) {
        return named.get(name);
      }
      if (index >= 0 && index < positional.size()) {
        return positional.get(index);
      }
      return unpacked ? Value.UNKNOWN : null;
    }
  }

  private Args args(List<Expr.Arg> args) {
    var positional = new ArrayList<Value>();
    var named = new LinkedHashMap<String, Value>();
    boolean unpacked = false;
    for (var a : args) {
      Value v = eval(a.value());
      if (a.name() == null) {
        positional.add(v);
      } else if (a.name().equals("*") || a.name().equals("**")) {
        unpacked = true;
      } else {
        named.put(a.name(), v);
      }
    }
    return new Args(positional, named, unpacked);
  }

  private Value call(Expr.Call c) {
    Args args = args(c.args());
    if (c.fn() instanceof Expr.Attr a) {
      Value receiver = eval(a.target());
      applicationObject(a.target(), "." + a.name() + "()");
      attributeSink(Value.str(a.name()), "method ." + a.name());
      if (a.target() instanceof Expr.Name self && self.name().equals("self") && !assigned.contains("self")) {
        return env.getOrDefault(BLOCK + a.name(), Value.UNKNOWN);
      }
      Value out = Builtins.method(this, receiver, a.name(), args);
      // a macro or helper kept in a namespace field, dict or list is called through an attribute, too
      Value held = getattr(receiver, a.name()).map(e -> e instanceof Macro || e instanceof Fn || e instanceof Helper
          ? Value.of(e) : Value.NOTHING);
      if (receiver.unknown()) {
        bindEveryMacro(args);
      }
      return held.isEmpty() ? out : out.join(callValue(held, args));
    }
    if (!(c.fn() instanceof Expr.Name)) {
      // templates call macros, globals and methods by name; calling a value fetched by subscript or filter
      // (lipsum|attr(x))() is how an escape invokes what it found
      issue(Severity.HIGH, "calls a value computed at render time");
    }
    return callValue(eval(c.fn()), args);
  }

  Value callValue(Value fn, Args args) {
    if (fn.unknown()) {
      // an unresolved callee may be any macro: its parameters may take these arguments
      bindEveryMacro(args);
      return Value.UNKNOWN;
    }
    Value out = Value.NOTHING;
    for (Elem e : fn.elems()) {
      out = out.join(switch (e) {
        case Fn f -> Builtins.global(this, f.name(), args);
        case Method m -> Builtins.method(this, m.receiver(), m.name(), args);
        case Macro m -> callMacro(m.name(), args);
        case Helper h -> h.kind().equals("joiner") ? h.produces().join(Value.EMPTY_STRING) : Value.UNKNOWN;
        case Loop l -> Value.UNKNOWN;
        default -> Value.UNKNOWN;
      });
    }
    return out;
  }

  private Value callMacro(String name, Args args) {
    if (name.equals(CALLER)) {
      for (var params : callerParams) {
        bindParams(params, args);
      }
      return env.getOrDefault(MACRO + CALLER, Value.NOTHING);
    }
    var params = macros.get(name);
    if (params == null) {
      return Value.UNKNOWN;
    }
    bindParams(params, args);
    var extra = new ArrayList<Value>();
    for (int k = params.size(); k < args.positional().size(); k++) {
      extra.add(args.positional().get(k));
    }
    bind("varargs", args.unpacked() ? Value.UNKNOWN : Value.list(extra));
    var kwargs = new LinkedHashMap<String, Value>(args.named());
    params.forEach(p -> kwargs.remove(p.name()));
    kwargs.remove("caller");
    bind("kwargs", args.unpacked() ? Value.UNKNOWN : Value.dict(kwargs));
    return env.getOrDefault(MACRO + name, Value.NOTHING);
  }

  private void bindEveryMacro(Args args) {
    if (args.positional().isEmpty() && args.named().isEmpty() && !args.unpacked()) {
      return;
    }
    macros.values().forEach(params -> bindParams(params, args));
    callerParams.forEach(params -> bindParams(params, args));
    if (!macros.isEmpty()) {
      bind("varargs", Value.of(new AnyList(args.unpacked() ? Value.UNKNOWN : Value.join(args.positional()))));
      bind("kwargs", Value.UNKNOWN);
    }
  }

  private void bindParams(List<Node.Param> params, Args args) {
    for (int k = 0; k < params.size(); k++) {
      Value v = args.at(k, params.get(k).name());
      if (v != null) {
        bind(params.get(k).name(), v);
      }
    }
  }

  Value getattr(Value target, String name) {
    return target.map(e -> switch (e) {
      case Ns n -> env.getOrDefault(FIELD + name, Value.NOTHING);
      case Dict d -> d.entries().containsKey(name) ? d.entries().get(name) : Value.of(new Method(Value.of(d), name));
      case Loop l -> switch (name) {
        case "previtem", "nextitem" -> env.getOrDefault(LOOP_ITEM, Value.UNKNOWN);
        case "cycle", "changed" -> Value.of(new Method(Value.of(l), name));
        default -> Value.NUMBER;
      };
      case Helper h -> switch (name) {
        case "current" -> h.produces();
        default -> Value.of(new Method(Value.of(h), name));
      };
      case S s -> Value.of(new Method(Value.of(s), name));
      case Lst l -> Value.of(new Method(Value.of(l), name));
      case AnyList l -> Value.of(new Method(Value.of(l), name));
      default -> Value.UNKNOWN;
    });
  }

  Value getitem(Value target, Value key) {
    return target.map2(key, (t, k) -> switch (t) {
      case Lst l when k instanceof I i -> {
        long idx = i.n() < 0 ? l.items().size() + i.n() : i.n();
        yield idx >= 0 && idx < l.items().size() ? l.items().get((int) idx) : Value.NOTHING;
      }
      case Lst l when k instanceof Num -> Value.join(l.items());
      case AnyList l when k instanceof I || k instanceof Num -> l.item();
      case S s when k instanceof I i -> {
        // Python indexes code points, not UTF-16 units
        int[] cps = s.s().codePoints().toArray();
        long idx = i.n() < 0 ? cps.length + i.n() : i.n();
        yield idx >= 0 && idx < cps.length ? Value.str(new String(Character.toChars(cps[(int) idx])))
            : Value.NOTHING;
      }
      case S s when k instanceof Num -> s.s().length() <= Value.MAX_ALTERNATIVES ? Value.of(s).items()
          : Value.UNKNOWN;
      case Dict d when k instanceof S name -> d.entries().containsKey(name.s()) ? d.entries().get(name.s())
          : Value.of(new Method(Value.of(d), name.s()));
      case Ns n when k instanceof S name -> env.getOrDefault(FIELD + name.s(), Value.NOTHING);
      case Loop l when k instanceof S name -> getattr(Value.of(l), name.s());
      default -> Value.UNKNOWN;
    });
  }

  private Value slice(Value target, Value start, Value stop, Value step) {
    if (target.unknown()) {
      return Value.UNKNOWN;
    }
    Value out = Value.NOTHING;
    for (Elem t : target.elems()) {
      var items = t instanceof S || t instanceof Lst ? Value.knownItems(t) : null;
      if (t instanceof S s) {
        items = s.s().codePoints().mapToObj(cp -> Value.str(new String(Character.toChars(cp)))).toList();
      }
      Long a = single(start);
      Long b = single(stop);
      Long c = single(step);
      if (items == null || a == null || b == null || c == null || c == 0) {
        out = out.join(switch (t) {
          case Lst l -> Value.of(new AnyList(Value.join(l.items())));
          case AnyList l -> Value.of(l);
          default -> Value.UNKNOWN;
        });
        continue;
      }
      var picked = new ArrayList<Value>();
      int n = items.size();
      long st = c == Long.MIN_VALUE ? 1 : c;
      long lo = a == Long.MIN_VALUE ? (st > 0 ? 0 : n - 1) : norm(a, n, st);
      long hi = b == Long.MIN_VALUE ? (st > 0 ? n : -1) : norm(b, n, st);
      for (long k = lo; st > 0 ? k < hi : k > hi; k += st) {
        if (k >= 0 && k < n) {
          picked.add(items.get((int) k));
        }
      }
      if (t instanceof S) {
        var sb = new StringBuilder();
        for (Value v : picked) {
          sb.append(v.strings().iterator().next());
        }
        out = out.join(Value.str(sb.toString()));
      } else {
        out = out.join(Value.list(picked));
      }
    }
    return out;
  }

  private static long norm(long index, int n, long step) {
    long k = index < 0 ? index + n : index;
    if (step > 0) {
      return Math.max(0, Math.min(k, n));
    }
    return Math.max(-1, Math.min(k, n - 1));
  }

  /** A single known integer, Long.MIN_VALUE for None (an absent bound), else null. */
  private static Long single(Value v) {
    if (v.unknown() || v.elems().size() != 1) {
      return null;
    }
    Elem e = v.elems().iterator().next();
    return e instanceof I i ? Long.valueOf(i.n()) : e instanceof Value.None ? Long.valueOf(Long.MIN_VALUE) : null;
  }

  private Value binary(String op, Value l, Value r) {
    return switch (op) {
      case "~" -> concat(stringOf(l), stringOf(r));
      case "+" -> l.map2(r, (a, b) -> {
        if (a instanceof S x && b instanceof S y) {
          return Value.str(x.s() + y.s());
        }
        if (a instanceof I x && b instanceof I y) {
          return exact(() -> Math.addExact(x.n(), y.n()));
        }
        if (a instanceof Lst x && b instanceof Lst y) {
          var all = new ArrayList<>(x.items());
          all.addAll(y.items());
          return Value.list(all);
        }
        return numeric(a) && numeric(b) ? Value.NUMBER : Value.UNKNOWN;
      });
      case "*" -> l.map2(r, Interpreter::repeat);
      case "%" -> l.map2(r, (a, b) -> {
        if (a instanceof S fmt) {
          return Builtins.percent(fmt.s(), Value.of(b));
        }
        if (a instanceof I x && b instanceof I y && y.n() != 0) {
          return Value.integer(Math.floorMod(x.n(), y.n()));
        }
        return numeric(a) && numeric(b) ? Value.NUMBER : Value.UNKNOWN;
      });
      case "-", "//", "/", "**" -> l.map2(r, (a, b) -> {
        if (a instanceof I x && b instanceof I y) {
          if (op.equals("-")) {
            return exact(() -> Math.subtractExact(x.n(), y.n()));
          }
          if (op.equals("//") && y.n() != 0) {
            return Value.integer(Math.floorDiv(x.n(), y.n()));
          }
        }
        return numeric(a) && numeric(b) ? Value.NUMBER : Value.UNKNOWN;
      });
      // 'and' and 'or' give one of their operands
      case "and", "or" -> l.join(r);
      default -> Value.NUMBER;
    };
  }

  /** Python's integers do not overflow: a result past a long is an unknown number, never a wrapped one. */
  private static Value exact(java.util.function.LongSupplier f) {
    try {
      return Value.integer(f.getAsLong());
    } catch (ArithmeticException overflow) {
      return Value.NUMBER;
    }
  }

  private static boolean numeric(Elem e) {
    return e instanceof I || e instanceof Num;
  }

  private static Value repeat(Elem a, Elem b) {
    if (a instanceof I x && b instanceof I y) {
      return exact(() -> Math.multiplyExact(x.n(), y.n()));
    }
    if (b instanceof S || b instanceof Lst) {
      return repeat(b, a);
    }
    if (!(b instanceof I times)) {
      return numeric(a) && numeric(b) ? Value.NUMBER : Value.UNKNOWN;
    }
    long n = Math.max(0, times.n());
    if (a instanceof S s) {
      return n > Value.MAX_STRING || n * s.s().length() > Value.MAX_STRING ? Value.UNKNOWN
          : Value.str(s.s().repeat((int) n));
    }
    if (a instanceof Lst l) {
      if (n > Value.MAX_ITEMS || n * l.items().size() > Value.MAX_ITEMS) {
        return Value.of(new AnyList(Value.join(l.items())));
      }
      var all = new ArrayList<Value>();
      for (int k = 0; k < n; k++) {
        all.addAll(l.items());
      }
      return Value.list(all);
    }
    return Value.UNKNOWN;
  }

  Value concat(Value a, Value b) {
    return a.map2(b, (x, y) -> x instanceof S s && y instanceof S t ? Value.str(s.s() + t.s()) : Value.UNKNOWN);
  }

  /** What {@code str()} (or output) makes of a value. */
  Value stringOf(Value v) {
    return v.map(e -> switch (e) {
      case S s -> Value.of(s);
      case I i -> Value.str(Long.toString(i.n()));
      case Value.None n -> Value.str("None");
      case Lst l -> repr(l);
      case Dict d -> repr(d);
      case Fn f -> Builtins.functionRepr(f.name());
      case Loop l -> Value.UNKNOWN;
      default -> Value.UNKNOWN;
    });
  }

  /** Python's repr of a list or dict of known strings and integers. */
  private Value repr(Elem e) {
    var parts = new ArrayList<String>();
    if (e instanceof Lst l) {
      for (Value item : l.items()) {
        String r = scalarRepr(item);
        if (r == null) {
          return Value.UNKNOWN;
        }
        parts.add(r);
      }
      return Value.str("[" + String.join(", ", parts) + "]");
    }
    var d = (Dict) e;
    for (var entry : d.entries().entrySet()) {
      String r = scalarRepr(entry.getValue());
      if (r == null) {
        return Value.UNKNOWN;
      }
      parts.add(PythonStrings.repr(entry.getKey()) + ": " + r);
    }
    return Value.str("{" + String.join(", ", parts) + "}");
  }

  private static String scalarRepr(Value v) {
    if (v.unknown() || v.elems().size() != 1) {
      return null;
    }
    return switch (v.elems().iterator().next()) {
      case S s -> PythonStrings.repr(s.s());
      case I i -> Long.toString(i.n());
      case Value.None n -> "None";
      default -> null;
    };
  }

  // ---- sinks ----

  /** Names that reach Python's getattr. */
  void attributeSink(Value names, String how) {
    sink(names, how, true);
  }

  /**
   * Subscript keys: Jinja's getitem falls back to getattr for a string key the object does not hold. A key from
   * render-time data is everyday use on data (a role map, tool arguments); on anything else (a string, a Jinja
   * helper, a namespace, a method) it is an unresolved attribute name.
   */
  void itemSink(Value names, Value target, String how) {
    if (names.unknown() && !target.unknown() && target.elems().stream().allMatch(Interpreter::isData)) {
      return;
    }
    if (names.unknown() && target.unknown()) {
      return;
    }
    sink(names, how, false);
  }

  private static boolean templateObject(Value v) {
    return !v.unknown() && v.elems().stream().allMatch(e -> isData(e) || e instanceof Ns || e instanceof S
        || e instanceof I || e instanceof Num);
  }

  private static boolean isData(Elem e) {
    return e instanceof Dict || e instanceof Lst || e instanceof AnyList || e instanceof Value.None;
  }

  private void sink(Value names, String how, boolean attribute) {
    if (names.unknown()) {
      issue(Severity.HIGH, how + " with a name the analysis cannot resolve (it may reach Python internals)");
      return;
    }
    for (Elem e : names.elems()) {
      switch (e) {
        case S s -> report(Names.classify(s.s(), attribute), how + " '" + preview(s.s()) + "'");
        case Lst l -> l.items().forEach(item -> sink(item, how, attribute));
        case AnyList l -> sink(l.item(), how, attribute);
        case I i -> {}
        case Num n -> {}
        case Value.None n -> {}
        default -> issue(Severity.HIGH, how + " with a name the analysis cannot resolve");
      }
    }
  }

  private void report(Severity severity, String what) {
    if (severity == Severity.CRITICAL) {
      issue(severity, what + " reaches Python internals");
    } else if (severity != null) {
      issue(severity, what + " is a private Python attribute");
    }
  }

  private void applicationObject(Expr target, String access) {
    if (target instanceof Expr.Name n && APPLICATION_OBJECTS.contains(n.name()) && !assigned.contains(n.name())) {
      issue(Severity.HIGH, "'" + n.name() + access + "' reads the renderer's own objects");
    }
    if (target instanceof Expr.Name n && HELPERS.contains(n.name()) && !assigned.contains(n.name())
        && !access.endsWith("()")) {
      issue(Severity.HIGH, "'" + n.name() + access + "' reads an attribute of a Jinja global function");
    }
  }

  void issue(Severity severity, String detail) {
    issues.add(new TemplateCheck.Issue(severity, detail, offset));
  }

  private static String preview(String s) {
    String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return t.replace("\n", "\\n");
  }
}
