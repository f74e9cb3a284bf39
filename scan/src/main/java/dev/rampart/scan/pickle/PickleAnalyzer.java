package dev.rampart.scan.pickle;

import dev.rampart.core.Finding;
import dev.rampart.core.Rule;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Format;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.ArrayBlob;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.policy.Verdict;
import java.io.IOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scans pickle data: every stream to its end, and every stream stacked after it, applying the allow-list-first
 * policy to each global and turning the machine's observations into findings.
 */
public final class PickleAnalyzer implements Analyzer {
  /** The number legacy {@code torch.save} writes as its first pickle. */
  private static final BigInteger TORCH_LEGACY_MAGIC = new BigInteger("119547037146038801333356");

  private static final int LEGACY_TORCH_STREAMS = 5;

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    scan(target, blob, 0);
  }

  /** Scans the streams of {@code blob} starting at {@code start}; returns the offset where pickle data ended. */
  public static long scan(Target target, Blob blob, long start) throws IOException {
    target.notePickle();
    var limits =
        new PickleMachine.Limits(target.limits().maxOpcodes(), target.limits().maxStackDepth(), target.limits().maxMemo());
    long pos = start;
    int streams = 0;
    boolean legacyTorch = false;
    while (pos < blob.size()) {
      target.checkDeadline();
      var stream = streams == 0 ? target : target.sub("stream#" + (streams + 1));
      var trace = PickleMachine.run(blob, pos, limits);
      streams++;
      report(stream, trace);
      if (!trace.clean()) {
        return trace.endOffset;
      }
      if (streams == 1 && trace.result instanceof Value.Num n && isLegacyMagic(n)) {
        legacyTorch = true;
      }
      pos = trace.endOffset;
      if (legacyTorch && streams == LEGACY_TORCH_STREAMS) {
        // legacy torch.save: raw storage bytes follow the fifth pickle; torch reads them without unpickling
        return pos;
      }
      if (pos < blob.size()) {
        var rest = blob.slice(pos, blob.size() - pos);
        if (!PickleSniffer.startsStream(rest)) {
          target.report(
              ScanRules.PKL_STREAM_ANOMALY,
              (blob.size() - pos) + " trailing bytes after the last pickle stream",
              pos);
          return pos;
        }
        if (!legacyTorch) {
          target.report(ScanRules.PKL_STREAM_ANOMALY, "another pickle stream is stacked at byte " + pos, pos);
        }
      }
    }
    return pos;
  }

  private static boolean isLegacyMagic(Value.Num n) {
    try {
      return new BigInteger(n.text().trim()).equals(TORCH_LEGACY_MAGIC);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void report(Target target, Trace trace) throws IOException {
    reportGlobals(target, trace);
    var checks = target.contentChecks();
    if (checks.secretsEnabled()) {
      // training arguments and configs pickled with a model keep tokens as plain string constants
      for (var s : trace.strings) {
        checks.secrets(target, target.location().at(s.offset()), s.text(), 0);
      }
    }
    for (Trace.Event event : trace.events) {
      switch (event) {
        case Trace.Mutation m ->
            target.report(
                ScanRules.PKL_GLOBAL_MUTATION,
                m.opcode() + " rewrites the state of " + m.target().dotted(),
                m.offset());
        case Trace.UnresolvedCall c ->
            target.report(ScanRules.PKL_UNRESOLVED_GLOBAL, c.opcode() + " invokes a value that cannot be resolved statically: " + c.detail(), c.offset());
        case Trace.UnresolvedGlobal g -> target.report(ScanRules.PKL_UNRESOLVED_GLOBAL, g.detail(), g.offset());
        case Trace.UnresolvedExt e ->
            target.report(
                ScanRules.PKL_UNRESOLVED_EXTENSION,
                "extension code " + e.code() + " is not registered by this stream",
                e.offset());
        case Trace.FrameDivergence f -> target.report(ScanRules.PKL_FRAME_DIVERGENCE, f.detail(), f.offset());
        case Trace.Anomaly a -> target.report(ScanRules.PKL_STREAM_ANOMALY, a.detail(), a.offset());
        case Trace.Expansion x ->
            target.report(
                ScanRules.PKL_MEMO_EXPANSION,
                "memo references build an object of more than " + x.weight() + " elements",
                x.offset());
        case Trace.NestedPickle n -> {
          target.report(
              ScanRules.PKL_NESTED_PICKLE,
              n.encoding() + " pickle of " + n.content().length + " bytes inside a constant at byte " + n.offset(),
              n.offset());
          target.scanMemberAs("constant@" + n.offset(), new ArrayBlob(n.content()), Format.PICKLE);
        }
      }
    }
    switch (trace.end) {
      case STOP -> {}
      case INVALID_OPCODE, ERROR, TRUNCATED -> {
        if (trace.calls > 0) {
          target.report(
              ScanRules.PKL_BROKEN_AFTER_CALL,
              trace.calls + " call(s) run before the stream breaks: " + trace.endDetail,
              trace.endOffset);
        }
        target.incomplete("pickle stream is malformed: " + trace.endDetail, trace.endOffset);
      }
      case LIMIT -> target.incomplete("limit reached: " + trace.endDetail, trace.endOffset);
    }
  }

  /** One finding per distinct global and use (called or only imported), at its first occurrence. */
  private static void reportGlobals(Target target, Trace trace) {
    Map<String, Use> uses = new LinkedHashMap<>();
    var policy = target.policy();
    for (Value.Global g : trace.globals) {
      if (g.module().equals("unknown")) {
        continue;
      }
      boolean called = trace.called.contains(g);
      if (FrameworkShapes.accepts(policy, trace, g, called)) {
        continue;
      }
      String key = g.dotted() + (called ? "#call" : "#ref");
      uses.computeIfAbsent(key, k -> new Use(g, called)).count++;
    }
    // a global both called and referenced is reported once, as called
    uses.entrySet().removeIf(e -> e.getKey().endsWith("#ref") && uses.containsKey(e.getValue().global.dotted() + "#call"));
    for (Use use : uses.values()) {
      var g = use.global;
      var verdict = policy.classify(g.module(), g.name(), target::fileSha256);
      if (verdict instanceof Verdict.Allowed && !importedAfterItsPackage(policy, trace, g)) {
        verdict = new Verdict.NotListed();
      }
      Rule rule =
          switch (verdict) {
            case Verdict.Allowed a -> null;
            case Verdict.Tampering t -> ScanRules.PKL_SCANNER_TAMPERING;
            case Verdict.Denied d -> use.called ? ScanRules.PKL_DENYLISTED_CALL : ScanRules.PKL_DENYLISTED_IMPORT;
            case Verdict.NotListed n ->
                use.called
                    ? ScanRules.PKL_CALL_NOT_ALLOWLISTED
                    // importing a module nobody listed runs its top-level code, called or not
                    : policy.knowsModule(importedModule(g)) && policy.requiredEarlierImport(g.dotted()).isEmpty()
                        ? ScanRules.PKL_IMPORT_NOT_ALLOWLISTED
                        : ScanRules.PKL_MODULE_NOT_ALLOWLISTED;
          };
      if (rule == null) {
        continue;
      }
      String why = verdict instanceof Verdict.Denied d ? " (" + d.why() + "; deny entry " + d.entry() + ")" : "";
      String evidence =
          g.dotted()
              + (use.called ? " is called" : " is imported")
              + " (" + g.opcode() + (g.derived() ? ", resolved at load time" : "") + " at byte " + g.offset() + ")"
              + (use.count > 1 ? ", " + use.count + " times" : "")
              + why
              + "; policy " + target.policy().version();
      var finding = Finding.of(rule, evidence, target.location().at(g.offset()));
      if (verdict instanceof Verdict.Denied d && rule == ScanRules.PKL_DENYLISTED_CALL) {
        finding = finding.withTechnique(techniqueFor(d.entry()));
      }
      target.report(finding.withTitle(rule.title() + ": " + g.dotted()));
    }
  }

  /** Whether a global the policy allows only after its package was imported comes after such an import. */
  private static boolean importedAfterItsPackage(dev.rampart.scan.policy.Policy policy, Trace trace, Value.Global g) {
    var prefix = policy.requiredEarlierImport(g.dotted());
    if (prefix.isEmpty()) {
      return true;
    }
    return trace.globals.stream()
        .anyMatch(other -> other.offset() < g.offset() && (other.module() + ".").startsWith(prefix.get()));
  }

  /**
   * The module whose code a global can run on import: for a dotted name such as {@code ('torch', 'onnx.export')}
   * the attribute walk may import {@code torch.onnx} through a package's lazy {@code __getattr__}, so the module is
   * everything but the last part.
   */
  private static String importedModule(Value.Global g) {
    int dot = g.name().lastIndexOf('.');
    return dot < 0 || g.derived() ? g.module() : g.module() + "." + g.name().substring(0, dot);
  }

  private static dev.rampart.core.AtlasTechnique techniqueFor(String entry) {
    if (entry.equals("socket") || entry.equals("_socket") || entry.equals("pty")) {
      return dev.rampart.core.Atlas.REVERSE_SHELL;
    }
    return dev.rampart.core.Atlas.UNSAFE_AI_ARTIFACTS;
  }

  private static final class Use {
    final Value.Global global;
    final boolean called;
    int count;

    Use(Value.Global global, boolean called) {
      this.global = global;
      this.called = called;
    }
  }
}
