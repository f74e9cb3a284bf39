package dev.rampart.scan.jinja;

import dev.rampart.core.Severity;
import dev.rampart.scan.jinja.Interpreter.Args;
import dev.rampart.scan.jinja.Value.AnyList;
import dev.rampart.scan.jinja.Value.Dict;
import dev.rampart.scan.jinja.Value.Elem;
import dev.rampart.scan.jinja.Value.Helper;
import dev.rampart.scan.jinja.Value.I;
import dev.rampart.scan.jinja.Value.Loop;
import dev.rampart.scan.jinja.Value.Lst;
import dev.rampart.scan.jinja.Value.Ns;
import dev.rampart.scan.jinja.Value.S;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Jinja's filters, globals and the Python string, list and dict methods over abstract values. What is not
 * modelled gives an unknown value, which is only a problem where it ends up as an attribute name.
 */
final class Builtins {
  /** Filters whose {@code attribute} argument (keyword, or the position given) goes through getattr. */
  private static final Map<String, Integer> ATTRIBUTE_ARGUMENT = Map.of("map", -1, "sort", 2, "unique", 1,
      "min", 1, "max", 1, "sum", 0, "join", 1, "groupby", 0, "selectattr", 0, "rejectattr", 0);
  private static final Set<String> MUTATING = Set.of("append", "extend", "insert", "update", "setdefault", "pop",
      "popitem", "remove", "clear", "add", "discard", "sort", "reverse", "__setitem__");
  private static final Set<String> IDENTITY = Set.of("string", "safe", "e", "escape", "forceescape", "striptags",
      "trim", "lower", "upper", "capitalize", "title");

  private Builtins() {}

  static Value filter(Interpreter in, Value target, String name, Args args) {
    Integer attributeAt = ATTRIBUTE_ARGUMENT.get(name);
    if (attributeAt != null) {
      Value attribute = args.at(attributeAt, "attribute");
      if (attribute != null) {
        in.attributeSink(attributePath(attribute), "|" + name + "() attribute");
      }
    }
    return switch (name) {
      case "attr" -> {
        Value attribute = args.at(0, "name");
        if (attribute == null) {
          yield Value.UNKNOWN;
        }
        in.attributeSink(attribute, "|attr()");
        var names = attribute.strings();
        if (names == null) {
          yield Value.UNKNOWN;
        }
        Value out = Value.NOTHING;
        for (String n : names) {
          out = out.join(in.getattr(target, n));
        }
        yield out;
      }
      case "map" -> map(in, target, args);
      case "batch" -> batch(target, args);
      case "slice" -> Value.UNKNOWN;
      case "select", "reject", "selectattr", "rejectattr" -> anyList(target);
      case "sort" -> sort(target, args);
      case "unique" -> anyList(target);
      case "min", "max", "random" -> target.items();
      case "first" -> firstOrLast(target, true);
      case "last" -> firstOrLast(target, false);
      case "join" -> join(in, target, args.at(0, "d"), args.at(1, "attribute") != null);
      case "list" -> target.map(e -> {
        var items = Value.knownItems(e);
        return items != null ? Value.list(items) : e instanceof AnyList ? Value.of(e) : anyList(Value.of(e));
      });
      case "reverse" -> target.map(e -> switch (e) {
        case S s -> Value.str(new StringBuilder(s.s()).reverse().toString());
        case Lst l -> Value.list(reversed(l.items()));
        case AnyList l -> Value.of(l);
        default -> Value.UNKNOWN;
      });
      case "replace" -> replace(in, target, args.at(0, "old"), args.at(1, "new"), args.at(2, "count"));
      case "format" -> target.map(e -> e instanceof S s
          ? percent(s.s(), args.named().isEmpty() ? Value.list(args.positional()) : Value.dict(args.named()))
          : Value.UNKNOWN);
      case "default", "d" -> {
        Value fallback = args.at(0, "default_value");
        yield fallback == null ? target.join(Value.EMPTY_STRING) : target.join(fallback);
      }
      case "int" -> args.at(1, "base") != null ? intWithBase(target, args.at(1, "base")) : target.map(e -> switch (e) {
        case I i -> Value.of(i);
        case S s when s.s().strip().matches("[+-]?\\d{1,18}") -> Value.integer(Long.parseLong(s.s().strip()));
        default -> Value.NUMBER;
      });
      case "length", "count" -> target.map(e -> {
        var items = Value.knownItems(e);
        return items != null ? Value.integer(items.size())
            : e instanceof S s ? Value.integer(s.s().codePointCount(0, s.s().length())) : Value.NUMBER;
      });
      case "abs" -> target.map(e -> e instanceof I i && i.n() != Long.MIN_VALUE ? Value.integer(Math.abs(i.n()))
          : Value.NUMBER);
      case "float", "round", "wordcount", "filesizeformat" -> Value.NUMBER;
      case "tojson" -> target.map(e -> e instanceof S s && s.s().matches("[A-Za-z0-9_ .,:;!?()-]*")
          ? Value.str("\"" + s.s() + "\"") : Value.UNKNOWN);
      case "pprint" -> target.map(e -> e instanceof S s ? Value.str(PythonStrings.repr(s.s())) : Value.UNKNOWN);
      case "items", "dictsort" -> target.map(e -> {
        if (e instanceof Dict d) {
          var pairs = new ArrayList<Value>();
          d.entries().forEach((k, v) -> pairs.add(Value.list(List.of(Value.str(k), v))));
          // dictsort reorders: its pairs keep their shape but not their positions
          return name.equals("items") ? Value.list(pairs) : Value.of(new AnyList(Value.join(pairs)));
        }
        return Value.UNKNOWN;
      });
      default -> IDENTITY.contains(name) ? text(in, target, name, args) : Value.UNKNOWN;
    };
  }

