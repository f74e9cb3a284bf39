package dev.rampart.integrity.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interoperability of notes, checkpoints and cosignatures with the C2SP formats, on vectors made by other
 * implementations. Each vector names where it comes from.
 */
class C2spVectorsTest {
  // C2SP signed-note v1.0.0, "Verifier keys" example (also in florolf/tlog-scales tests/test_signing.py)
  private static final String SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
  private static final String SPEC_NOTE = "This is an example message.\n\n\u2014 example.com/foo "
      + "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

  // golang/mod sumdb/note/note_test.go: TestNewSigner, TestSign, TestOpen
  private static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  private static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
  private static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
      + "then you don't know what your problem is.\n";
  private static final String PETER_SIG = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
  private static final String ENOCH_SIG = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

  // A real checkpoint of the staging CT log arche2025h1, with cosignatures from public witnesses (florolf/tlog-scales
  // tests/test_signing.py, TestCheckpointVerification). The witness key of remora.n621.de is the one listed in
  // transparency-dev/formats note/note_cosigv1_test.go (TestCoSigV1NewVerifier).
  private static final String ARCHE_VKEY =
      "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f";
  private static final String REMORA_VKEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
  private static final String ARCHE_TEXT = "arche2025h1.staging.ct.transparency.dev\n1432088532\n"
      + "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=\n";
  private static final String ARCHE_NOTE = ARCHE_TEXT + "\n"
      + "\u2014 arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=\n"
      + "\u2014 arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=\n"
      + "\u2014 transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==\n"
      + "\u2014 witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==\n"
      + "\u2014 remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==\n"
      + "\u2014 witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==\n";

  // transparency-dev/formats witness/witness_test.go: witness signer and verifier keys
  private static final String WIT1_SKEY = "PRIVATE+KEY+Wit1+55ee4561+AeadRiG7XM4XiieCHzD8lxysXMwcViy5nYsoXURWGrlE";
  private static final String WIT1_VKEY = "Wit1+55ee4561+AVhZSmQj9+SoL+p/nN0Hh76xXmF7QcHfytUrI1XfSClk";
  private static final String WIT2_SKEY = "PRIVATE+KEY+Wit2+85ecc407+AfPTvxw5eUcqSgivo2vaiC7JPOMUZ/9baHPSDrWqgdGm";
  private static final String WIT2_VKEY = "Wit2+85ecc407+AWVbwFJte9wMQIPSnEnj4KibeO6vSIOEDUTDp3o63c2x";

  @Test
  void specVerifierKeyParsesAndItsNoteVerifies() throws Exception {
    var key = NoteKey.parse(SPEC_VKEY);
    assertThat(key.name()).isEqualTo("example.com/foo");
    assertThat(key.type()).isEqualTo(NoteKey.ED25519);
    assertThat(HexFormat.of().formatHex(key.publicKey()))
        .isEqualTo("e932791ae6e7a840a46164c904786426d5e7821dd8b29a00d61cae72afdd4da4");
    assertThat(key.vkey()).isEqualTo(SPEC_VKEY);
    var note = SignedNote.parse(SPEC_NOTE);
    assertThat(note.text()).isEqualTo("This is an example message.\n");
    assertThat(note.signatures()).hasSize(1);
    assertThat(NoteSigner.ed25519Verifies(key, note.textBytes(), note.signatures().get(0).signature())).isTrue();
    assertThat(note.format()).isEqualTo(SPEC_NOTE);
  }

  @Test
  void goSignerKeyDerivesItsVerifierKeyAndSignsByteForByte() {
    var signer = NoteSigner.parse(PETER_SKEY);
    assertThat(signer.key(NoteKey.ED25519).vkey()).isEqualTo(PETER_VKEY);
    assertThat(signer.skey()).isEqualTo(PETER_SKEY);
    // Ed25519 is deterministic: the same key and text give Go's exact signature line
    assertThat(signer.signNote(GO_TEXT).format()).isEqualTo(PETER_SIG);
    assertThat(NoteSigner.parse(WIT1_SKEY).key(NoteKey.ED25519).vkey()).isEqualTo(WIT1_VKEY);
    assertThat(NoteSigner.parse(WIT2_SKEY).key(NoteKey.ED25519).vkey()).isEqualTo(WIT2_VKEY);
  }

  @Test
  void goNoteWithTwoSignaturesVerifiesEachUnderItsKey() throws Exception {
    var note = SignedNote.parse(GO_TEXT + "\n" + PETER_SIG + ENOCH_SIG);
    var peter = NoteKey.parse(PETER_VKEY);
    var enoch = NoteKey.parse(ENOCH_VKEY);
    assertThat(note.signatures().get(0).isFrom(peter)).isTrue();
    assertThat(note.signatures().get(1).isFrom(enoch)).isTrue();
    assertThat(NoteSigner.ed25519Verifies(peter, note.textBytes(), note.signatures().get(0).signature())).isTrue();
    assertThat(NoteSigner.ed25519Verifies(enoch, note.textBytes(), note.signatures().get(1).signature())).isTrue();
  }

