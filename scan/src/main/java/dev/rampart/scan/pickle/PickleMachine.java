package dev.rampart.scan.pickle;

import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A static emulation of CPython's unpickler. It decodes every opcode exactly as {@code _pickle} does and keeps
 * values symbolic, so it can tell which globals are imported and which are called without running anything.
 *
 * <p>One instance runs one stream; joblib's inline arrays and object-array sub-streams are followed the way joblib's
 * unpickler reads them.
 */
final class PickleMachine {
  /** Bytes constants up to this size are kept whole so nested pickles inside them can be analysed. */
  static final int KEEP_BYTES = 16 * 1024 * 1024;

  private static final long EXPANSION_LIMIT = 10_000_000;

  private final PickleReader in;
  private final Limits limits;
  private final Trace trace = new Trace();
  private final List<Value> stack = new ArrayList<>();
  private final Deque<List<Value>> metastack = new ArrayDeque<>();
  private final Map<Long, Value> memo = new HashMap<>();
  private final Map<Long, Value.Global> extensions = new HashMap<>();
  private final Map<Value, Value> builtState = new IdentityHashMap<>();
  private final Map<Value.Call, Value.Global> derived = new IdentityHashMap<>();
  private List<Value> current = stack;
  private long frameEnd = -1;
  private boolean protoSeen;
  private boolean expansionReported;
  private int depth;
  /** Stop at the first global: enough to decide whether a loader would import anything from these bytes. */
  private boolean probe;
  /** The last opcode underflowed the stack, missed its MARK or read an empty memo slot: CPython raises there. */
  private boolean loaderRaises;

  /** Budgets for one stream. */
  record Limits(long maxOpcodes, int maxStackDepth, int maxMemo) {}

  private PickleMachine(PickleReader in, Limits limits) {
    this.in = in;
    this.limits = limits;
  }

  /** Runs one stream starting at {@code start}; never throws for malformed input, which ends up in the trace. */
  static Trace run(Blob blob, long start, Limits limits) throws IOException {
    var m = new PickleMachine(new PickleReader(blob, start, blob.size()), limits);
    m.execute();
    return m.trace;
  }

  /**
   * Runs a stream from byte 0 until it calls an imported global, stops, breaks or reaches a limit, whichever comes
   * first. A loader runs nothing from bytes that break before any global: only imports and calls execute code.
   */
  static Trace probe(Blob blob, Limits limits) throws IOException {
    var m = new PickleMachine(new PickleReader(blob, 0, blob.size()), limits);
    m.probe = true;
    m.execute();
    return m.trace;
  }

  private void execute() throws IOException {
    trace.startOffset = in.position();
    try {
      loop();
      trace.end = Trace.End.STOP;
    } catch (PickleReader.Truncated t) {
      finish(Trace.End.TRUNCATED, t.getMessage(), t.offset);
    } catch (Malformed e) {
      finish(e.end, e.getMessage(), e.offset);
    }
    if (trace.end == Trace.End.STOP) {
      trace.endOffset = in.position();
    }
  }

  private void finish(Trace.End end, String detail, long offset) {
    trace.end = end;
    trace.endDetail = detail;
    trace.endOffset = offset;
  }

  private void loop() throws IOException {
    while (true) {
      long at = in.position();
      if (frameEnd >= 0 && at >= frameEnd) {
        frameEnd = -1;
      }
      if (++trace.opcodes > limits.maxOpcodes()) {
        throw new Malformed(Trace.End.LIMIT, at, "more than " + limits.maxOpcodes() + " opcodes in one stream");
      }
      int b = in.u8();
      Opcode op = Opcode.of(b);
      if (op == null) {
        throw new Malformed(
            Trace.End.INVALID_OPCODE, at, String.format("invalid opcode 0x%02x at byte %d", b, at));
      }
      if (op.protocol > trace.protocol && protoSeen && op != Opcode.PROTO) {
        trace.events.add(
            new Trace.Anomaly(at, op + " needs protocol " + op.protocol + " but the stream declares " + trace.protocol));
      }
      if (step(op, at)) {
        checkFrame(op, at);
        return;
      }
      if (probe && loaderRaises) {
        // the analyser reads on past such damage and reports it; deciding what a loader runs stops where it raises
        throw new Malformed(Trace.End.ERROR, at, "the unpickler raises at byte " + at);
      }
      if (probe && trace.calls > 0 && !trace.globals.isEmpty()) {
        trace.probeStopped = true;
        return;
      }
      checkFrame(op, at);
      if (current.size() > limits.maxStackDepth() || metastack.size() > limits.maxStackDepth()) {
        throw new Malformed(Trace.End.LIMIT, at, "stack deeper than " + limits.maxStackDepth());
      }
    }
  }

