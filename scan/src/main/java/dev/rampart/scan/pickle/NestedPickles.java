package dev.rampart.scan.pickle;

import dev.rampart.scan.io.ArrayBlob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Finds pickles hidden in string and bytes constants: raw, base64 or hex encoded. */
final class NestedPickles {
  record Candidate(byte[] content, String encoding) {}

  private NestedPickles() {}

  static List<Candidate> candidates(byte[] data) {
    var out = new ArrayList<Candidate>();
    if (PickleSniffer.isPickle(new ArrayBlob(data))) {
      out.add(new Candidate(data, "raw"));
      return out;
    }
    String text = new String(data, StandardCharsets.ISO_8859_1).strip();
    if (text.length() >= 16 && text.matches("[A-Za-z0-9+/=_-]+")) {
      try {
        byte[] decoded = text.contains("-") || text.contains("_")
            ? Base64.getUrlDecoder().decode(text)
            : Base64.getDecoder().decode(text);
        if (PickleSniffer.isPickle(new ArrayBlob(decoded))) {
          out.add(new Candidate(decoded, "base64"));
          return out;
        }
      } catch (IllegalArgumentException notBase64) {
        // fall through to hex
      }
    }
    if (text.length() >= 16 && text.length() % 2 == 0 && text.matches("[0-9a-fA-F]+")) {
      byte[] decoded = HexFormat.of().parseHex(text);
      if (PickleSniffer.isPickle(new ArrayBlob(decoded))) {
        out.add(new Candidate(decoded, "hex"));
      }
    }
    return out;
  }
}
