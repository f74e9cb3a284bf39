package dev.rampart.scan.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.scan.io.ArrayBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PickleMachineTest {
  private static final PickleMachine.Limits LIMITS = new PickleMachine.Limits(1_000_000, 10_000, 100_000);

  private static Trace run(byte[] bytes) throws IOException {
    return PickleMachine.run(new ArrayBlob(bytes), 0, LIMITS);
  }

  private static List<String> called(Trace t) {
    return t.globals.stream().filter(t.called::contains).map(Value.Global::dotted).distinct().toList();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void decodesEveryProtocolCPythonWrites(int protocol) throws Exception {
    byte[] data = Files.readAllBytes(dev.rampart.scan.Fixtures.path("benign/python_protocol" + protocol + ".pkl"));
    var t = run(data);
    assertThat(t.end).isEqualTo(Trace.End.STOP);
    assertThat(t.endOffset).isEqualTo(data.length);
    assertThat(t.events).noneMatch(e -> e instanceof Trace.Anomaly || e instanceof Trace.FrameDivergence);
    assertThat(t.result).isInstanceOf(Value.DictV.class);
    // the OrderedDict and set/frozenset constructors are the only calls a rich benign object needs
    assertThat(called(t)).allMatch(n -> n.startsWith("collections.") || n.startsWith("builtins.") || n.startsWith("copyreg.")
        || n.startsWith("_codecs."));
  }

  @Test
  void outOfBandBuffersOfProtocol5() throws Exception {
    byte[] data = Files.readAllBytes(dev.rampart.scan.Fixtures.path("benign/python_protocol5_out_of_band.pkl"));
    var t = run(data);
    assertThat(t.end).isEqualTo(Trace.End.STOP);
    assertThat(t.globals).isEmpty();
  }

  @Test
  void stackGlobalOperandsResolveThroughExplicitMemoSlots() throws Exception {
    // the decoy names are written to slots 7 and 8 first, then overwritten with os.system before being read
    byte[] data = PickleBytes.proto(4)
        .shortUnicode("torch").op('p').line("7").op('0')
        .shortUnicode("LongStorage").op('p').line("8").op('0')
        .shortUnicode("os").op('p').line("7").op('0')
        .shortUnicode("system").op('p').line("8").op('0')
        .op('g').line("7").op('g').line("8").op(0x93).callWithString("x").stop().bytes();
    var t = run(data);
    assertThat(called(t)).containsExactly("os.system");
  }

  @Test
  void callResultsThroughGetattrAreNamed() throws Exception {
    byte[] data = PickleBytes.proto(2)
        .global("builtins", "getattr")
        .op('(').global("importlib", "import_module").op('(').unicode("os").op('t').op('R').unicode("system").op('t').op('R')
        .op('(').unicode("id").op('t').op('R').stop().bytes();
    var t = run(data);
    assertThat(called(t)).contains("builtins.getattr", "importlib.import_module", "os.system");
  }

  @Test
  void globalsPassedToCallsCountAsCalled() throws Exception {
    byte[] data = PickleBytes.proto(2)
        .global("builtins", "map").op('(').global("os", "system").op(']').unicode("id").op('a').op('t').op('R')
        .stop().bytes();
    var t = run(data);
    assertThat(called(t)).contains("builtins.map", "os.system");
  }

  @Test
  void extensionCodesResolveOnlyThroughEarlierRegistrations() throws Exception {
    byte[] unresolved = PickleBytes.proto(2).op(0x82).raw(7).op(')').op('R').stop().bytes();
    assertThat(run(unresolved).events).anyMatch(e -> e instanceof Trace.UnresolvedExt x && x.code() == 7);
  }

  @Test
  void protocol2ImportsAreMappedLikeCPython() throws Exception {
    byte[] data = PickleBytes.proto(2).global("__builtin__", "eval").op('(').unicode("1").op('t').op('R').stop().bytes();
    assertThat(called(run(data))).containsExactly("builtins.eval");
    byte[] p4 = PickleBytes.proto(4).global("__builtin__", "eval").op('(').unicode("1").op('t').op('R').stop().bytes();
    assertThat(called(run(p4))).containsExactly("__builtin__.eval");
  }

  @Test
  void argumentCrossingFrameEndIsDivergence() throws Exception {
    var body = PickleBytes.bare().global("os", "system").unicode("a long argument").op('.');
    byte[] data = PickleBytes.proto(4).frame(14).raw(body.bytes()).bytes();
    var t = run(data);
    assertThat(t.events).anyMatch(e -> e instanceof Trace.FrameDivergence);
    assertThat(called(t)).isEmpty();
    assertThat(t.globals).extracting(Value.Global::dotted).contains("os.system");
  }

  @Test
  void wellFormedFramesAreNotDivergence() throws Exception {
    var body = PickleBytes.bare().op(']').op('.');
    byte[] data = PickleBytes.proto(4).frame(body.size()).raw(body.bytes()).bytes();
    var t = run(data);
    assertThat(t.end).isEqualTo(Trace.End.STOP);
    assertThat(t.events).isEmpty();
  }

  @Test
  void frameLongerThanTheDataIsTruncation() throws Exception {
    byte[] data = PickleBytes.proto(4).frame(1000).op(']').op('.').bytes();
    assertThat(run(data).end).isEqualTo(Trace.End.TRUNCATED);
  }

  @Test
  void invalidOpcodeKeepsWhatCameBefore() throws Exception {
    byte[] data = PickleBytes.proto(2).global("os", "system").op('(').unicode("x").op('t').op('R').raw(0xff).bytes();
    var t = run(data);
    assertThat(t.end).isEqualTo(Trace.End.INVALID_OPCODE);
    assertThat(t.calls).isEqualTo(1);
    assertThat(called(t)).containsExactly("os.system");
  }

  @Test
  void opcodeBudgetIsEnforced() throws Exception {
    var p = PickleBytes.proto(2);
    for (int i = 0; i < 50; i++) {
      p.op('N').op('0');
    }
    var t = PickleMachine.run(new ArrayBlob(p.stop().bytes()), 0, new PickleMachine.Limits(20, 100, 100));
    assertThat(t.end).isEqualTo(Trace.End.LIMIT);
  }

  @Test
  void buildOnAnImportedGlobalIsMutation() throws Exception {
    byte[] data = PickleBytes.proto(2).global("numpy", "__builtins__").op('}').op('b').op('.').bytes();
    assertThat(run(data).events).anyMatch(e -> e instanceof Trace.Mutation m && m.target().dotted().equals("numpy.__builtins__"));
  }

  @Test
  void setitemsOnAGlobalIsMutation() throws Exception {
    byte[] data = PickleBytes.proto(2).global("sys", "modules").op('(').unicode("k").unicode("v").op('u').op('.').bytes();
    assertThat(run(data).events).anyMatch(e -> e instanceof Trace.Mutation);
  }

  @Test
  void memoExpansionIsDetectedWithoutMaterialising() throws Exception {
    var p = PickleBytes.proto(4).op(']').op(0x94);
    for (int i = 0; i < 60; i++) {
      p.op('(').op('h').raw(i).op('h').raw(i).op('l').op(0x94);
    }
    var t = run(p.stop().bytes());
    assertThat(t.end).isEqualTo(Trace.End.STOP);
    assertThat(t.events).anyMatch(e -> e instanceof Trace.Expansion);
  }

  @Test
  void nestedPickleInsideBytesIsExtracted() throws Exception {
    byte[] inner = PickleBytes.proto(2).global("os", "system").op(')').op('R').stop().bytes();
    byte[] data = PickleBytes.proto(3).op('C').raw(inner.length).raw(inner).op('.').bytes();
    assertThat(run(data).events).anyMatch(e -> e instanceof Trace.NestedPickle n && n.encoding().equals("raw"));
  }

  @Test
  void legacyTorchMagicIsTheResult() throws Exception {
    byte[] data = PickleBytes.proto(2).op(0x8a).raw(10).raw(new byte[] {0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9,
        0x20, 0x6a, (byte) 0xa8, 0x50, 0x19}).stop().bytes();
    var t = run(data);
    assertThat(t.result).isInstanceOf(Value.Num.class);
    assertThat(((Value.Num) t.result).text()).isEqualTo("119547037146038801333356");
  }

  /** GLOBAL os.system into memo slot 10, popped, then fetched back with a text GET spelled {@code get}. */
  private static byte[] textGet(String get) {
    return PickleBytes.bare().global("os", "system").op('p').line("10").op('0')
        .op('g').line(get).op('(').op('S').line("'x'").op('t').op('R').stop().bytes();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "1_0", " 10", "10 ", "+10", "010", "0_1_0", "\t10\r", "10\u0000junk"})
  void textMemoIndicesAreReadAsCPythonsIntReadsThem(String index) throws Exception {
    var t = run(textGet(index));
    assertThat(t.end).isEqualTo(Trace.End.STOP);
    assertThat(called(t)).containsExactly("os.system");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1__0", "_10", "10_", "0x0a", "", "1 0", "\u0661\u0660"})
  void textMemoIndicesCPythonRejectsEndTheStream(String index) throws Exception {
    var t = run(textGet(index));
    assertThat(t.end).isEqualTo(Trace.End.ERROR);
  }

  @Test
  void intAndLongLiteralsFollowStrtolAndBaseZero() {
    assertThat(PythonInts.parseIntOpcode("0x1f")).isEqualTo(31);
    assertThat(PythonInts.parseIntOpcode("010")).isEqualTo(8);
    assertThat(PythonInts.parseIntOpcode("1_000")).isEqualTo(1000);
    assertThat(PythonInts.parseBase0("0o17")).isEqualTo(15);
    assertThat(PythonInts.parseBase0("0b_101")).isEqualTo(5);
    assertThat(PythonInts.parseBase0("010")).isNull();
    assertThat(PythonInts.parseBase0("000")).isEqualTo(0);
    assertThat(PythonInts.parseBase0("119547037146038801333356")).isEqualTo(new java.math.BigInteger("119547037146038801333356"));
  }

  @Test
  void protocol2OpcodesPoppedBeforeProtoStillReachTheGlobal() throws Exception {
    byte[] data = PickleBytes.bare().op(0x88).op('0').op(0x8f).op('0').op(0x8a).raw(1).raw(5).op('0')
        .op(0x80).raw(2).global("os", "system").callWithString("x").stop().bytes();
    var t = run(data);
    assertThat(t.end).isEqualTo(Trace.End.STOP);
    assertThat(called(t)).containsExactly("os.system");
  }
}