  /** An opcode whose bytes run past the end of the frame it started in is read differently by different loaders. */
  private void checkFrame(Opcode op, long at) {
    if (frameEnd >= 0 && in.position() > frameEnd && op != Opcode.FRAME) {
      trace.events.add(
          new Trace.FrameDivergence(
              at, op + " at byte " + at + " extends past the end of its frame at byte " + frameEnd));
      frameEnd = -1;
    }
  }

  /** Executes one opcode; returns true on STOP. */
  private boolean step(Opcode op, long at) throws IOException {
    switch (op) {
      case STOP -> {
        trace.result = current.isEmpty() ? null : current.get(current.size() - 1);
        return true;
      }
      case PROTO -> {
        int p = in.u8();
        if (protoSeen || at != trace.startOffset) {
          trace.events.add(new Trace.Anomaly(at, "PROTO " + p + " at byte " + at + " is not the first opcode"));
        }
        if (p > 5) {
          throw new Malformed(Trace.End.ERROR, at, "unsupported pickle protocol " + p);
        }
        protoSeen = true;
        trace.protocol = p;
      }
      case FRAME -> {
        long len = in.littleEndian(8);
        if (frameEnd >= 0 && in.position() - 9 < frameEnd) {
          trace.events.add(
              new Trace.FrameDivergence(at, "FRAME at byte " + at + " starts inside the frame ending at " + frameEnd));
        }
        if (len < 0 || len > in.remaining()) {
          throw new PickleReader.Truncated(at, len);
        }
        frameEnd = in.position() + len;
      }
      case MARK -> {
        metastack.push(current);
        current = new ArrayList<>();
      }
      case POP -> {
        if (current.isEmpty()) {
          popMark(at);
        } else {
          pop(at);
        }
      }
      case POP_MARK -> popMark(at);
      case DUP -> push(peekTop(at));
      case NONE -> push(new Value.Const("None"));
      case NEWTRUE -> push(new Value.Const("True"));
      case NEWFALSE -> push(new Value.Const("False"));
      case INT -> {
        String line = in.line();
        push(line.equals("01") ? new Value.Const("True") : line.equals("00") ? new Value.Const("False") : number(PythonInts.parseIntOpcode(line), line, at));
      }
      case LONG -> {
        String line = in.line();
        push(number(PythonInts.parseBase0(stripL(line)), line, at));
      }
      case FLOAT -> push(new Value.Const(in.line()));
      case BININT -> push(new Value.Num(Integer.toString((int) in.littleEndian(4))));
      case BININT1 -> push(new Value.Num(Integer.toString(in.u8())));
      case BININT2 -> push(new Value.Num(Long.toString(in.littleEndian(2))));
      case LONG1 -> push(new Value.Num(longFromBytes(in.bytes(in.u8(), 256))));
      case LONG4 -> {
        long n = in.littleEndian(4);
        push(new Value.Num(longFromBytes(in.bytes(signed32(n, at), 4096))));
      }
      case BINFLOAT -> {
        in.littleEndian(8);
        push(new Value.Const("float"));
      }
      case STRING -> push(new Value.Str(PythonStrings.decodeQuoted(in.line())));
      case UNICODE -> push(new Value.Str(PythonStrings.decodeRawUnicodeEscape(in.line())));
      case BINSTRING -> push(bytesOrStr(at, signed32(in.littleEndian(4), at), false));
      case SHORT_BINSTRING -> push(bytesOrStr(at, in.u8(), false));
      case BINUNICODE -> push(bytesOrStr(at, in.littleEndian(4), true));
      case SHORT_BINUNICODE -> push(bytesOrStr(at, in.u8(), true));
      case BINUNICODE8 -> push(bytesOrStr(at, in.littleEndian(8), true));
      case BINBYTES -> push(bytes(at, in.littleEndian(4)));
      case SHORT_BINBYTES -> push(bytes(at, in.u8()));
      case BINBYTES8, BYTEARRAY8 -> push(bytes(at, in.littleEndian(8)));
      case NEXT_BUFFER -> push(new Value.Const("out-of-band buffer"));
      case READONLY_BUFFER -> peekTop(at);
      case EMPTY_TUPLE -> push(Value.Tuple.of(List.of()));
      case TUPLE -> push(Value.Tuple.of(popMark(at)));
      case TUPLE1 -> push(Value.Tuple.of(popN(1, at)));
      case TUPLE2 -> push(Value.Tuple.of(popN(2, at)));
      case TUPLE3 -> push(Value.Tuple.of(popN(3, at)));
      case EMPTY_LIST -> push(new Value.ListV());
      case LIST -> {
        var list = new Value.ListV();
        popMark(at).forEach(list::add);
        push(checkExpansion(list, at));
      }
      case EMPTY_DICT -> push(new Value.DictV());
      case DICT -> {
        var items = popMark(at);
        var dict = new Value.DictV();
        for (int i = 0; i + 1 < items.size(); i += 2) {
          dict.put(items.get(i), items.get(i + 1));
        }
        push(checkExpansion(dict, at));
      }
      case EMPTY_SET -> push(new Value.SetV());
      case FROZENSET -> {
        var set = new Value.SetV();
        popMark(at).forEach(set::add);
        push(set);
      }
      case APPEND -> {
        Value v = pop(at);
        append(peekTop(at), List.of(v), op, at);
      }
      case APPENDS -> {
        var items = popMark(at);
        append(peekTop(at), items, op, at);
      }
      case ADDITEMS -> {
        var items = popMark(at);
        append(peekTop(at), items, op, at);
      }
      case SETITEM -> {
        Value v = pop(at);
        Value k = pop(at);
        setItems(peekTop(at), List.of(k, v), op, at);
      }
      case SETITEMS -> {
        var items = popMark(at);
        setItems(peekTop(at), items, op, at);
      }
      case GLOBAL -> {
        String module = in.line();
        String name = in.line();
        push(global(module, name, at, op.name()));
      }
      case STACK_GLOBAL -> {
        Value name = pop(at);
        Value module = pop(at);
        if (module instanceof Value.Str m && name instanceof Value.Str n) {
          push(global(m.value(), n.value(), at, op.name()));
        } else {
          trace.events.add(
              new Trace.UnresolvedGlobal(
                  at, "STACK_GLOBAL operands are not constant strings: " + describe(module) + ", " + describe(name)));
          push(global("unknown", "unknown", at, op.name()));
        }
      }
      case INST -> {
        String module = in.line();
        String name = in.line();
        var cls = global(module, name, at, op.name());
        var args = popMark(at);
        push(call(cls, Value.Tuple.of(args), at, op));
      }
      case OBJ -> {
        var items = popMark(at);
        if (items.isEmpty()) {
          throw new Malformed(Trace.End.ERROR, at, "OBJ without a class");
        }
        push(call(items.get(0), Value.Tuple.of(items.subList(1, items.size())), at, op));
      }
      case REDUCE -> {
        Value args = pop(at);
        Value callee = pop(at);
        push(call(callee, args, at, op));
      }
      case NEWOBJ -> {
        Value args = pop(at);
        Value cls = pop(at);
        push(call(cls, args, at, op));
      }
      case NEWOBJ_EX -> {
        Value kwargs = pop(at);
        Value args = pop(at);
        Value cls = pop(at);
        push(call(cls, Value.Tuple.of(List.of(args, kwargs)), at, op));
      }
      case BUILD -> {
        Value state = pop(at);
        Value obj = peekTop(at);
        var named = namedGlobal(obj);
        if (named != null) {
          trace.events.add(new Trace.Mutation(at, named, op.name()));
        }
        markArgumentsCalled(state, 0);
        builtState.put(obj, state);
        joblibInlineArray(obj, state, at);
      }
      case PERSID -> push(new Value.Persistent(new Value.Str(in.line())));
      case BINPERSID -> push(new Value.Persistent(pop(at)));
      case PUT -> memoPut(parseIndex(in.line(), at), at);
      case BINPUT -> memoPut(in.u8(), at);
      case LONG_BINPUT -> memoPut(in.littleEndian(4), at);
      case MEMOIZE -> memoPut(memo.size(), at);
      case GET -> memoGet(parseIndex(in.line(), at), at);
      case BINGET -> memoGet(in.u8(), at);
      case LONG_BINGET -> memoGet(in.littleEndian(4), at);
      case EXT1 -> ext(in.u8(), at);
      case EXT2 -> ext(in.littleEndian(2), at);
      case EXT4 -> ext(in.littleEndian(4), at);
    }
    return false;
  }

