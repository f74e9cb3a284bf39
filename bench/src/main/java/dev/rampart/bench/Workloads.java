package dev.rampart.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes realistic benchmark inputs: a PyTorch zip checkpoint and a folder of small model files. */
final class Workloads {
  private static final int TENSOR_BYTES = 64 * 1024 * 1024;

  private Workloads() {}

  /** A PyTorch-layout zip: a state-dict pickle referencing stored storage members of random float bytes. */
  static void torchCheckpoint(Path target, long bytes) throws IOException {
    int tensors = (int) Math.max(1, bytes / TENSOR_BYTES);
    var random = new Random(42);
    byte[] data = new byte[TENSOR_BYTES];
    random.nextBytes(data);
    var crc = new CRC32();
    crc.update(data);
    try (var zip = new ZipOutputStream(Files.newOutputStream(target))) {
      zip.setMethod(ZipOutputStream.STORED);
      stored(zip, "checkpoint/data.pkl", stateDictPickle(tensors, TENSOR_BYTES / 4));
      stored(zip, "checkpoint/version", "3\n".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < tensors; i++) {
        var e = new ZipEntry("checkpoint/data/" + i);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
      }
    }
  }

  private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
    var crc = new CRC32();
    crc.update(content);
    var e = new ZipEntry(name);
    e.setSize(content.length);
    e.setCompressedSize(content.length);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(content);
    zip.closeEntry();
  }

  /** Protocol 2, as torch.save writes it: an OrderedDict of _rebuild_tensor_v2 calls on persistent storages. */
  static byte[] stateDictPickle(int tensors, long elements) {
    var p = new ByteArrayOutputStream();
    p.writeBytes(new byte[] {(byte) 0x80, 2});
    global(p, "collections", "OrderedDict");
    p.writeBytes(new byte[] {')', 'R'});
    p.write('(');
    for (int i = 0; i < tensors; i++) {
      unicode(p, "layers." + i + ".weight");
      global(p, "torch._utils", "_rebuild_tensor_v2");
      p.write('(');
      p.write('(');
      unicode(p, "storage");
      global(p, "torch", "FloatStorage");
      unicode(p, Integer.toString(i));
      unicode(p, "cpu");
      p.write('J');
      p.writeBytes(le((int) elements));
      p.write('t');
      p.write('Q');
      p.writeBytes(new byte[] {'K', 0});
      p.write('J');
      p.writeBytes(le((int) elements));
      p.write((byte) 0x85);
      p.writeBytes(new byte[] {'K', 1, (byte) 0x85, (byte) 0x89});
      global(p, "collections", "OrderedDict");
      p.writeBytes(new byte[] {')', 'R', 't', 'R'});
    }
    p.writeBytes(new byte[] {'u', '.'});
    return p.toByteArray();
  }

  static void smallFiles(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    var random = new Random(7);
    for (int i = 0; i < count; i++) {
      Path f = dir.resolve(String.format("m%05d", i));
      switch (i % 4) {
        case 0 -> Files.write(f, stateDictPickle(4, 16));
        case 1 -> Files.writeString(f, "{\"model_type\":\"llama\",\"hidden_size\":" + i + ",\"architectures\":[\"LlamaForCausalLM\"]}");
        case 2 -> {
          byte[] body = new byte[4096];
          random.nextBytes(body);
          String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1024],\"data_offsets\":[0,4096]}}";
          var out = new ByteArrayOutputStream();
          out.writeBytes(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length()).array());
          out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
          out.writeBytes(body);
          Files.write(f, out.toByteArray());
        }
        default -> {
          String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (256,), }";
          header = header + " ".repeat(63 - header.length() % 64) + "\n";
          var out = new ByteArrayOutputStream();
          out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
          out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
          out.writeBytes(new byte[1024]);
          Files.write(f, out.toByteArray());
        }
      }
    }
  }

  private static void global(ByteArrayOutputStream p, String module, String name) {
    p.write('c');
    p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  private static void unicode(ByteArrayOutputStream p, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    p.write('X');
    p.writeBytes(le(b.length));
    p.writeBytes(b);
  }

  private static byte[] le(int v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
  }
}
