package dev.rampart.integrity.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP {@code signed-note}: UTF-8 text ending in a newline, a blank line, then signature lines
 * {@code — <name> <base64(key ID || signature)>}. Parsing is strict (the Go reference's rules): no control characters
 * but newlines, every signature line well formed, at most 100 of them; which signatures matter is the verifier's call.
 */
public record SignedNote(String text, List<Line> signatures) {
  static final String DASH = "\u2014 ";
  static final int MAX_SIGNATURES = 100;
  static final int MAX_BYTES = 1 << 20;

  public SignedNote {
    signatures = List.copyOf(signatures);
  }

  /** One signature line: who, the 4-byte key ID, and the signature bytes after it. */
  public record Line(String name, byte[] keyId, byte[] signature) {
    public Line {
      keyId = keyId.clone();
      signature = signature.clone();
    }

    public String format() {
      byte[] raw = new byte[4 + signature.length];
      System.arraycopy(keyId, 0, raw, 0, 4);
      System.arraycopy(signature, 0, raw, 4, signature.length);
      return DASH + name + " " + Base64.getEncoder().encodeToString(raw) + "\n";
    }

    public boolean isFrom(NoteKey key) {
      return name.equals(key.name()) && Arrays.equals(keyId, key.keyId());
    }

    @Override
    public byte[] keyId() {
      return keyId.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }
  }

  public static SignedNote parse(String note) throws LogException.BadCheckpoint {
    if (note.length() > MAX_BYTES) {
      throw new LogException.BadCheckpoint("a signed note larger than " + MAX_BYTES + " bytes");
    }
    for (int i = 0; i < note.length(); i++) {
      char c = note.charAt(i);
      if ((c < 0x20 && c != '\n') || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(note, i)) {
        throw new LogException.BadCheckpoint("a signed note may not hold control characters");
      }
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) {
      throw new LogException.BadCheckpoint("not a signed note: no blank line before the signatures");
    }
    String text = note.substring(0, split + 1);
    String block = note.substring(split + 2);
    var lines = new ArrayList<Line>();
    for (String line : block.split("\n", -1)) {
      if (line.isEmpty()) {
        continue; // the split leaves one empty string after the final newline
      }
      if (lines.size() >= MAX_SIGNATURES) {
        throw new LogException.BadCheckpoint("more than " + MAX_SIGNATURES + " signature lines");
      }
      lines.add(parseLine(line));
    }
    if (!block.endsWith("\n") || block.contains("\n\n") || lines.isEmpty()) {
      throw new LogException.BadCheckpoint("malformed signature block");
    }
    return new SignedNote(text, lines);
  }

  /** Parses one signature line, without its newline. */
  public static Line parseLine(String line) throws LogException.BadCheckpoint {
    if (!line.startsWith(DASH)) {
      throw new LogException.BadCheckpoint("a signature line starts with an em dash and a space");
    }
    String rest = line.substring(DASH.length());
    int space = rest.indexOf(' ');
    if (space < 0 || rest.indexOf(' ', space + 1) >= 0) {
      throw new LogException.BadCheckpoint("a signature line is a name and one base64 signature");
    }
    String name = rest.substring(0, space);
    if (!NoteKey.validName(name)) {
      throw new LogException.BadCheckpoint("malformed signer name in a signature line");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(rest.substring(space + 1));
    } catch (IllegalArgumentException e) {
      throw new LogException.BadCheckpoint("a signature line's signature is not base64");
    }
    if (raw.length < 5) {
      throw new LogException.BadCheckpoint("a signature line's signature is too short");
    }
    return new Line(name, Arrays.copyOf(raw, 4), Arrays.copyOfRange(raw, 4, raw.length));
  }

  /** The note as text, with its signature lines. */
  public String format() {
    var sb = new StringBuilder(text).append('\n');
    signatures.forEach(s -> sb.append(s.format()));
    return sb.toString();
  }

  public byte[] textBytes() {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
