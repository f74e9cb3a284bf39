package dev.rampart.integrity.hash;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes a model into an OMS manifest. Files and shards are hashed in parallel, each task reading its byte range
 * through memory-mapped windows, so memory stays bounded whatever the model size and the work scales with cores.
 */
public final class ModelHasher {
  /** The OMS default shard size. */
  public static final long DEFAULT_SHARD_SIZE = 1_000_000_000L;

  private static final long WINDOW = 256L * 1024 * 1024;

  /**
   * How to hash.
   *
   * @param shardSize for {@link Manifest.Method#SHARDS}
   * @param threads parallel hashing tasks
   */
  public record Options(
      Manifest.Method method, long shardSize, boolean allowSymlinks, List<String> ignorePaths, int threads) {
    public Options {
      ignorePaths = List.copyOf(ignorePaths);
      if (shardSize <= 0) {
        throw new IllegalArgumentException("shard size must be positive");
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1");
      }
    }

    public static Options files() {
      return new Options(Manifest.Method.FILES, DEFAULT_SHARD_SIZE, false, List.of(),
          Runtime.getRuntime().availableProcessors());
    }

    public Options withMethod(Manifest.Method m, long size) {
      return new Options(m, size, allowSymlinks, ignorePaths, threads);
    }

    public Options withIgnores(List<String> paths) {
      return new Options(method, shardSize, allowSymlinks, paths, threads);
    }

    public Options withSymlinks(boolean allow) {
      return new Options(method, shardSize, allow, ignorePaths, threads);
    }

    public Options withThreads(int n) {
      return new Options(method, shardSize, allowSymlinks, ignorePaths, n);
    }
  }

  private record Task(String name, Path path, long start, long end) {}

  private ModelHasher() {}

  public static Manifest hash(Path model, Options options) throws IOException {
    return hash(model, options, HashType.SHA256);
  }

  /** Hashes with another OMS hash type; used to verify bundles made elsewhere. The root digest stays SHA-256. */
  public static Manifest hash(Path model, Options options, HashType type) throws IOException {
    var files = ModelFiles.list(model, options.ignorePaths(), options.allowSymlinks());
    var tasks = new ArrayList<Task>();
    for (var f : files) {
      if (options.method() == Manifest.Method.FILES) {
        tasks.add(new Task(f.name(), f.path(), 0, f.size()));
      } else {
        for (long s = 0; s < f.size(); s += options.shardSize()) {
          long e = Math.min(f.size(), s + options.shardSize());
          tasks.add(new Task(f.name() + ":" + s + ":" + e, f.path(), s, e));
        }
      }
    }
    // OMS v1.0 names the plain hash for shards too; the reference writes "sha256-sharded-N" (accepted when verifying)
    String algorithm = type.omsName();
    var resources = new ArrayList<Resource>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(options.threads(), tasks.size())));
    try {
      var futures = new ArrayList<Future<String>>();
      for (Task t : tasks) {
        futures.add(pool.submit(() -> digest(t.path(), t.start(), t.end(), type)));
      }
      for (int i = 0; i < tasks.size(); i++) {
        resources.add(new Resource(tasks.get(i).name(), algorithm, futures.get(i).get()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("hashing interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    var shard = options.method() == Manifest.Method.SHARDS ? OptionalLong.of(options.shardSize()) : OptionalLong.empty();
    return new Manifest(options.method(), type, shard, options.allowSymlinks(), options.ignorePaths(), resources)
        .canonical();
  }

  /** The digest of bytes {@code [start, end)} of a file. */
  public static String digest(Path file, long start, long end, HashType type) throws IOException {
    MessageDigest md = type.newDigest();
    try (var ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() < end) {
        throw new IOException(file + " is shorter than expected (" + ch.size() + " < " + end + "); it changed while hashing");
      }
      for (long pos = start; pos < end; pos += WINDOW) {
        long len = Math.min(WINDOW, end - pos);
        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, len);
        md.update(map);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
