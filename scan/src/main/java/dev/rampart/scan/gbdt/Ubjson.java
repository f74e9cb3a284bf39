package dev.rampart.scan.gbdt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.scan.io.LimitExceededException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A bounded UBJSON reader (Draft 12, as XGBoost writes {@code .ubj} models, typed and counted containers included)
 * producing the same tree JSON would. Depth, element count and string size are limited.
 */
final class Ubjson {
  private static final int MAX_DEPTH = 128;
  private static final int MAX_STRING = 64 * 1024 * 1024;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final DataInputStream in;
  private long budget;

  private Ubjson(InputStream in, long maxElements) {
    this.in = new DataInputStream(in);
    this.budget = maxElements;
  }

  static JsonNode parse(InputStream in, long maxElements) throws IOException {
    var u = new Ubjson(in, maxElements);
    JsonNode root = u.value(u.marker(), 0);
    if (u.in.read() != -1) {
      throw new IOException("bytes after the UBJSON value");
    }
    return root;
  }

  private int marker() throws IOException {
    int m;
    do {
      m = in.read();
      if (m < 0) {
        throw new EOFException("UBJSON ends inside a value");
      }
    } while (m == 'N');
    return m;
  }

  private JsonNode value(int m, int depth) throws IOException {
    if (--budget < 0) {
      throw new LimitExceededException("UBJSON elements", 0);
    }
    return switch (m) {
      case 'Z' -> NODES.nullNode();
      case 'T' -> NODES.booleanNode(true);
      case 'F' -> NODES.booleanNode(false);
      case 'i', 'U', 'I', 'l', 'L' -> NODES.numberNode(integer(m));
      case 'd' -> NODES.numberNode(in.readFloat());
      case 'D' -> NODES.numberNode(in.readDouble());
      case 'C' -> NODES.textNode(String.valueOf((char) in.readUnsignedByte()));
      case 'S', 'H' -> NODES.textNode(string());
      case '[' -> array(depth + 1);
      case '{' -> object(depth + 1);
      default -> throw new IOException("UBJSON marker 0x" + Integer.toHexString(m) + " is not valid");
    };
  }

  private long integer(int m) throws IOException {
    return switch (m) {
      case 'i' -> in.readByte();
      case 'U' -> in.readUnsignedByte();
      case 'I' -> in.readShort();
      case 'l' -> in.readInt();
      case 'L' -> in.readLong();
      default -> throw new IOException("UBJSON length marker 0x" + Integer.toHexString(m) + " is not an integer");
    };
  }

  private String string() throws IOException {
    long n = integer(marker());
    if (n < 0 || n > MAX_STRING) {
      throw new IOException("UBJSON string length " + n + " is invalid or exceeds " + MAX_STRING);
    }
    byte[] b = new byte[(int) n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** The optional type and count of an optimized container; type 0 and count -1 when absent. */
  private long[] header() throws IOException {
    in.mark(1);
    int type = 0;
    long count = -1;
    int m = in.read();
    if (m == '$') {
      type = in.read();
      m = in.read();
      if (m != '#') {
        throw new IOException("UBJSON typed container without a count");
      }
    }
    if (m == '#') {
      count = integer(marker());
      if (count < 0 || count > budget) {
        throw new LimitExceededException("UBJSON container count", budget);
      }
    }
    return new long[] {type, count, m};
  }

  private ArrayNode array(int depth) throws IOException {
    check(depth);
    ArrayNode a = NODES.arrayNode();
    long[] h = header();
    if (h[1] >= 0) {
      for (long i = 0; i < h[1]; i++) {
        a.add(value(h[0] != 0 ? (int) h[0] : marker(), depth));
      }
      return a;
    }
    int m = (int) h[2];
    while (true) {
      if (m < 0) {
        throw new EOFException("UBJSON array not closed");
      }
      if (m == 'N') {
        m = in.read();
        continue;
      }
      if (m == ']') {
        return a;
      }
      a.add(value(m, depth));
      m = in.read();
    }
  }

  private ObjectNode object(int depth) throws IOException {
    check(depth);
    ObjectNode o = NODES.objectNode();
    long[] h = header();
    if (h[1] >= 0) {
      for (long i = 0; i < h[1]; i++) {
        String key = keyAfter(marker());
        put(o, key, value(h[0] != 0 ? (int) h[0] : marker(), depth));
      }
      return o;
    }
    int m = (int) h[2];
    while (true) {
      if (m < 0) {
        throw new EOFException("UBJSON object not closed");
      }
      if (m == 'N') {
        m = in.read();
        continue;
      }
      if (m == '}') {
        return o;
      }
      String key = keyAfter(m);
      put(o, key, value(marker(), depth));
      m = in.read();
    }
  }

  private String keyAfter(int lengthMarker) throws IOException {
    long n = integer(lengthMarker);
    if (n < 0 || n > MAX_STRING) {
      throw new IOException("UBJSON key length " + n + " is invalid");
    }
    byte[] b = new byte[(int) n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void put(ObjectNode o, String key, JsonNode v) throws IOException {
    if (o.has(key)) {
      throw new IOException("UBJSON object repeats the key '" + key + "'");
    }
    o.set(key, v);
  }

  private static void check(int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new LimitExceededException("UBJSON nesting depth", MAX_DEPTH);
    }
  }
}
