package dev.rampart.scan;

import dev.rampart.scan.engine.Detection;
import dev.rampart.scan.engine.Format;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.protobuf.ProtoReader;
import dev.rampart.scan.tensorflow.CheckpointIndexAnalyzer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises the model formats that have no single magic number at offset 0 of their own: TFLite and ORT
 * flatbuffers (identifier at offset 4), LightGBM text, UBJSON (XGBoost {@code .ubj}), Flax msgpack, TensorFlow
 * checkpoint indexes (table magic at the end) and SentencePiece protobufs; and the TensorFlow checkpoint data shards
 * that their index names.
 */
final class FormatShapes {
  private static final Pattern SHARD = Pattern.compile("^(.*)\\.data-(\\d{5})-of-(\\d{5})$");

  private FormatShapes() {}

  static Detection detect(Blob blob, byte[] h) throws IOException {
    if (dev.rampart.scan.orbax.OcdbtAnalyzer.is(h)) {
      return Detection.of(Format.OCDBT);
    }
    if (h.length >= 8) {
      String id = new String(h, 4, 4, StandardCharsets.ISO_8859_1);
      if (id.equals("TFL3")) {
        return Detection.of(Format.TFLITE);
      }
      if (id.equals("ORTM")) {
        return Detection.of(Format.ORT);
      }
    }
    String start = new String(h, 0, Math.min(h.length, 32), StandardCharsets.ISO_8859_1);
    if (start.startsWith("tree\nversion=") || start.startsWith("tree\r\nversion=")) {
      return Detection.of(Format.LIGHTGBM);
    }
    if (isUbjsonObject(h)) {
      return Detection.of(Format.UBJSON);
    }
    int first = h.length > 0 ? h[0] & 0xff : -1;
    if ((first >= 0x80 && first <= 0x8f || first == 0xde || first == 0xdf)
        && dev.rampart.scan.flax.MsgpackAnalyzer.isFlaxCheckpoint(blob)) {
      return Detection.of(Format.FLAX_MSGPACK);
    }
    if (CheckpointIndexAnalyzer.isIndex(blob)) {
      return Detection.of(Format.TF_CHECKPOINT_INDEX);
    }
    return null;
  }

  /**
   * A UBJSON object opening: '{' and a key length whose key follows in printable ASCII, or an optimized-container
   * header. Text that merely starts with '{' (a Jinja comment '{#', JSON) does not match.
   */
  static boolean isUbjsonObject(byte[] h) {
    if (h.length < 4 || h[0] != '{') {
      return false;
    }
    if (h[1] == '#') {
      return "iUIlL".indexOf(h[2]) >= 0;
    }
    if (h[1] == '$') {
      return h.length > 3 && "ZTFiUIlLdDCSH[{".indexOf(h[2]) >= 0 && h[3] == '#';
    }
    int width = switch (h[1]) {
      case 'i', 'U' -> 1;
      case 'I' -> 2;
      case 'l' -> 4;
      case 'L' -> 8;
      default -> 0;
    };
    if (width == 0 || h.length < 2 + width) {
      return false;
    }
    long n = 0;
    for (int i = 0; i < width; i++) {
      n = n << 8 | (h[2 + i] & 0xff);
    }
    if (n < 1 || n > 256 || h.length < 2 + width + n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      int c = h[2 + width + i] & 0xff;
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** Protobuf shapes tried after ONNX and SavedModel: SentencePiece's ModelProto. */
  static Detection detectProto(Blob blob) {
    try {
      var r = ProtoReader.of(blob);
      int pieces = 0;
      boolean spec = false;
      while (r.next()) {
        if (r.wireType() != ProtoReader.LEN || r.field() > 5) {
          return null;
        }
        if (r.field() == 1) {
          if (pieces++ < 8) {
            var piece = r.message();
            if (!piece.next() || piece.field() != 1 || piece.wireType() != ProtoReader.LEN) {
              return null;
            }
          }
        } else {
          spec |= r.field() == 2 || r.field() == 3;
        }
      }
      return pieces > 0 && spec ? Detection.of(Format.SENTENCEPIECE) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A TensorFlow checkpoint data shard whose index lies beside it. */
  static Optional<Detection> checkpointShard(Path file) {
    var m = SHARD.matcher(file.getFileName().toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    Path index = file.resolveSibling(m.group(1) + ".index");
    try (var blob = dev.rampart.scan.io.FileBlob.open(index)) {
      if (Files.isRegularFile(index) && CheckpointIndexAnalyzer.isIndex(blob)) {
        return Optional.of(new Detection(Format.TF_CHECKPOINT_DATA, "tensor data of " + index.getFileName()));
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