  private Value.Global global(String module, String name, long at, String opcode) {
    var mapped = trace.protocol < 3 ? CompatImports.map(module, name) : new String[] {module, name};
    var g = new Value.Global(mapped[0], mapped[1], at, opcode, false);
    trace.globals.add(g);
    return g;
  }

  private Value call(Value callee, Value args, long at, Opcode op) {
    trace.calls++;
    var target = resolveCallable(callee);
    boolean attributeRead = target != null && isAttributeRead(target, args);
    if (attributeRead) {
      // getattr(module.Class, 'name') reads one attribute, like GLOBAL 'module' 'Class.name' does; the name it
      // reaches is judged as a global of its own below, and nothing is called yet
      trace.attributeReads.add(target);
    } else if (target != null) {
      trace.called.add(target);
      trace.callArguments.computeIfAbsent(target, k -> new ArrayList<>()).add(args);
      recordExtensionRegistration(target, args);
    } else {
      trace.events.add(new Trace.UnresolvedCall(at, op.name(), "the callable is " + describe(callee)));
    }
    if (!attributeRead) {
      markArgumentsCalled(args, 0);
    }
    var result = new Value.Call(callee, args, at, op.name());
    var named = derivedGlobal(result);
    if (named != null) {
      trace.globals.add(named);
    }
    return result;
  }

