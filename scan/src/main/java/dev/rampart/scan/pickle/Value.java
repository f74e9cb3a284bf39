package dev.rampart.scan.pickle;

import java.util.ArrayList;
import java.util.List;

/**
 * A symbolic value on the emulated pickle stack. Nothing here is ever a live Python object: calls are recorded as
 * {@link Call} nodes and globals as names.
 */
sealed interface Value
    permits Value.Str,
        Value.Bytes,
        Value.Num,
        Value.Const,
        Value.Global,
        Value.Call,
        Value.Tuple,
        Value.ListV,
        Value.DictV,
        Value.SetV,
        Value.Persistent,
        Value.Unknown {

  /** Approximate size of the object this value builds when loaded, saturating; detects memo expansion bombs. */
  default long weight() {
    return 1;
  }

  record Str(String value) implements Value {}

  /** A bytes constant; {@code data} holds the whole value when it is small enough, else its head. */
  record Bytes(byte[] data, long length, long offset) implements Value {
    boolean complete() {
      return data.length == length;
    }
  }

  record Num(String text) implements Value {
    long asLong(long fallback) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
  }

  /** None, True, False, floats, buffers: values whose content never matters for safety. */
  record Const(String text) implements Value {}

  /**
   * An imported global. {@code derived} marks names reached through attribute reads at run time (for example
   * {@code getattr(importlib.import_module('os'), 'system')}).
   */
  record Global(String module, String name, long offset, String opcode, boolean derived) implements Value {
    String dotted() {
      return module.isEmpty() ? name : module + "." + name;
    }
  }

  record Call(Value callee, Value args, long offset, String opcode) implements Value {}

  record Tuple(List<Value> items, long weight) implements Value {
    static Tuple of(List<Value> items) {
      return new Tuple(List.copyOf(items), sum(items));
    }
  }

  final class ListV implements Value {
    final List<Value> items = new ArrayList<>();
    long weight = 1;

    void add(Value v) {
      if (items.size() < 1_000_000) {
        items.add(v);
      }
      weight = saturatingAdd(weight, v.weight());
    }

    @Override
    public long weight() {
      return weight;
    }
  }

  final class DictV implements Value {
    final List<Value[]> entries = new ArrayList<>();
    long weight = 1;

    void put(Value k, Value v) {
      if (entries.size() < 1_000_000) {
        entries.add(new Value[] {k, v});
      }
      weight = saturatingAdd(weight, saturatingAdd(k.weight(), v.weight()));
    }

    Value get(String key) {
      for (Value[] e : entries) {
        if (e[0] instanceof Str s && s.value().equals(key)) {
          return e[1];
        }
      }
      return null;
    }

    @Override
    public long weight() {
      return weight;
    }
  }

  final class SetV implements Value {
    long weight = 1;

    void add(Value v) {
      weight = saturatingAdd(weight, v.weight());
    }

    @Override
    public long weight() {
      return weight;
    }
  }

  record Persistent(Value id) implements Value {}

  record Unknown(String why) implements Value {}

  static long sum(List<Value> items) {
    long w = 1;
    for (Value v : items) {
      w = saturatingAdd(w, v.weight());
    }
    return w;
  }

  static long saturatingAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }
}
