package dev.rampart.integrity.dsse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A DSSE envelope: the payload as carried (never re-serialized), its type, and its signatures over the
 * pre-authentication encoding.
 */
public record Envelope(String payloadType, byte[] payload, List<Sig> signatures) {
  public static final String IN_TOTO = "application/vnd.in-toto+json";

  /** One signature; {@code keyid} is absent, empty or a hint. */
  public record Sig(byte[] sig, Optional<String> keyid) {
    public Sig {
      Objects.requireNonNull(sig, "sig");
      Objects.requireNonNull(keyid, "keyid");
      sig = sig.clone();
    }
  }

  public Envelope {
    Objects.requireNonNull(payloadType, "payloadType");
    payload = payload.clone();
    signatures = List.copyOf(signatures);
  }

  /** {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}: what is actually signed. */
  public static byte[] pae(String type, byte[] body) {
    var out = new ByteArrayOutputStream();
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(("DSSEv1 " + t.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(t);
    out.writeBytes((" " + body.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  /**
   * The pre-authentication string of model-signing 0.2 bundles, kept for verifying them: capital V, the payload in
   * Python bytes notation with every line feed written as backslash-n.
   */
  public static byte[] legacyPae(String type, byte[] body) {
    String escaped = new String(body, StandardCharsets.UTF_8).replace("\n", "\\n");
    return ("DSSEV1 " + type.length() + " " + type + " " + body.length + " b'" + escaped + "'").getBytes(StandardCharsets.UTF_8);
  }

  public byte[] pae() {
    return pae(payloadType, payload);
  }
}