  /** The global a callable value stands for, following attribute reads; null when it cannot be known statically. */
  private Value.Global resolveCallable(Value callee) {
    if (callee instanceof Value.Global g) {
      return g;
    }
    if (callee instanceof Value.Persistent p && legacyTorchModuleClass(p) != null) {
      return legacyTorchModuleClass(p);
    }
    if (callee instanceof Value.Call c) {
      return derivedGlobal(c);
    }
    return null;
  }

  /**
   * Legacy {@code torch.save} writes each module class as the persistent id {@code ('module', cls, source_file,
   * source)}, and torch's legacy loader returns {@code cls} for it; no other loader accepts the id at all.
   */
  private static Value.Global legacyTorchModuleClass(Value.Persistent p) {
    if (p.id() instanceof Value.Tuple t
        && t.items().size() == 4
        && t.items().get(0) instanceof Value.Str kind
        && kind.value().equals("module")
        && t.items().get(1) instanceof Value.Global cls) {
      return cls;
    }
    return null;
  }

  /**
   * {@code builtins.getattr(G, 'name')} with a global and a constant public or single-underscore name: a plain
   * attribute read. Dunder names ({@code __dict__}, {@code __globals__}, {@code __builtins__}) reach interpreter
   * internals and are never part of the shape.
   */
  private static boolean isAttributeRead(Value.Global fn, Value args) {
    return fn.dotted().equals("builtins.getattr")
        && args instanceof Value.Tuple t
        && t.items().size() == 2
        && t.items().get(0) instanceof Value.Global base
        && !base.module().equals("unknown")
        && t.items().get(1) instanceof Value.Str attr
        && !attr.value().startsWith("__")
        && !attr.value().isEmpty();
  }

  /** The global a value names, directly or as an attribute read at load time; null otherwise. */
  private Value.Global namedGlobal(Value v) {
    if (v instanceof Value.Global g) {
      return g;
    }
    return v instanceof Value.Call c ? derivedGlobal(c) : null;
  }

  /**
   * {@code getattr(X, 'attr')}, {@code importlib.import_module('m')} and their relatives produce a reference to a
   * global at run time; name it so that policy applies to it.
   */
  private Value.Global derivedGlobal(Value.Call c) {
    if (derived.containsKey(c)) {
      return derived.get(c);
    }
    var g = deriveGlobal(c);
    derived.put(c, g);
    return g;
  }

