package dev.rampart.scan.jinja;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What an expression may evaluate to: a bounded set of alternatives, or unknown (any value, a string included).
 * Past a bound (alternatives, string length, list length, nesting) a value becomes unknown, so the analysis
 * always terminates and never claims to know more than it does.
 */
record Value(boolean unknown, Set<Elem> elems) {
  static final int MAX_ALTERNATIVES = 64;
  static final int MAX_STRING = 4096;
  static final int MAX_ITEMS = 64;
  static final int MAX_NESTING = 4;

  static final Value UNKNOWN = new Value(true, Set.of());
  static final Value NOTHING = new Value(false, Set.of());
  static final Value NUMBER = of(new Num());
  static final Value EMPTY_STRING = str("");

  /** One possible value. */
  sealed interface Elem {}

  record S(String s) implements Elem {}

  record I(long n) implements Elem {}

  /** A number or boolean whose value is not tracked: never a string, so never an attribute name. */
  record Num() implements Elem {}

  record None() implements Elem {}

  /** A list or tuple of known length. */
  record Lst(List<Value> items) implements Elem {}

  /** A list of unknown length whose items are among {@code item}. */
  record AnyList(Value item) implements Elem {}

  record Dict(Map<String, Value> entries) implements Elem {}

  /** A {@code namespace()} object; its fields are tracked by field name. */
  record Ns() implements Elem {}

  /** A Jinja global callable: range, dict, namespace, cycler, joiner, lipsum, ... */
  record Fn(String name) implements Elem {}

  /** {@code receiver.name} not yet called. */
  record Method(Value receiver, String name) implements Elem {}

  record Macro(String name) implements Elem {}

  record Loop() implements Elem {}

  /** A cycler or joiner instance with the strings it can produce. */
  record Helper(String kind, Value produces) implements Elem {}

  static Value of(Elem e) {
    return new Value(false, Set.of(e)).bounded();
  }

  static Value str(String s) {
    return s == null || s.length() > MAX_STRING ? UNKNOWN : of(new S(s));
  }

  static Value integer(long n) {
    return of(new I(n));
  }

  static Value list(List<Value> items) {
    if (items.size() > MAX_ITEMS) {
      return of(new AnyList(join(items)));
    }
    return of(new Lst(List.copyOf(items)));
  }

  static Value join(Collection<Value> values) {
    Value out = NOTHING;
    for (Value v : values) {
      out = out.join(v);
    }
    return out;
  }

  Value join(Value other) {
    if (unknown || other.unknown) {
      return UNKNOWN;
    }
    if (other.elems.isEmpty()) {
      return this;
    }
    if (elems.isEmpty()) {
      return other;
    }
    var all = new LinkedHashSet<Elem>(elems);
    all.addAll(other.elems);
    return new Value(false, all).bounded();
  }

  private Value bounded() {
    if (unknown) {
      return this;
    }
    if (elems.size() > MAX_ALTERNATIVES) {
      return UNKNOWN;
    }
    for (Elem e : elems) {
      if (depth(e) > MAX_NESTING || e instanceof S s && s.s().length() > MAX_STRING) {
        return UNKNOWN;
      }
    }
    return this;
  }

  private static int depth(Elem e) {
    return switch (e) {
      case Lst l -> 1 + l.items().stream().mapToInt(Value::depth).max().orElse(0);
      case AnyList l -> 1 + depth(l.item());
      case Dict d -> 1 + d.entries().values().stream().mapToInt(Value::depth).max().orElse(0);
      case Method m -> 1 + depth(m.receiver());
      case Helper h -> 1 + depth(h.produces());
      default -> 0;
    };
  }

  private static int depth(Value v) {
    return v.unknown ? 0 : v.elems.stream().mapToInt(Value::depth).max().orElse(0);
  }

  boolean isEmpty() {
    return !unknown && elems.isEmpty();
  }

  /** Applies {@code f} to every alternative; unknown stays unknown. */
  Value map(Function<Elem, Value> f) {
    if (unknown) {
      return UNKNOWN;
    }
    Value out = NOTHING;
    for (Elem e : elems) {
      out = out.join(f.apply(e));
      if (out.unknown) {
        return out;
      }
    }
    return out;
  }

  /** Applies {@code f} to every pair of alternatives. */
  Value map2(Value other, BiFunction<Elem, Elem, Value> f) {
    if (unknown || other.unknown) {
      return UNKNOWN;
    }
    if ((long) elems.size() * other.elems.size() > MAX_ALTERNATIVES * MAX_ALTERNATIVES) {
      return UNKNOWN;
    }
    Value out = NOTHING;
    for (Elem a : elems) {
      for (Elem b : other.elems) {
        out = out.join(f.apply(a, b));
        if (out.unknown) {
          return out;
        }
      }
    }
    return out;
  }

  /** Every string alternative, or null if the value is unknown or may be something that is not a known string. */
  Set<String> strings() {
    if (unknown) {
      return null;
    }
    var out = new LinkedHashSet<String>();
    for (Elem e : elems) {
      if (e instanceof S s) {
        out.add(s.s());
      } else {
        return null;
      }
    }
    return out;
  }

  /** The items that iterating over this value yields (characters of strings, keys of dicts). */
  Value items() {
    return map(e -> switch (e) {
      case S s -> {
        if (s.s().length() > MAX_ALTERNATIVES * 4) {
          yield UNKNOWN;
        }
        var chars = new ArrayList<Value>();
        s.s().codePoints().forEach(cp -> chars.add(str(new String(Character.toChars(cp)))));
        yield join(chars);
      }
      case Lst l -> join(l.items());
      case AnyList l -> l.item();
      case Dict d -> join(d.entries().keySet().stream().map(Value::str).toList());
      case Helper h -> h.produces();
      case I i -> NOTHING;
      case Num n -> NOTHING;
      case None n -> NOTHING;
      default -> UNKNOWN;
    });
  }

  /** The items as a list when every alternative is a list of known items, else null. */
  static List<Value> knownItems(Elem e) {
    return switch (e) {
      case Lst l -> l.items();
      case S s when s.s().length() <= MAX_ITEMS -> s.s().codePoints()
          .mapToObj(cp -> str(new String(Character.toChars(cp)))).toList();
      case Dict d when d.entries().size() <= MAX_ITEMS -> d.entries().keySet().stream().map(Value::str).toList();
      default -> null;
    };
  }

  static Value dict(Map<String, Value> entries) {
    return of(new Dict(new LinkedHashMap<>(entries)));
  }
}
