package dev.rampart.scan.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the emulated pickle machine saw in one stream: globals, calls, anomalies, and how the stream ended. */
final class Trace {
  /** One observation worth a finding. */
  sealed interface Event
      permits Mutation, UnresolvedCall, UnresolvedGlobal, UnresolvedExt, FrameDivergence, Anomaly, Expansion,
          NestedPickle {}

  record Mutation(long offset, Value.Global target, String opcode) implements Event {}

  record UnresolvedCall(long offset, String opcode, String detail) implements Event {}

  record UnresolvedGlobal(long offset, String detail) implements Event {}

  record UnresolvedExt(long offset, long code) implements Event {}

  record FrameDivergence(long offset, String detail) implements Event {}

  record Anomaly(long offset, String detail) implements Event {}

  record Expansion(long offset, long weight) implements Event {}

  record NestedPickle(long offset, byte[] content, String encoding) implements Event {}

  /** How the stream ended. */
  enum End {
    STOP,
    TRUNCATED,
    INVALID_OPCODE,
    LIMIT,
    ERROR
  }

  final List<Value.Global> globals = new ArrayList<>();
  final Set<Value.Global> called = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The arguments of every direct call of a global. */
  final Map<Value.Global, List<Value>> callArguments = new IdentityHashMap<>();
  /** Globals handed to a call or to BUILD, which may call them in any way. */
  final Set<Value.Global> otherCalls = Collections.newSetFromMap(new IdentityHashMap<>());
  /** {@code getattr} globals used as {@code getattr(global, 'constant')}. */
  final Set<Value.Global> attributeReads = Collections.newSetFromMap(new IdentityHashMap<>());
  final List<Event> events = new ArrayList<>();
  /** String constants, for the credential check; bounded by {@link #MAX_STRING_CHARS}. */
  final List<StringConstant> strings = new ArrayList<>();

  long stringChars;
  static final long MAX_STRING_CHARS = 8L << 20;

  record StringConstant(long offset, String text) {}

  void noteString(long offset, String text) {
    if (text.length() >= 8 && stringChars + text.length() <= MAX_STRING_CHARS) {
      stringChars += text.length();
      strings.add(new StringConstant(offset, text));
    }
  }
  End end = End.STOP;
  String endDetail = "";
  long endOffset;
  long startOffset;
  int protocol;
  int calls;
  /** A probe stopped at the first call of an imported global, before the stream ended. */
  boolean probeStopped;
  long opcodes;
  /** The value left on top of the stack at STOP: what {@code pickle.load} returns. */
  Value result;

  boolean clean() {
    return end == End.STOP;
  }
}