  private Value.Global deriveGlobal(Value.Call c) {
    if (!(c.callee() instanceof Value.Global fn) || !(c.args() instanceof Value.Tuple t)) {
      return null;
    }
    String f = fn.dotted();
    var items = t.items();
    if ((f.equals("builtins.getattr") || f.equals("inspect.getattr_static")) && items.size() >= 2
        && items.get(1) instanceof Value.Str attr) {
      Value base = items.get(0);
      if (base instanceof Value.Global g) {
        return new Value.Global(g.module(), g.name() + "." + attr.value(), c.offset(), "getattr", true);
      }
      if (base instanceof Value.Call inner && moduleImported(inner) != null) {
        return new Value.Global(moduleImported(inner), attr.value(), c.offset(), "getattr", true);
      }
      return new Value.Global("unknown", attr.value(), c.offset(), "getattr", true);
    }
    if (moduleImported(c) != null) {
      return new Value.Global(moduleImported(c), "", c.offset(), "import", true);
    }
    if (f.equals("dill._dill._load_type") && items.size() == 1 && items.get(0) instanceof Value.Str type) {
      // dill's table of built-in types: 'CodeType' is types.CodeType, 'slice' is builtins.slice
      String n = type.value();
      return n.endsWith("Type")
          ? new Value.Global("types", n, c.offset(), "dill type", true)
          : new Value.Global("builtins", n, c.offset(), "dill type", true);
    }
    if ((f.equals("pkgutil.resolve_name") || f.equals("pydoc.locate")) && !items.isEmpty()
        && items.get(0) instanceof Value.Str name) {
      String n = name.value().replace(':', '.');
      int dot = n.lastIndexOf('.');
      return dot < 0
          ? new Value.Global(n, "", c.offset(), "resolve", true)
          : new Value.Global(n.substring(0, dot), n.substring(dot + 1), c.offset(), "resolve", true);
    }
    return null;
  }

  private static String moduleImported(Value.Call c) {
    if (c.callee() instanceof Value.Global fn
        && (fn.dotted().equals("importlib.import_module") || fn.dotted().equals("builtins.__import__"))
        && c.args() instanceof Value.Tuple t
        && !t.items().isEmpty()
        && t.items().get(0) instanceof Value.Str m) {
      return m.value();
    }
    return null;
  }

  /** Globals handed to a call can be invoked by it (map, partial, methodcaller...), so they count as called. */
  private void markArgumentsCalled(Value v, int level) {
    if (level > 4) {
      return;
    }
    switch (v) {
      case Value.Global g -> {
        trace.called.add(g);
        trace.otherCalls.add(g);
      }
      case Value.Tuple t -> t.items().forEach(i -> markArgumentsCalled(i, level + 1));
      case Value.ListV l -> l.items.stream().limit(1000).forEach(i -> markArgumentsCalled(i, level + 1));
      case Value.DictV d ->
          d.entries.stream().limit(1000).forEach(e -> {
            markArgumentsCalled(e[0], level + 1);
            markArgumentsCalled(e[1], level + 1);
          });
      case Value.Call c -> {
        var named = derivedGlobal(c);
        if (named != null) {
          trace.called.add(named);
          trace.otherCalls.add(named);
        }
      }
      default -> {}
    }
  }

  private void recordExtensionRegistration(Value.Global target, Value args) {
    if (target.dotted().equals("copyreg.add_extension")
        && args instanceof Value.Tuple t
        && t.items().size() == 3
        && t.items().get(0) instanceof Value.Str m
        && t.items().get(1) instanceof Value.Str n
        && t.items().get(2) instanceof Value.Num code) {
      extensions.put(code.asLong(-1), new Value.Global(m.value(), n.value(), target.offset(), "EXT", false));
    }
  }

  private void ext(long code, long at) {
    var registered = extensions.get(code);
    if (registered == null) {
      trace.events.add(new Trace.UnresolvedExt(at, code));
      push(global("unknown", "extension code " + code, at, "EXT"));
    } else {
      push(global(registered.module(), registered.name(), at, "EXT"));
    }
  }

  private void append(Value target, List<Value> items, Opcode op, long at) {
    switch (target) {
      case Value.ListV l -> {
        items.forEach(l::add);
        checkExpansion(l, at);
      }
      case Value.SetV s -> items.forEach(s::add);
      case Value.Global g -> trace.events.add(new Trace.Mutation(at, g, op.name()));
      default -> {
        mutationOfDerived(target, op, at);
        markArgumentsCalled(Value.Tuple.of(items), 0);
      }
    }
  }

  /** APPEND or SETITEM into {@code getattr(G, 'name')} rewrites state reached from a module, like into G itself. */
  private void mutationOfDerived(Value target, Opcode op, long at) {
    if (target instanceof Value.Call c && derivedGlobal(c) != null) {
      trace.events.add(new Trace.Mutation(at, derivedGlobal(c), op.name()));
    }
  }

