package dev.rampart.scan.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Decodes JSON bytes as Python's {@code json.loads(bytes)} does, which is how Keras reads {@code config.json} from a
 * {@code .keras} zip: a UTF-32 or UTF-16 byte-order mark, a UTF-8 one, or the zero-byte pattern of the first four
 * bytes picks the encoding ({@code json.detect_encoding}). A config that a detector reading only UTF-8 would take
 * for binary is still the config the loader sees.
 */
public final class PythonJson {
  private static final Charset UTF_32BE = Charset.forName("UTF-32BE");
  private static final Charset UTF_32LE = Charset.forName("UTF-32LE");

  /** An encoding chosen by {@code json.detect_encoding}, and how many bytes of byte-order mark it consumes. */
  public record Encoding(String pythonName, Charset charset, int bom) {
    public boolean isPlainUtf8() {
      return bom == 0 && charset.equals(StandardCharsets.UTF_8);
    }
  }

  private PythonJson() {}

  /** {@code json.detect_encoding}, byte for byte. */
  public static Encoding detect(byte[] b) {
    if (startsWith(b, 0, 0, 0xfe, 0xff)) {
      return new Encoding("utf-32", UTF_32BE, 4);
    }
    if (startsWith(b, 0xff, 0xfe, 0, 0)) {
      return new Encoding("utf-32", UTF_32LE, 4);
    }
    if (startsWith(b, 0xfe, 0xff)) {
      return new Encoding("utf-16", StandardCharsets.UTF_16BE, 2);
    }
    if (startsWith(b, 0xff, 0xfe)) {
      return new Encoding("utf-16", StandardCharsets.UTF_16LE, 2);
    }
    if (startsWith(b, 0xef, 0xbb, 0xbf)) {
      return new Encoding("utf-8-sig", StandardCharsets.UTF_8, 3);
    }
    if (b.length >= 4) {
      if (b[0] == 0) {
        return b[1] != 0
            ? new Encoding("utf-16-be", StandardCharsets.UTF_16BE, 0)
            : new Encoding("utf-32-be", UTF_32BE, 0);
      }
      if (b[1] == 0) {
        return b[2] != 0 || b[3] != 0
            ? new Encoding("utf-16-le", StandardCharsets.UTF_16LE, 0)
            : new Encoding("utf-32-le", UTF_32LE, 0);
      }
    } else if (b.length == 2) {
      if (b[0] == 0) {
        return new Encoding("utf-16-be", StandardCharsets.UTF_16BE, 0);
      }
      if (b[1] == 0) {
        return new Encoding("utf-16-le", StandardCharsets.UTF_16LE, 0);
      }
    }
    return new Encoding("utf-8", StandardCharsets.UTF_8, 0);
  }

  /**
   * The text Python decodes from these bytes; malformed input is an {@link IOException}, as Python raises.
   * (Python decodes with {@code surrogatepass}; a lone surrogate is refused here, which fails closed.)
   */
  public static String decode(byte[] bytes) throws IOException {
    var enc = detect(bytes);
    try {
      return enc.charset()
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, enc.bom(), bytes.length - enc.bom()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException("not valid " + enc.pythonName() + " JSON text: " + e.getMessage(), e);
    }
  }

  /** Parses bytes as {@code json.loads(bytes)} would see them. */
  public static JsonNode parse(byte[] bytes) throws IOException {
    return SafeJson.parse(decode(bytes));
  }

  /**
   * Whether the head of a file is JSON that only a BOM- or encoding-aware reader sees: a UTF-8 BOM, UTF-16 or
   * UTF-32 text whose first character opens an object or array.
   */
  public static boolean isEncodedJson(byte[] head) {
    var enc = detect(head);
    if (enc.isPlainUtf8()) {
      return false;
    }
    int unit = switch (enc.pythonName()) {
      case "utf-32", "utf-32-be", "utf-32-le" -> 4;
      case "utf-16", "utf-16-be", "utf-16-le" -> 2;
      default -> 1;
    };
    int usable = enc.bom() + (head.length - enc.bom()) / unit * unit;
    String text = new String(head, enc.bom(), Math.max(0, usable - enc.bom()), enc.charset()).stripLeading();
    return text.startsWith("{") || text.startsWith("[");
  }

  private static boolean startsWith(byte[] b, int... magic) {
    if (b.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
