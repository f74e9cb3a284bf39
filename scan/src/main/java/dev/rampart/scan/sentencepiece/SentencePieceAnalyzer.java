package dev.rampart.scan.sentencepiece;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.protobuf.ProtoReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * SentencePiece {@code .model} files (protobuf {@code ModelProto}): the pieces and their types, and the normalizer's
 * {@code precompiled_charsmap}, a double-array trie whose declared size the C++ normalizer trusts (out-of-bounds
 * reads on a size past the blob).
 */
public final class SentencePieceAnalyzer implements Analyzer {
  private static final int MAX_PIECE = 1 << 16;
  private static final int MAX_CHARSMAP = 64 * 1024 * 1024;
  private static final int MAX_REPORTED = 20;

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var model = ProtoReader.of(blob);
    long pieces = 0;
    long unknown = 0;
    int reported = 0;
    while (model.next()) {
      if (model.wireType() != ProtoReader.LEN) {
        continue;
      }
      switch (model.field()) {
        case 1 -> {
          pieces++;
          if (pieces % 4096 == 0) {
            target.checkDeadline();
          }
          var piece = model.message();
          long type = 1;
          while (piece.next()) {
            if (piece.field() == 1 && piece.wireType() == ProtoReader.LEN && piece.length() > MAX_PIECE) {
              throw new dev.rampart.scan.io.LimitExceededException("sentencepiece piece length", MAX_PIECE);
            }
            if (piece.field() == 3 && piece.wireType() == ProtoReader.VARINT) {
              type = piece.varint();
            }
          }
          if (type < 1 || type > 6) {
            if (reported++ < MAX_REPORTED) {
              target.report(ScanRules.MODEL_STRUCTURE, "piece " + (pieces - 1) + " has the unknown type " + type);
            }
          }
          unknown += type == 2 ? 1 : 0;
        }
        case 3, 5 -> normalizer(target, model.message(), model.field() == 3 ? "normalizer_spec" : "denormalizer_spec");
        default -> {}
      }
    }
    if (pieces == 0) {
      target.report(ScanRules.MODEL_STRUCTURE, "the model has no pieces");
    } else if (unknown != 1) {
      target.report(ScanRules.MODEL_STRUCTURE, "the model has " + unknown + " unknown-token pieces; SentencePiece needs exactly one");
    }
  }

  private static void normalizer(Target target, ProtoReader spec, String where) throws IOException {
    while (spec.next()) {
      if (spec.field() == 2 && spec.wireType() == ProtoReader.LEN && spec.length() > 0) {
        if (spec.length() > MAX_CHARSMAP) {
          throw new dev.rampart.scan.io.LimitExceededException("sentencepiece precompiled_charsmap", MAX_CHARSMAP);
        }
        byte[] head = spec.blob().readBytes(spec.valueOffset(), (int) Math.min(4, spec.length()));
        if (head.length < 4) {
          target.report(ScanRules.MODEL_STRUCTURE, where + ".precompiled_charsmap of " + spec.length() + " bytes has no trie size");
          continue;
        }
        long trie = Integer.toUnsignedLong(ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt());
        if (trie >= spec.length() - 4 || trie % 4 != 0) {
          target.report(ScanRules.MODEL_STRUCTURE, where + ".precompiled_charsmap declares a trie of " + trie
              + " bytes in a blob of " + (spec.length() - 4));
        }
      }
    }
  }
}