  /** {@code int(value, base=n)} on a string; what Python refuses gives Jinja's default, 0. */
  private static Value intWithBase(Value target, Value base) {
    return target.map2(base, (t, b) -> {
      if (!(t instanceof S s) || !(b instanceof I radix) || radix.n() < 2 || radix.n() > 36) {
        return Value.NUMBER;
      }
      try {
        return Value.integer(Long.parseLong(PythonStrings.strip(s.s()).replace("_", ""), (int) radix.n()));
      } catch (NumberFormatException e) {
        return Value.NUMBER;
      }
    });
  }

  /** {@code batch(n)}: lists of n items (without a fill value). */
  private static Value batch(Value target, Args args) {
    Value size = args.at(0, "linecount");
    if (size == null || args.at(1, "fill_with") != null) {
      return Value.UNKNOWN;
    }
    return target.map2(size, (t, n) -> {
      var items = Value.knownItems(t);
      if (items == null || !(n instanceof I count) || count.n() < 1) {
        return Value.UNKNOWN;
      }
      var batches = new ArrayList<Value>();
      for (int k = 0; k < items.size(); k += (int) Math.min(count.n(), Value.MAX_ITEMS)) {
        batches.add(Value.list(items.subList(k, (int) Math.min(items.size(), k + count.n()))));
      }
      return Value.list(batches);
    });
  }

  /** {@code map(attribute='a.b')} walks a dotted path; every part is a getattr name. */
  private static Value attributePath(Value attribute) {
    return attribute.map(e -> {
      if (e instanceof S s && s.s().contains(".")) {
        Value parts = Value.NOTHING;
        for (String part : s.s().split("\\.", -1)) {
          parts = parts.join(part.chars().allMatch(Character::isDigit) && !part.isEmpty()
              ? Value.integer(Long.parseLong(part.length() > 18 ? "0" : part)) : Value.str(part));
        }
        return parts;
      }
      return Value.of(e);
    });
  }

  private static Value map(Interpreter in, Value target, Args args) {
    if (!target.unknown() && !target.isEmpty() && target.elems().stream().allMatch(e -> Value.knownItems(e) != null)) {
      // a list of known items stays a list, item by item, so that |join after |map keeps exact names
      return target.map(e -> Value.list(Value.knownItems(e).stream()
          .map(item -> mapAll(in, item, args)).toList()));
    }
    Value all = mapAll(in, target.items(), args);
    return all.unknown() ? Value.UNKNOWN : Value.of(new AnyList(all));
  }

