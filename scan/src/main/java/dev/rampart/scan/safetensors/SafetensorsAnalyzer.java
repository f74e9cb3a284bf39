package dev.rampart.scan.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.SafeJson;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.hf.MetadataCheck;
import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * safetensors: a data-only format, so the risks are a header that lies (offsets outside the file, overlaps, gaps,
 * sizes that disagree with dtype and shape) and instructions hidden in {@code __metadata__}.
 */
public final class SafetensorsAnalyzer implements Analyzer {
  private static final Map<String, Integer> DTYPE_BITS =
      Map.ofEntries(
          Map.entry("BOOL", 8), Map.entry("U8", 8), Map.entry("I8", 8), Map.entry("F8_E5M2", 8),
          Map.entry("F8_E4M3", 8), Map.entry("F8_E8M0", 8), Map.entry("I16", 16), Map.entry("U16", 16),
          Map.entry("F16", 16), Map.entry("BF16", 16), Map.entry("I32", 32), Map.entry("U32", 32),
          Map.entry("F32", 32), Map.entry("F64", 64), Map.entry("I64", 64), Map.entry("U64", 64),
          Map.entry("C64", 64), Map.entry("F4", 4), Map.entry("F6_E2M3", 6), Map.entry("F6_E3M2", 6));

  private record Span(String name, long begin, long end) {}

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    long n = ByteBuffer.wrap(blob.readBytes(0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > target.limits().maxHeaderBytes() || 8 + n > blob.size()) {
      target.report(ScanRules.SAFETENSORS_HEADER, "header length " + n + " is outside the file or over the limit", 0);
      target.incomplete("safetensors header length is invalid");
      return;
    }
    JsonNode header;
    try {
      header = SafeJson.parse(blob.readBytes(8, (int) n));
    } catch (IOException e) {
      target.report(ScanRules.SAFETENSORS_HEADER, "header is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), 8);
      target.incomplete("safetensors header could not be parsed");
      return;
    }
    if (!header.isObject()) {
      target.report(ScanRules.SAFETENSORS_HEADER, "header is not a JSON object", 8);
      return;
    }
    long dataSize = blob.size() - 8 - n;
    var problems = new ArrayList<String>();
    var spans = new ArrayList<Span>();
    for (var it = header.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equals("__metadata__")) {
        metadata(target, e.getValue(), problems);
        continue;
      }
      tensor(e.getKey(), e.getValue(), problems, spans);
    }
    spans.sort((a, b) -> Long.compare(a.begin(), b.begin()));
    long expected = 0;
    for (Span s : spans) {
      if (s.begin() != expected) {
        problems.add((s.begin() < expected ? "overlap" : "gap") + " before tensor '" + s.name() + "' at data offset " + s.begin());
      }
      expected = Math.max(expected, s.end());
    }
    if (expected != dataSize) {
      problems.add("tensors cover " + expected + " bytes but the data section holds " + dataSize);
    }
    for (String p : problems.stream().distinct().limit(20).toList()) {
      target.report(ScanRules.SAFETENSORS_HEADER, p, 8);
    }
  }

  private static void tensor(String name, JsonNode t, List<String> problems, List<Span> spans) {
    if (!t.isObject() || !t.path("dtype").isTextual() || !t.path("shape").isArray()
        || !t.path("data_offsets").isArray() || t.path("data_offsets").size() != 2) {
      problems.add("tensor '" + name + "' lacks dtype, shape or data_offsets");
      return;
    }
    Integer bits = DTYPE_BITS.get(t.get("dtype").asText());
    long elements = 1;
    for (JsonNode d : t.get("shape")) {
      if (!d.canConvertToExactIntegral() || d.asLong() < 0) {
        problems.add("tensor '" + name + "' has an invalid dimension " + d);
        return;
      }
      try {
        elements = Math.multiplyExact(elements, d.asLong());
      } catch (ArithmeticException e) {
        problems.add("tensor '" + name + "' shape overflows");
        return;
      }
    }
    long begin = t.get("data_offsets").get(0).asLong(-1);
    long end = t.get("data_offsets").get(1).asLong(-1);
    if (begin < 0 || end < begin) {
      problems.add("tensor '" + name + "' has invalid data_offsets [" + begin + ", " + end + "]");
      return;
    }
    if (bits == null) {
      problems.add("tensor '" + name + "' has unknown dtype " + t.get("dtype").asText());
    } else if ((elements * bits + 7) / 8 != end - begin) {
      problems.add("tensor '" + name + "' holds " + (end - begin) + " bytes but " + t.get("dtype").asText()
          + " " + t.get("shape") + " needs " + (elements * bits + 7) / 8);
    }
    spans.add(new Span(name, begin, end));
  }

  private static void metadata(Target target, JsonNode meta, List<String> problems) {
    if (!meta.isObject()) {
      problems.add("__metadata__ is not an object of strings");
      return;
    }
    for (var it = meta.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().isTextual()) {
        problems.add("__metadata__ value '" + e.getKey() + "' is not a string");
        continue;
      }
      MetadataCheck.check(target, "__metadata__." + e.getKey(), e.getValue().asText());
    }
  }
}