  @Test
  void goMalformedNotesAreRefused() {
    var bad = List.of(GO_TEXT, GO_TEXT + "\n", GO_TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
        "\u0001" + GO_TEXT + "\n" + PETER_SIG,
        GO_TEXT + "\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        GO_TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        GO_TEXT + "\n" + PETER_SIG.repeat(101));
    for (String note : bad) {
      assertThatThrownBy(() -> SignedNote.parse(note)).as(note).isInstanceOf(LogException.BadCheckpoint.class);
    }
  }

  @Test
  void goMangledVerifierKeysAreRefused() {
    // golang/mod sumdb/note TestNewVerifier: wrong key length with a matching hash, unknown algorithm
    assertThatThrownBy(() -> NoteKey.parse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NoteKey.parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] b = PETER_VKEY.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 0; i < b.length; i++) {
      b[i]++;
      String mangled = new String(b, java.nio.charset.StandardCharsets.US_ASCII);
      b[i]--;
      assertThatThrownBy(() -> NoteKey.parse(mangled)).as(mangled).isInstanceOf(IllegalArgumentException.class);
    }
    // transparency-dev/formats TestCoSigV1NewVerifier: bad keys
    for (String vkey : List.of("bananas.sigstore.dev+12344556", "rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!",
        "rekor.sigstore.dev+12345678+AwEB")) {
      assertThatThrownBy(() -> NoteKey.parse(vkey)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void realCtCheckpointVerifiesUnderTheLogKeyAndARealWitnessCosignature() throws Exception {
    var logKey = NoteKey.parse(ARCHE_VKEY);
    var cp = Checkpoint.verify(ARCHE_NOTE, logKey);
    assertThat(cp.origin()).isEqualTo("arche2025h1.staging.ct.transparency.dev");
    assertThat(cp.size()).isEqualTo(1_432_088_532L);
    var remora = NoteKey.parse(REMORA_VKEY);
    assertThat(remora.type()).isEqualTo(NoteKey.COSIGNATURE_V1);
    var note = SignedNote.parse(ARCHE_NOTE);
    var witnessed = Cosignature.verified(note, List.of(remora));
    assertThat(witnessed).hasSize(1);
    assertThat(witnessed.get(0).time()).isEqualTo(0x6a122120L);
    // the same cosignature over a checkpoint with one byte changed does not verify
    var forged = SignedNote.parse(ARCHE_NOTE.replace("\n1432088532\n", "\n1432088533\n"));
    assertThat(Cosignature.verified(forged, List.of(remora))).isEmpty();
    assertThatThrownBy(() -> Checkpoint.verify(forged.format(), logKey)).isInstanceOf(LogException.BadCheckpoint.class);
    // a log key is not a witness key: the log's own line never counts as a cosignature
    assertThat(Cosignature.verified(note, List.of(new NoteKey(logKey.name(), NoteKey.COSIGNATURE_V1, logKey.publicKey()))))
        .isEmpty();
  }

  @Test
  void cosignatureTimestampVectorFromTransparencyDev() throws Exception {
    // transparency-dev/formats note/note_cosigv1_test.go TestCoSigV1Timestamp: 1727964367
    var line = SignedNote.parseLine("\u2014 w ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==");
    assertThat(java.nio.ByteBuffer.wrap(line.signature()).getLong()).isEqualTo(1_727_964_367L);
    assertThat(line.signature()).hasSize(72);
  }

  @Test
  void cosignaturesWeMakeUseTheCosignatureKeyIdAndCoverTimeAndText() throws Exception {
    var witness = NoteSigner.parse(WIT1_SKEY);
    var line = Cosignature.sign(witness, ARCHE_TEXT, 1_700_000_000L);
    var cosigKey = witness.key(NoteKey.COSIGNATURE_V1);
    assertThat(line.keyId()).isEqualTo(cosigKey.keyId()).isNotEqualTo(witness.key(NoteKey.ED25519).keyId());
    assertThat(Cosignature.verify(ARCHE_TEXT, line, cosigKey)).contains(1_700_000_000L);
    // a plain vkey of the witness (as Go prints it) stands for its cosignature key
    var note = SignedNote.parse(ARCHE_TEXT + "\n" + line.format());
    assertThat(Cosignature.verified(note, List.of(NoteKey.parse(WIT1_VKEY)))).hasSize(1);
    assertThat(Cosignature.verify(ARCHE_TEXT.replace("1432088532", "1432088531"), line, cosigKey)).isEmpty();
    byte[] sig = line.signature();
    sig[7]++; // another time, same signature
    assertThat(Cosignature.verify(ARCHE_TEXT, new SignedNote.Line(line.name(), line.keyId(), sig), cosigKey)).isEmpty();
    assertThat(Cosignature.verified(note, List.of(NoteKey.parse(WIT2_VKEY)))).isEmpty();
  }

  @Test
  void checkpointTextIsStrict() {
    String root = "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=";
    for (String text : List.of("o\n01\n" + root + "\n", "o\n1\n" + root, "o\n-1\n" + root + "\n", "o\n1\nAAAA\n",
        "o\n1\n" + root.replace("=", "") + "\n", "o\n1\n" + root + "\n\n", "o\n99999999999999999999\n" + root + "\n")) {
      assertThatThrownBy(() -> Checkpoint.parseText(text)).as(text).isInstanceOf(LogException.BadCheckpoint.class);
    }
    assertThat(assertDoesNotThrow("o\n1\n" + root + "\nextension line\n").size()).isEqualTo(1);
  }

  private static Checkpoint assertDoesNotThrow(String text) {
    try {
      return Checkpoint.parseText(text);
    } catch (LogException e) {
      throw new AssertionError(e);
    }
  }
}