  /** The result of map's filter or attribute lookup on {@code items}, as one value. */
  private static Value mapAll(Interpreter in, Value items, Args args) {
    Value attribute = args.named().get("attribute");
    if (attribute != null) {
      var names = attributePath(attribute).strings();
      if (names == null) {
        return Value.UNKNOWN;
      }
      Value out = Value.NOTHING;
      for (String n : names) {
        out = out.join(in.getattr(items, n)).join(in.getitem(items, Value.str(n)));
      }
      Value fallback = args.named().get("default");
      return fallback == null ? out : out.join(fallback);
    }
    if (args.positional().isEmpty()) {
      return Value.UNKNOWN;
    }
    var filterNames = args.positional().get(0).strings();
    if (filterNames == null) {
      in.issue(Severity.HIGH, "|map() with a filter name the analysis cannot resolve (it may be 'attr')");
      return Value.UNKNOWN;
    }
    var rest = new Args(args.positional().subList(1, args.positional().size()), args.named(), args.unpacked());
    Value out = Value.NOTHING;
    for (String f : filterNames) {
      out = out.join(filter(in, items, f, rest));
    }
    return out;
  }

  private static Value anyList(Value target) {
    return target.unknown() ? Value.UNKNOWN : Value.of(new AnyList(target.items()));
  }

  private static Value firstOrLast(Value target, boolean first) {
    return target.map(e -> {
      var items = Value.knownItems(e);
      if (items != null) {
        return items.isEmpty() ? Value.NOTHING : items.get(first ? 0 : items.size() - 1);
      }
      return Value.of(e).items();
    });
  }

  private static List<Value> reversed(List<Value> items) {
    var r = new ArrayList<>(items);
    java.util.Collections.reverse(r);
    return r;
  }

  /** Jinja's sort is case-insensitive by default; an unknown 'reverse' gives both orders. */
  private static Value sort(Value target, Args args) {
    if (args.at(2, "attribute") != null || args.at(1, "case_sensitive") != null) {
      return anyList(target);
    }
    return target.map(e -> {
      var items = Value.knownItems(e);
      if (items == null || items.stream().anyMatch(v -> v.strings() == null || v.strings().size() != 1)) {
        return anyList(Value.of(e));
      }
      var strings = new ArrayList<>(items.stream().map(v -> v.strings().iterator().next()).toList());
      Comparator<String> order = Comparator.comparing(s -> s.toLowerCase(Locale.ROOT));
      strings.sort(order);
      Value ascending = Value.list(strings.stream().map(Value::str).toList());
      Value reverse = args.at(0, "reverse");
      if (reverse == null) {
        return ascending;
      }
      var descending = new ArrayList<>(strings);
      java.util.Collections.reverse(descending);
      return ascending.join(Value.list(descending.stream().map(Value::str).toList()));
    });
  }

  static Value join(Interpreter in, Value target, Value separator, boolean byAttribute) {
    Value sep = separator == null ? Value.EMPTY_STRING : in.stringOf(separator);
    if (byAttribute) {
      return Value.UNKNOWN;
    }
    return target.map(e -> {
      var items = Value.knownItems(e);
      if (items == null) {
        return Value.UNKNOWN;
      }
      Value out = Value.EMPTY_STRING;
      for (int k = 0; k < items.size(); k++) {
        if (k > 0) {
          out = in.concat(out, sep);
        }
        out = in.concat(out, in.stringOf(items.get(k)));
      }
      return out;
    });
  }

  private static Value replace(Interpreter in, Value target, Value old, Value replacement, Value count) {
    if (old == null || replacement == null) {
      return Value.UNKNOWN;
    }
    Value o = in.stringOf(old);
    Value r = in.stringOf(replacement);
    Value c = count == null ? Value.integer(-1) : count;
    return target.map(t -> o.map2(r, (a, b) -> c.map(n -> {
      if (t instanceof S s && a instanceof S x && b instanceof S y && n instanceof I times) {
        return Value.str(PythonStrings.replace(s.s(), x.s(), y.s(), times.n(), Value.MAX_STRING));
      }
      if (t instanceof S s && a instanceof S x && b instanceof S y && n instanceof Value.None) {
        return Value.str(PythonStrings.replace(s.s(), x.s(), y.s(), -1, Value.MAX_STRING));
      }
      return Value.UNKNOWN;
    })));
  }