  private void setItems(Value target, List<Value> items, Opcode op, long at) {
    switch (target) {
      case Value.DictV d -> {
        for (int i = 0; i + 1 < items.size(); i += 2) {
          d.put(items.get(i), items.get(i + 1));
        }
        checkExpansion(d, at);
      }
      case Value.Global g -> trace.events.add(new Trace.Mutation(at, g, op.name()));
      default -> {
        mutationOfDerived(target, op, at);
        markArgumentsCalled(Value.Tuple.of(items), 0);
      }
    }
  }

  private Value checkExpansion(Value v, long at) {
    if (!expansionReported && v.weight() > EXPANSION_LIMIT) {
      expansionReported = true;
      trace.events.add(new Trace.Expansion(at, v.weight()));
    }
    return v;
  }

  private void memoPut(long index, long at) throws Malformed {
    if (memo.size() >= limits.maxMemo() && !memo.containsKey(index)) {
      throw new Malformed(Trace.End.LIMIT, at, "more than " + limits.maxMemo() + " memo entries");
    }
    memo.put(index, peekTop(at));
  }

  private void memoGet(long index, long at) {
    var v = memo.get(index);
    if (v == null) {
      loaderRaises = true;
      trace.events.add(new Trace.Anomaly(at, "memo slot " + index + " read before it was written"));
      v = new Value.Unknown("missing memo slot " + index);
    }
    push(checkExpansion(v, at));
  }

  private Value bytesOrStr(long at, long length, boolean unicode) throws IOException {
    if (length < 0 || length > in.remaining()) {
      throw new PickleReader.Truncated(at, length);
    }
    if (unicode && length <= KEEP_BYTES) {
      byte[] data = in.bytes(length, KEEP_BYTES);
      var s = new String(data, StandardCharsets.UTF_8);
      nestedCandidates(data, at);
      trace.noteString(at, s);
      return new Value.Str(s);
    }
    if (!unicode && length <= KEEP_BYTES) {
      // BINSTRING decodes with the loader's encoding (ASCII by default); names built from it still resolve.
      byte[] data = in.bytes(length, KEEP_BYTES);
      nestedCandidates(data, at);
      var s = new String(data, StandardCharsets.ISO_8859_1);
      trace.noteString(at, s);
      return new Value.Str(s);
    }
    return bytes(at, length);
  }

  private Value bytes(long at, long length) throws IOException {
    if (length < 0 || length > in.remaining()) {
      throw new PickleReader.Truncated(at, length);
    }
    byte[] data = in.bytes(length, KEEP_BYTES);
    if (data.length == length) {
      nestedCandidates(data, at);
    }
    return new Value.Bytes(data, length, at);
  }

  private void nestedCandidates(byte[] data, long at) {
    if (data.length < 8 || depth > 0 || probe) {
      return;
    }
    for (var candidate : NestedPickles.candidates(data)) {
      trace.events.add(new Trace.NestedPickle(at, candidate.content(), candidate.encoding()));
    }
  }

  /**
   * joblib writes numeric array data raw into the file right after a NumpyArrayWrapper's BUILD, and object arrays
   * as a separate pickle stream; its unpickler reads them from there, so must we.
   */
  private void joblibInlineArray(Value obj, Value state, long at) throws IOException {
    if (!(obj instanceof Value.Call c)
        || !(c.callee() instanceof Value.Global cls)
        || !cls.name().equals("NumpyArrayWrapper")
        || !(cls.module().endsWith("joblib.numpy_pickle"))
        || !(state instanceof Value.DictV dict)) {
      return;
    }
    var dtype = dict.get("dtype");
    long itemsize = NumpyDtypes.itemsize(dtype, builtState);
    if (itemsize == NumpyDtypes.OBJECT) {
      nestedStream(at);
      return;
    }
    long count = 1;
    if (dict.get("shape") instanceof Value.Tuple shape) {
      for (Value d : shape.items()) {
        long n = d instanceof Value.Num num ? num.asLong(-1) : -1;
        if (n < 0) {
          throw new Malformed(Trace.End.ERROR, at, "joblib array shape is not a tuple of integers");
        }
        count = Math.multiplyExact(count, n);
      }
    }
    if (itemsize < 0) {
      throw new Malformed(Trace.End.ERROR, at, "joblib array dtype cannot be sized: " + describe(dtype));
    }
    if (dict.get("numpy_array_alignment_bytes") instanceof Value.Num) {
      int padding = in.u8();
      in.seek(in.position() + padding);
    }
    long length;
    try {
      length = Math.multiplyExact(count, itemsize);
    } catch (ArithmeticException e) {
      throw new Malformed(Trace.End.ERROR, at, "joblib array size overflows");
    }
    if (length > in.remaining()) {
      throw new PickleReader.Truncated(in.position(), length);
    }
    frameEnd = -1;
    in.seek(in.position() + length);
  }

