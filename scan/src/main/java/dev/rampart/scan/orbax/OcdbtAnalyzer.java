package dev.rampart.scan.orbax;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * OCDBT files of orbax checkpoints (TensorStore's manifest {@code 0x0cdb3a2a} and B+tree/data files
 * {@code 0x0cdb20de}): arrays only, read by TensorStore. The envelope TensorStore checks before it decodes is
 * verified here: the declared length, the format version, the compression format and the trailing CRC-32C. The
 * compressed B+tree entries inside are not walked.
 */
public final class OcdbtAnalyzer implements Analyzer {
  public static final int MANIFEST_MAGIC = 0x0cdb3a2a;
  public static final int NODE_MAGIC = 0x0cdb20de;
  private static final int HEADER = 12;

  /** Whether the blob starts with an OCDBT magic number. */
  public static boolean is(byte[] head) {
    if (head.length < HEADER + 4) {
      return false;
    }
    int magic = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
    return magic == MANIFEST_MAGIC || magic == NODE_MAGIC;
  }

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    byte[] head = blob.readBytes(0, HEADER + 2);
    var b = ByteBuffer.wrap(head);
    int magic = b.order(ByteOrder.BIG_ENDIAN).getInt();
    long length = b.order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (length != blob.size()) {
      target.report(ScanRules.MODEL_STRUCTURE, String.format(
          "OCDBT %s declares %d bytes, the file holds %d", magic == MANIFEST_MAGIC ? "manifest" : "node", length, blob.size()));
      return;
    }
    int version = head[HEADER];
    int compression = head[HEADER + 1];
    if (version < 0 || version > 1 || compression < 0 || compression > 1) {
      target.report(ScanRules.MODEL_STRUCTURE, "OCDBT version " + version + " or compression format " + compression
          + " is not one TensorStore reads");
    }
    var crc = new CRC32C();
    long body = blob.size() - 4;
    try (InputStream in = blob.slice(0, body).openStream()) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        crc.update(buf, 0, n);
      }
    }
    long stored = Integer.toUnsignedLong(ByteBuffer.wrap(blob.readBytes(body, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt());
    if (stored != crc.getValue()) {
      target.report(ScanRules.MODEL_STRUCTURE,
          String.format("OCDBT CRC-32C %08x does not match the content's %08x", stored, crc.getValue()));
    }
  }
}