  /** Filters and methods that map a string to a string. */
  private static Value text(Interpreter in, Value target, String name, Args args) {
    UnaryOperator<String> f = switch (name) {
      case "lower", "casefold" -> s -> s.toLowerCase(Locale.ROOT);
      case "upper" -> s -> s.toUpperCase(Locale.ROOT);
      case "swapcase" -> Builtins::swapCase;
      case "capitalize" -> s -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT)
          + s.substring(1).toLowerCase(Locale.ROOT);
      case "title" -> Builtins::title;
      case "trim", "strip" -> s -> strip(s, args, true, true);
      case "lstrip" -> s -> strip(s, args, true, false);
      case "rstrip" -> s -> strip(s, args, false, true);
      case "e", "escape", "forceescape" -> s -> s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
          .replace("'", "&#39;").replace("\"", "&#34;");
      case "striptags" -> s -> s.contains("<") || s.contains("&") ? null : String.join(" ", PythonStrings.splitWhitespace(s));
      default -> s -> s;
    };
    return in.stringOf(target).map(e -> e instanceof S s ? Value.str(f.apply(s.s())) : Value.UNKNOWN);
  }

  private static String strip(String s, Args args, boolean left, boolean right) {
    Value chars = args.at(0, "chars");
    String set;
    if (chars == null || chars.elems().stream().anyMatch(e -> e instanceof Value.None)) {
      set = null;
    } else {
      var strings = chars.strings();
      if (strings == null || strings.size() != 1) {
        return null;
      }
      set = strings.iterator().next();
    }
    int a = 0;
    int b = s.length();
    while (left && a < b && (set == null ? PythonStrings.isSpace(s.charAt(a)) : set.indexOf(s.charAt(a)) >= 0)) {
      a++;
    }
    while (right && b > a && (set == null ? PythonStrings.isSpace(s.charAt(b - 1))
        : set.indexOf(s.charAt(b - 1)) >= 0)) {
      b--;
    }
    return s.substring(a, b);
  }

  private static String swapCase(String s) {
    var sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return sb.toString();
  }

  private static String title(String s) {
    var sb = new StringBuilder();
    boolean previousCased = false;
    for (char c : s.toCharArray()) {
      sb.append(previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
      previousCased = Character.isLetter(c);
    }
    return sb.toString();
  }

  /** {@code fmt % args}: args is a tuple (list), a mapping (dict) or a single value. */
  static Value percent(String fmt, Value args) {
    return args.map(e -> {
      List<Value> items = e instanceof Lst l ? l.items() : e instanceof Dict ? null : List.of(Value.of(e));
      if (items == null) {
        // %(name)s only looks keys up in the mapping: no attribute access
        return Value.UNKNOWN;
      }
      return product(items, 0, new ArrayList<>(), values -> {
        String out = PythonStrings.percent(fmt, values);
        return out == null ? Value.UNKNOWN : Value.str(out);
      });
    });
  }

  /** Calls {@code f} on every combination of constant (string or long) alternatives of {@code items}. */
  private static Value product(List<Value> items, int k, List<Object> chosen,
      java.util.function.Function<List<Object>, Value> f) {
    if (k == items.size()) {
      return f.apply(List.copyOf(chosen));
    }
    Value v = items.get(k);
    if (v.unknown()) {
      return Value.UNKNOWN;
    }
    Value out = Value.NOTHING;
    for (Elem e : v.elems()) {
      Object c = e instanceof S s ? s.s() : e instanceof I i ? (Object) Long.valueOf(i.n()) : null;
      if (c == null) {
        return Value.UNKNOWN;
      }
      chosen.add(c);
      out = out.join(product(items, k + 1, chosen, f));
      chosen.remove(chosen.size() - 1);
      if (out.unknown()) {
        return out;
      }
    }
    return out;
  }

  static Value method(Interpreter in, Value receiver, String name, Args args) {
    if (MUTATING.contains(name) && !(receiver.strings() != null)) {
      in.issue(Severity.HIGH, "." + name + "() changes a list or dict in place, which the analysis does not "
          + "follow (transformers' sandbox refuses it)");
    }
    if ((name.equals("format") || name.equals("format_map"))
        && (receiver.unknown() || receiver.elems().stream().anyMatch(e -> !(e instanceof S)))) {
      // str.format reads attributes named in the format string: one the analysis cannot read may reach anything
      in.issue(Severity.HIGH, "." + name + "() on a format string the analysis cannot resolve");
    }
    if (receiver.unknown()) {
      return Value.UNKNOWN;
    }
    Value out = Value.NOTHING;
    for (Elem e : receiver.elems()) {
      out = out.join(switch (e) {
        case S s -> stringMethod(in, s.s(), name, args);
        case Dict d -> switch (name) {
          case "get" -> {
            Value key = args.at(0, "key");
            Value fallback = args.at(1, "default");
            Value v = key == null ? Value.UNKNOWN : in.getitem(Value.of(d), key);
            yield fallback == null ? v.join(Value.of(new Value.None())) : v.join(fallback);
          }
          case "items" -> filter(in, Value.of(d), "items", args);
          case "keys" -> Value.list(d.entries().keySet().stream().map(Value::str).toList());
          case "values" -> Value.list(List.copyOf(d.entries().values()));
          case "copy" -> Value.of(d);
          default -> Value.UNKNOWN;
        };
        case Lst l -> switch (name) {
          case "index", "count" -> Value.NUMBER;
          case "copy" -> Value.of(l);
          default -> Value.UNKNOWN;
        };
        case Loop l -> switch (name) {
          case "cycle" -> Value.join(args.positional());
          case "changed" -> Value.NUMBER;
          default -> Value.UNKNOWN;
        };
        case Helper h -> name.equals("next") ? h.produces() : Value.UNKNOWN;
        case Value.Fn f -> Value.UNKNOWN;
        default -> Value.UNKNOWN;
      });
    }
    return out;
  }

  private static Value stringMethod(Interpreter in, String s, String name, Args args) {
    return switch (name) {
      case "format", "format_map" -> format(in, s, name.equals("format_map")
          ? new Args(List.of(), Map.of(), true) : args);
      case "join" -> {
        Value items = args.at(0, "iterable");
        yield items == null ? Value.UNKNOWN : join(in, items, Value.str(s), false);
      }
      case "replace" -> replace(in, Value.str(s), args.at(0, "old"), args.at(1, "new"), args.at(2, "count"));
      case "lower", "upper", "casefold", "swapcase", "capitalize", "title", "strip", "lstrip", "rstrip" ->
          text(in, Value.str(s), name, args);
      case "split", "rsplit", "splitlines", "partition", "rpartition" -> split(s, name, args);
      case "removeprefix", "removesuffix" -> {
        var affix = args.at(0, "prefix") == null ? null : args.at(0, "prefix").strings();
        if (affix == null || affix.size() != 1) {
          yield Value.UNKNOWN;
        }
        String a = affix.iterator().next();
        yield Value.str(name.equals("removeprefix") ? (s.startsWith(a) ? s.substring(a.length()) : s)
            : (s.endsWith(a) ? s.substring(0, s.length() - a.length()) : s));
      }
      case "zfill", "ljust", "rjust", "center", "expandtabs", "encode", "translate" -> Value.UNKNOWN;
      default -> name.startsWith("is") || name.endsWith("with") || name.equals("find") || name.equals("rfind")
          || name.equals("index") || name.equals("rindex") || name.equals("count") ? Value.NUMBER : Value.UNKNOWN;
    };
  }

  private static Value split(String s, String name, Args args) {
    Value sepValue = args.at(0, "sep");
    String sep = null;
    if (sepValue != null && !sepValue.elems().contains(new Value.None())) {
      var seps = sepValue.strings();
      if (seps == null || seps.size() != 1 || seps.iterator().next().isEmpty()) {
        return Value.of(new AnyList(Value.UNKNOWN));
      }
      sep = seps.iterator().next();
    }
    List<String> parts;
    switch (name) {
      case "splitlines" -> parts = PythonStrings.splitLines(s);
      case "partition", "rpartition" -> {
        if (sep == null) {
          return Value.UNKNOWN;
        }
        int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
        parts = at < 0 ? (name.equals("partition") ? List.of(s, "", "") : List.of("", "", s))
            : List.of(s.substring(0, at), sep, s.substring(at + sep.length()));
      }
      default -> {
        if (args.at(1, "maxsplit") != null) {
          return Value.of(new AnyList(Value.UNKNOWN));
        }
        parts = sep == null ? PythonStrings.splitWhitespace(s)
            : List.of(s.split(java.util.regex.Pattern.quote(sep), -1));
      }
    }
    return Value.list(parts.stream().map(Value::str).toList());
  }

  /** {@code str.format}: every field's attribute and index chain is a getattr/getitem sink. */
  private static Value format(Interpreter in, String fmt, Args args) {
    var fields = PythonStrings.fields(fmt);
    if (fields == null) {
      return Value.UNKNOWN;
    }
    for (var f : fields) {
      f.attributes().forEach(a -> in.attributeSink(Value.str(a), "str.format field ." + a));
      f.items().forEach(k -> in.itemSink(Value.str(k), Value.UNKNOWN, "str.format field [" + k + "]"));
      if (f.spec().contains("{")) {
        // a nested field such as {0:{1}} is itself a format string
        format(in, f.spec(), args);
      }
    }
    if (args.unpacked()) {
      return Value.UNKNOWN;
    }
    var names = new ArrayList<>(args.named().keySet());
    var all = new ArrayList<Value>(args.positional());
    names.forEach(n -> all.add(args.named().get(n)));
    int positional = args.positional().size();
    return product(all, 0, new ArrayList<>(), values -> {
      var named = new LinkedHashMap<String, Object>();
      for (int k = 0; k < names.size(); k++) {
        named.put(names.get(k), values.get(positional + k));
      }
      String out = PythonStrings.format(fmt, values.subList(0, positional), named);
      return out == null ? Value.UNKNOWN : Value.str(out);
    });
  }

  static Value global(Interpreter in, String name, Args args) {
    return switch (name) {
      case "range" -> range(args);
      case "dict" -> {
        if (args.unpacked() || !args.positional().isEmpty()) {
          yield Value.UNKNOWN;
        }
        yield Value.dict(args.named());
      }
      case "namespace" -> {
        args.named().forEach((field, v) -> in.assignField(field, v));
        for (Value p : args.positional()) {
          p.map(e -> {
            if (e instanceof Dict d) {
              d.entries().forEach(in::assignField);
            } else {
              in.issue(Severity.HIGH, "namespace() built from a value the analysis cannot resolve");
            }
            return Value.NOTHING;
          });
          if (p.unknown()) {
            in.issue(Severity.HIGH, "namespace() built from a value the analysis cannot resolve");
          }
        }
        if (args.unpacked()) {
          in.issue(Severity.HIGH, "namespace() built from unpacked arguments the analysis cannot resolve");
        }
        yield Value.of(new Ns());
      }
      case "cycler" -> Value.of(new Helper("cycler", Value.join(args.positional())));
      case "joiner" -> {
        Value sep = args.at(0, "sep");
        yield Value.of(new Helper("joiner", sep == null ? Value.str(", ") : in.stringOf(sep)));
      }
      case "raise_exception" -> Value.NOTHING;
      default -> Value.UNKNOWN;
    };
  }

  private static Value range(Args args) {
    var bounds = new ArrayList<Long>();
    for (Value v : args.positional()) {
      if (v.unknown() || v.elems().size() != 1 || !(v.elems().iterator().next() instanceof I i)) {
        return Value.of(new AnyList(Value.NUMBER));
      }
      bounds.add(i.n());
    }
    long start = bounds.size() > 1 ? bounds.get(0) : 0;
    long stop = bounds.size() == 1 ? bounds.get(0) : bounds.size() > 1 ? bounds.get(1) : 0;
    long step = bounds.size() > 2 ? bounds.get(2) : 1;
    if (step == 0) {
      return Value.NOTHING;
    }
    var items = new ArrayList<Value>();
    for (long k = start; step > 0 ? k < stop : k > stop; k += step) {
      if (items.size() >= Value.MAX_ITEMS) {
        // too long to unroll: every number in the range stays possible
        return Value.of(new AnyList(Value.NUMBER));
      }
      items.add(Value.integer(k));
    }
    return Value.list(items);
  }

  /** What {@code str()} gives for Jinja's global functions (attackers index into these strings). */
  static Value functionRepr(String name) {
    return switch (name) {
      case "lipsum" -> Value.str("<function generate_lorem_ipsum at 0x7f0000000000>");
      case "cycler" -> Value.str("<class 'jinja2.utils.Cycler'>");
      case "joiner" -> Value.str("<class 'jinja2.utils.Joiner'>");
      case "namespace" -> Value.str("<class 'jinja2.utils.Namespace'>");
      case "range" -> Value.str("<class 'range'>");
      case "dict" -> Value.str("<class 'dict'>");
      default -> Value.UNKNOWN;
    };
  }
}
