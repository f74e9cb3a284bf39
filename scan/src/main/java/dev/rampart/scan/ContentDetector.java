package dev.rampart.scan;

import dev.rampart.scan.archive.ZipListing;
import dev.rampart.scan.engine.Detection;
import dev.rampart.scan.engine.Detector;
import dev.rampart.scan.engine.Format;
import dev.rampart.scan.engine.PythonJson;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.pickle.PickleSniffer;
import dev.rampart.scan.protobuf.ProtoReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Identifies artifacts from their first bytes and structure. Extensions are never consulted. */
final class ContentDetector implements Detector {
  private static final int HEAD = 4096;

  @Override
  public Detection detect(Blob blob) throws IOException {
    if (blob.size() == 0) {
      return Detection.of(Format.EMPTY);
    }
    byte[] h = blob.readBytes(0, HEAD);
    if (startsWith(h, 'P', 'K', 3, 4) || startsWith(h, 'P', 'K', 5, 6) || startsWith(h, 'P', 'K', 7, 8)) {
      return Detection.of(Format.ZIP);
    }
    if (startsWith(h, 0x93, 'N', 'U', 'M', 'P', 'Y')) {
      return Detection.of(Format.NUMPY);
    }
    if (startsWith(h, 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n')) {
      return Detection.of(Format.HDF5);
    }
    if (startsWith(h, 'G', 'G', 'U', 'F')) {
      return Detection.of(Format.GGUF);
    }
    if (startsWith(h, 0x1f, 0x8b)) {
      return Detection.of(Format.GZIP);
    }
    if (startsWith(h, 'B', 'Z', 'h') && h.length > 3 && h[3] >= '1' && h[3] <= '9') {
      return Detection.of(Format.BZIP2);
    }
    if (startsWith(h, 0xfd, '7', 'z', 'X', 'Z', 0)) {
      return Detection.of(Format.XZ);
    }
    if (startsWith(h, 0x28, 0xb5, 0x2f, 0xfd)) {
      return Detection.of(Format.ZSTD);
    }
    if (startsWith(h, '7', 'z', 0xbc, 0xaf, 0x27, 0x1c)) {
      return Detection.of(Format.SEVEN_Z);
    }
    if (startsWith(h, 0x04, 0x22, 0x4d, 0x18)) {
      return Detection.of(Format.LZ4);
    }
    if (h.length > 262 && new String(h, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar") || isV7Tar(h)) {
      return Detection.of(Format.TAR);
    }
    if (PickleSniffer.isPickle(blob)) {
      return Detection.of(Format.PICKLE);
    }
    if (isZlib(h)) {
      return Detection.of(Format.ZLIB);
    }
    if (startsWith(h, 0x5d, 0, 0) && h.length > 13) {
      return Detection.of(Format.LZMA);
    }
    if (isSafetensors(blob, h)) {
      return Detection.of(Format.SAFETENSORS);
    }
    var shaped = FormatShapes.detect(blob, h);
    if (shaped != null) {
      return shaped;
    }
    if (ZipListing.endsWithZip(blob)) {
      return new Detection(Format.ZIP, "zip found from the end of the file, after other content");
    }
    var unsupported = unsupportedModel(h);
    if (unsupported != null) {
      return new Detection(Format.UNSUPPORTED, unsupported);
    }
    if (isJson(h) && isText(h) || PythonJson.isEncodedJson(h)) {
      return Detection.of(Format.JSON);
    }
    var proto = ProtoShapes.classify(blob);
    if (proto != null) {
      return Detection.of(proto);
    }
    var sentencePiece = FormatShapes.detectProto(blob);
    if (sentencePiece != null) {
      return sentencePiece;
    }
    if (isText(h)) {
      return Detection.of(Format.TEXT);
    }
    return Detection.of(Format.UNKNOWN);
  }

  @Override
  public java.util.Optional<Detection> sidecar(java.nio.file.Path file) {
    return dev.rampart.scan.onnx.ExternalDataOwner.of(file)
        .map(model -> new Detection(Format.ONNX_EXTERNAL_DATA, "raw tensor data of " + model.getFileName()))
        .or(() -> FormatShapes.checkpointShard(file));
  }

  @Override
  public java.util.List<dev.rampart.scan.engine.Alternative> alternatives(Blob blob, Format primary) throws IOException {
    return Polyglots.find(blob, primary);
  }

  private static boolean startsWith(byte[] h, int... magic) {
    if (h.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((h[i] & 0xff) != (magic[i] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A tar without the ustar magic (V7), which Python's tarfile, and so torch's legacy loader, opens by the header
   * checksum alone: the checksum field at 148 holds the octal sum of the header's bytes, counting that field as spaces.
   */
  private static boolean isV7Tar(byte[] h) {
    if (h.length < 512 || h[0] == 0) {
      return false;
    }
    String field = new String(h, 148, 8, StandardCharsets.ISO_8859_1).replace('\0', ' ').trim();
    if (field.isEmpty() || !field.matches("[0-7]+")) {
      return false;
    }
    long stored = Long.parseLong(field, 8);
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
    }
    return stored == sum;
  }

  private static boolean isZlib(byte[] h) {
    if (h.length < 2 || (h[0] & 0x0f) != 8 || (h[0] & 0xff) >> 4 > 7) {
      return false;
    }
    return (((h[0] & 0xff) << 8) | (h[1] & 0xff)) % 31 == 0 && (h[1] & 0x20) == 0;
  }

  private static boolean isSafetensors(Blob blob, byte[] h) {
    if (h.length < 10) {
      return false;
    }
    // the declared length is checked by the analyser: a header that lies about it is a finding, not "unknown"
    long n = ByteBuffer.wrap(h, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return n >= 2 && h[8] == '{' && (h[9] == '"' || h[9] == '}' || h[9] == ' ');
  }

  private static String unsupportedModel(byte[] h) {
    if (h.length >= 8 && new String(h, 4, 4, StandardCharsets.ISO_8859_1).equals("TFL3")) {
      return "TensorFlow Lite flatbuffer";
    }
    if (h.length >= 8 && new String(h, 4, 4, StandardCharsets.ISO_8859_1).equals("ORTM")) {
      return "ONNX Runtime ORT flatbuffer";
    }
    if (startsWith(h, 'C', 'B', 'M', '1')) {
      return "CatBoost model";
    }
    if (startsWith(h, 'R', 'D', 'X', '3') || startsWith(h, 'X', '\n', 0, 0)) {
      return "R serialized object (.rds)";
    }
    String start = new String(h, 0, Math.min(h.length, 32), StandardCharsets.ISO_8859_1);
    if (start.startsWith("tree\nversion=")) {
      return "LightGBM text model";
    }
    if (start.startsWith("binf")) {
      return "XGBoost binary model";
    }
    return null;
  }

  /** A JSON object or array; "{{" and "{%" start Jinja templates, not JSON. */
  private static boolean isJson(byte[] h) {
    int i = 0;
    while (i < h.length && (h[i] == ' ' || h[i] == '\n' || h[i] == '\r' || h[i] == '\t')) {
      i++;
    }
    if (i >= h.length || h[i] != '{' && h[i] != '[') {
      return false;
    }
    int j = i + 1;
    while (j < h.length && (h[j] == ' ' || h[j] == '\n' || h[j] == '\r' || h[j] == '\t')) {
      j++;
    }
    if (j >= h.length) {
      return true;
    }
    return h[i] == '{' ? h[j] == '"' || h[j] == '}' : h[j] != '%' && h[j] != '#';
  }

  private static boolean isText(byte[] h) {
    int printable = 0;
    for (byte b : h) {
      int c = b & 0xff;
      if (c == 0) {
        return false;
      }
      if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') {
        printable++;
      }
    }
    return printable >= h.length * 0.95;
  }

  /** Structural tests that tell ONNX, SavedModel and Keras metadata protobufs apart. */
  static final class ProtoShapes {
    private ProtoShapes() {}

    static Format classify(Blob blob) {
      try {
        if (onnx(blob)) {
          return Format.ONNX;
        }
        if (savedModel(blob)) {
          return Format.TF_SAVED_MODEL;
        }
        if (kerasMetadata(blob)) {
          return Format.KERAS_METADATA;
        }
      } catch (IOException notProtobuf) {
        return null;
      }
      return null;
    }

    private static boolean onnx(Blob blob) throws IOException {
      var r = ProtoReader.of(blob);
      boolean graph = false;
      boolean irVersion = false;
      while (r.next()) {
        int f = r.field();
        int w = r.wireType();
        boolean ok =
            switch (f) {
              case 1, 5 -> w == ProtoReader.VARINT;
              case 2, 3, 4, 6, 7, 8, 14, 20, 25 -> w == ProtoReader.LEN;
              default -> false;
            };
        if (!ok) {
          return false;
        }
        graph |= f == 7;
        irVersion |= f == 1;
      }
      return graph && irVersion;
    }

    private static boolean savedModel(Blob blob) throws IOException {
      var r = ProtoReader.of(blob);
      boolean meta = false;
      while (r.next()) {
        if (r.field() == 1 && r.wireType() == ProtoReader.VARINT) {
          continue;
        }
        if (r.field() != 2 || r.wireType() != ProtoReader.LEN) {
          return false;
        }
        var m = r.message();
        boolean graphDef = false;
        while (m.next()) {
          if (m.field() > 9) {
            return false;
          }
          graphDef |= m.field() == 2 && m.wireType() == ProtoReader.LEN;
        }
        meta |= graphDef;
      }
      return meta;
    }

    private static boolean kerasMetadata(Blob blob) throws IOException {
      var r = ProtoReader.of(blob);
      boolean json = false;
      while (r.next()) {
        if (r.field() != 1 || r.wireType() != ProtoReader.LEN) {
          return false;
        }
        var node = r.message();
        while (node.next()) {
          if (node.field() == 5 && node.wireType() == ProtoReader.LEN && node.length() > 0) {
            json |= node.string(1 << 24).startsWith("{");
          }
        }
      }
      return json;
    }
  }
}