  private void nestedStream(long at) throws IOException {
    if (depth > 8) {
      throw new Malformed(Trace.End.LIMIT, at, "object arrays nested more than 8 deep");
    }
    var inner = new PickleMachine(in, limits);
    inner.depth = depth + 1;
    inner.execute();
    trace.globals.addAll(inner.trace.globals);
    trace.called.addAll(inner.trace.called);
    trace.otherCalls.addAll(inner.trace.otherCalls);
    trace.attributeReads.addAll(inner.trace.attributeReads);
    inner.trace.callArguments.forEach((g, calls) -> trace.callArguments.computeIfAbsent(g, k -> new ArrayList<>()).addAll(calls));
    trace.events.addAll(inner.trace.events);
    trace.calls += inner.trace.calls;
    if (!inner.trace.clean()) {
      throw new Malformed(inner.trace.end, inner.trace.endOffset, "object array stream: " + inner.trace.endDetail);
    }
    frameEnd = -1;
  }

  private long parseIndex(String line, long at) throws Malformed {
    var v = PythonInts.parse(line);
    if (v == null || v.bitLength() > 63) {
      throw new Malformed(Trace.End.ERROR, at, "memo index is not a number: " + PythonStrings.preview(line));
    }
    return v.longValue();
  }

  private static Value number(java.math.BigInteger value, String line, long at) throws Malformed {
    if (value == null) {
      throw new Malformed(Trace.End.ERROR, at, "invalid literal for int(): " + PythonStrings.preview(line));
    }
    return new Value.Num(value.toString());
  }

  private static long signed32(long n, long at) throws Malformed {
    int v = (int) n;
    if (v < 0) {
      throw new Malformed(Trace.End.ERROR, at, "negative length " + v);
    }
    return v;
  }

  private static String stripL(String s) {
    return s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
  }

  private static String longFromBytes(byte[] le) {
    if (le.length == 0) {
      return "0";
    }
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new java.math.BigInteger(be).toString();
  }

  private void push(Value v) {
    current.add(v);
  }

  private Value pop(long at) {
    if (current.isEmpty()) {
      loaderRaises = true;
      trace.events.add(new Trace.Anomaly(at, "stack underflow at byte " + at));
      return new Value.Unknown("stack underflow");
    }
    return current.remove(current.size() - 1);
  }

  private Value peekTop(long at) {
    if (current.isEmpty()) {
      loaderRaises = true;
      trace.events.add(new Trace.Anomaly(at, "stack underflow at byte " + at));
      return new Value.Unknown("stack underflow");
    }
    return current.get(current.size() - 1);
  }

  private List<Value> popN(int n, long at) {
    var out = new ArrayList<Value>(n);
    for (int i = 0; i < n; i++) {
      out.add(0, pop(at));
    }
    return out;
  }

  private List<Value> popMark(long at) {
    var items = current;
    if (metastack.isEmpty()) {
      loaderRaises = true;
      trace.events.add(new Trace.Anomaly(at, "MARK expected at byte " + at));
      current = new ArrayList<>();
      return items;
    }
    current = metastack.pop();
    return items;
  }

  static String describe(Value v) {
    return switch (v) {
      case Value.Str s -> "'" + PythonStrings.preview(s.value()) + "'";
      case Value.Global g -> g.dotted();
      case Value.Call c -> "the result of calling " + describe(c.callee());
      case Value.Unknown u -> "unknown (" + u.why() + ")";
      case Value.Num n -> n.text();
      case Value.Const c -> c.text();
      case Value.Bytes b -> "bytes[" + b.length() + "]";
      case Value.Tuple t -> "tuple[" + t.items().size() + "]";
      case Value.Persistent p -> "persistent id";
      default -> v.getClass().getSimpleName();
    };
  }

  /** Input the loader would reject at this point. */
  static final class Malformed extends IOException {
    final Trace.End end;
    final long offset;

    Malformed(Trace.End end, long offset, String message) {
      super(message);
      this.end = end;
      this.offset = offset;
    }
  }
}
