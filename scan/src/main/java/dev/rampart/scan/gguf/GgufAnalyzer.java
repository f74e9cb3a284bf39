package dev.rampart.scan.gguf;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.hf.MetadataCheck;
import dev.rampart.scan.hf.TemplateFindings;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.SequentialReader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GGUF (llama.cpp): every count, length and offset is checked against the bytes that remain, tensor data against
 * its type's block size, and chat templates are analysed as Jinja.
 */
public final class GgufAnalyzer implements Analyzer {
  private static final int MAX_KEY = 65_536;
  private static final int MAX_STRING = 64 * 1024 * 1024;
  private static final int MAX_DIMS = 4;

  private record TensorInfo(String name, long elements, long[] dims, int type, long offset) {}

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var in = new SequentialReader(blob, 4);
    long version = in.u32();
    if (version < 1 || version > 3) {
      target.report(ScanRules.GGUF_BOUNDS, "unsupported GGUF version " + version, 4);
      target.incomplete("GGUF version " + version + " is not supported");
      return;
    }
    boolean wide = version >= 2;
    long tensorCount = wide ? in.u64() : in.u32();
    long kvCount = wide ? in.u64() : in.u32();
    if (tensorCount < 0 || kvCount < 0 || kvCount > in.remaining() / 12 || tensorCount > in.remaining() / 24) {
      target.report(ScanRules.GGUF_BOUNDS, "header declares " + kvCount + " metadata entries and " + tensorCount
          + " tensors, more than the file can hold", 8);
      target.incomplete("GGUF counts exceed the file size");
      return;
    }
    long alignment = 32;
    try {
      for (long i = 0; i < kvCount; i++) {
        target.checkDeadline();
        long at = in.position();
        String key = string(in, wide, MAX_KEY);
        int type = (int) in.u32();
        if (type == 8) {
          String value = string(in, wide, MAX_STRING);
          if (key.equals("tokenizer.chat_template") || key.startsWith("tokenizer.chat_template.")) {
            TemplateFindings.report(target, key, value);
          } else if (!key.startsWith("tokenizer.ggml.")) {
            MetadataCheck.check(target, key, value);
          }
        } else if (key.equals("general.alignment") && type == 4) {
          alignment = in.u32();
        } else {
          skipValue(in, type, wide, 0, at);
        }
      }
      if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        target.report(ScanRules.GGUF_BOUNDS, "general.alignment " + alignment + " is not a power of two");
        return;
      }
      var tensors = new ArrayList<TensorInfo>();
      for (long i = 0; i < tensorCount; i++) {
        String name = string(in, wide, MAX_KEY);
        long nDims = in.u32();
        if (nDims > MAX_DIMS) {
          target.report(ScanRules.GGUF_BOUNDS, "tensor '" + name + "' declares " + nDims + " dimensions", in.position());
          return;
        }
        long[] dims = new long[(int) nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
          dims[d] = wide ? in.u64() : in.u32();
          if (dims[d] < 0) {
            target.report(ScanRules.GGUF_BOUNDS, "tensor '" + name + "' has a negative dimension", in.position());
            return;
          }
          try {
            elements = Math.multiplyExact(elements, dims[d]);
          } catch (ArithmeticException e) {
            target.report(ScanRules.GGUF_BOUNDS, "tensor '" + name + "' element count overflows", in.position());
            return;
          }
        }
        int type = (int) in.u32();
        long offset = in.u64();
        tensors.add(new TensorInfo(name, elements, dims, type, offset));
      }
      long dataStart = (in.position() + alignment - 1) / alignment * alignment;
      checkTensors(target, tensors, dataStart, blob.size(), alignment);
    } catch (EOFException e) {
      target.report(ScanRules.GGUF_BOUNDS, "a count or length runs past the end of the file: " + e.getMessage());
      target.incomplete("GGUF metadata is truncated or lies about its lengths");
    }
  }

  private static void checkTensors(Target target, List<TensorInfo> tensors, long dataStart, long fileSize, long alignment) {
    var problems = new ArrayList<String>();
    var sorted = new ArrayList<>(tensors);
    sorted.sort(Comparator.comparingLong(TensorInfo::offset));
    long previousEnd = 0;
    String previous = null;
    for (TensorInfo t : sorted) {
      long size = GgmlTypes.byteSize(t.type(), t.elements(), t.dims().length > 0 ? t.dims()[0] : 1);
      if (t.offset() < 0 || t.offset() % alignment != 0) {
        problems.add("tensor '" + t.name() + "' offset " + t.offset() + " is not aligned to " + alignment);
      }
      if (size == GgmlTypes.UNKNOWN) {
        problems.add("tensor '" + t.name() + "' has unknown type " + t.type() + "; its size cannot be checked");
        continue;
      }
      if (size == GgmlTypes.INVALID) {
        problems.add("tensor '" + t.name() + "' row of " + (t.dims().length > 0 ? t.dims()[0] : 1)
            + " elements is not a multiple of the block size of type " + t.type());
        continue;
      }
      if (t.offset() > fileSize - dataStart || size > fileSize - dataStart - t.offset()) {
        problems.add("tensor '" + t.name() + "' data [" + t.offset() + ", +" + size + ") lies outside the file");
      }
      if (previous != null && t.offset() < previousEnd) {
        problems.add("tensor '" + t.name() + "' overlaps tensor '" + previous + "'");
      }
      previousEnd = Math.max(previousEnd, t.offset() + size);
      previous = t.name();
    }
    for (String p : problems.stream().limit(20).toList()) {
      target.report(ScanRules.GGUF_BOUNDS, p);
    }
  }

  private static String string(SequentialReader in, boolean wide, int max) throws IOException {
    long len = wide ? in.u64() : in.u32();
    if (len < 0 || len > in.remaining()) {
      throw new EOFException("string length " + len + " at byte " + (in.position() - 8) + " exceeds the file");
    }
    if (len > max) {
      throw new EOFException("string length " + len + " exceeds the limit of " + max);
    }
    return new String(in.bytes((int) len), StandardCharsets.UTF_8);
  }

  private static void skipValue(SequentialReader in, int type, boolean wide, int depth, long at) throws IOException {
    switch (type) {
      case 0, 1, 7 -> in.skip(1);
      case 2, 3 -> in.skip(2);
      case 4, 5, 6 -> in.skip(4);
      case 10, 11, 12 -> in.skip(8);
      case 8 -> {
        long len = wide ? in.u64() : in.u32();
        in.skip(len);
      }
      case 9 -> {
        if (depth > 4) {
          throw new EOFException("arrays nested more than 4 deep at byte " + at);
        }
        int elementType = (int) in.u32();
        long count = wide ? in.u64() : in.u32();
        long min = GgmlTypes.minValueSize(elementType);
        if (count < 0 || min <= 0 || count > in.remaining() / min) {
          throw new EOFException("array of " + count + " elements of type " + elementType + " at byte " + at
              + " exceeds the file");
        }
        int fixed = GgmlTypes.fixedValueSize(elementType);
        if (fixed > 0) {
          in.skip(count * fixed);
        } else {
          for (long i = 0; i < count; i++) {
            skipValue(in, elementType, wide, depth + 1, at);
          }
        }
      }
      default -> throw new EOFException("unknown metadata value type " + type + " at byte " + at);
    }
  }
}
