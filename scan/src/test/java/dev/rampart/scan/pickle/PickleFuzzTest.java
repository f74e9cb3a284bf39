package dev.rampart.scan.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ExitCode;
import dev.rampart.core.Severity;
import dev.rampart.scan.Fixtures;
import dev.rampart.scan.io.ArrayBlob;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The pickle machine on hostile bytes: it returns a trace for anything (never an exception other than I/O), and
 * damage after a payload never hides the payload.
 */
class PickleFuzzTest {
  private static final PickleMachine.Limits LIMITS = new PickleMachine.Limits(100_000, 1_000, 10_000);
  private static final byte[] PAYLOAD =
      PickleBytes.proto(4).stackGlobal("os", "system").callWithString("echo x").stop().bytes();

  @Property(tries = 2000)
  void arbitraryBytesNeverCrashTheMachine(@ForAll @Size(max = 512) byte[] bytes) throws Exception {
    var t = PickleMachine.run(new ArrayBlob(bytes), 0, LIMITS);
    assertThat(t.end).isNotNull();
    assertThat(t.endOffset).isBetween(0L, (long) bytes.length);
  }

  @Property(tries = 1000)
  void opcodeSoupNeverCrashesTheMachine(@ForAll("opcodeSoup") byte[] bytes) throws Exception {
    var t = PickleMachine.run(new ArrayBlob(bytes), 0, LIMITS);
    assertThat(t.end).isNotNull();
  }

  @Provide
  Arbitrary<byte[]> opcodeSoup() {
    var codes = Arbitraries.of(Opcode.values()).map(o -> (byte) o.code);
    var any = Arbitraries.bytes();
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, codes), net.jqwik.api.Tuple.of(1, any))
        .list().ofMaxSize(300)
        .map(list -> {
          byte[] b = new byte[list.size()];
          for (int i = 0; i < b.length; i++) {
            b[i] = list.get(i);
          }
          return b;
        });
  }

  @Property(tries = 300)
  void damageAfterThePayloadNeverHidesIt(@ForAll @Size(min = 1, max = 64) byte[] tail) {
    // cut the final STOP and append garbage: the call has already run in any real loader
    byte[] data = new byte[PAYLOAD.length - 1 + tail.length];
    System.arraycopy(PAYLOAD, 0, data, 0, PAYLOAD.length - 1);
    System.arraycopy(tail, 0, data, PAYLOAD.length - 1, tail.length);
    var report = Fixtures.scanBytes(data);
    assertThat(report.findings()).anyMatch(f -> f.rule().id().equals("PKL-DENYLISTED-CALL"));
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).isEqualTo(ExitCode.FINDINGS);
  }

  @Property(tries = 300)
  void truncatedPicklesAreNeverClean(@ForAll("cut") int cut) {
    byte[] data = java.util.Arrays.copyOf(PAYLOAD, Math.min(cut, PAYLOAD.length - 1));
    var report = Fixtures.scanBytes(data);
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).isNotEqualTo(ExitCode.OK);
  }

  @Provide
  Arbitrary<Integer> cut() {
    return Arbitraries.integers().between(3, PAYLOAD.length - 1);
  }
}
