package dev.rampart.scan;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Report;
import dev.rampart.core.Severity;
import dev.rampart.scan.archive.CompressedStreamAnalyzer;
import dev.rampart.scan.archive.SevenZipAnalyzer;
import dev.rampart.scan.archive.TarAnalyzer;
import dev.rampart.scan.archive.ZipAnalyzer;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Dispatcher;
import dev.rampart.scan.engine.Format;
import dev.rampart.scan.engine.Session;
import dev.rampart.scan.gguf.GgufAnalyzer;
import dev.rampart.scan.hf.JsonAnalyzer;
import dev.rampart.scan.hf.TemplateFileAnalyzer;
import dev.rampart.scan.hf.TextAnalyzer;
import dev.rampart.scan.io.FileBlob;
import dev.rampart.scan.keras.Hdf5Analyzer;
import dev.rampart.scan.numpy.NumpyAnalyzer;
import dev.rampart.scan.onnx.OnnxAnalyzer;
import dev.rampart.scan.pickle.PickleAnalyzer;
import dev.rampart.scan.policy.Policy;
import dev.rampart.scan.safetensors.SafetensorsAnalyzer;
import dev.rampart.scan.tensorflow.KerasMetadataAnalyzer;
import dev.rampart.scan.tensorflow.SavedModelAnalyzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scans model artifacts without loading them. Files and directories (recursively) are identified by content and
 * analysed in parallel; every finding names its rule, ATLAS technique and lifecycle phase.
 *
 * <pre>{@code
 * Report report = Scanner.builder().build().scan(List.of(Path.of("model.pt")));
 * }</pre>
 */
public final class Scanner {
  /** Progress callbacks, for a progress bar; called from worker threads. */
  public interface Progress {
    void started(int files, long bytes);

    void finished(Path file, long bytes);

    Progress NONE =
        new Progress() {
          @Override
          public void started(int files, long bytes) {}

          @Override
          public void finished(Path file, long bytes) {}
        };
  }

  private final ScanLimits limits;
  private final Policy policy;
  private final Progress progress;
  private final int threads;
  private final Clock clock;
  private final Set<Check> checks;
  private final Dispatcher dispatcher;
  private final Dispatcher ignoredDispatcher;
  private final boolean honourIgnoreFiles;

  private Scanner(Builder b) {
    this.limits = b.limits;
    this.policy = b.policy;
    this.progress = b.progress;
    this.threads = b.threads;
    this.clock = b.clock;
    this.checks = Set.copyOf(b.checks);
    this.dispatcher = new Dispatcher(new ContentDetector(), analyzers(), new ContentCheckSet(checks));
    var modelChecks = checks.contains(Check.MODELS) ? Set.of(Check.MODELS) : Set.<Check>of();
    this.ignoredDispatcher = new Dispatcher(new ContentDetector(), analyzers(), new ContentCheckSet(modelChecks));
    this.honourIgnoreFiles = b.honourIgnoreFiles;
  }

  public static Builder builder() {
    return new Builder();
  }

  private static EnumMap<Format, Analyzer> analyzers() {
    var m = new EnumMap<Format, Analyzer>(Format.class);
    m.put(Format.PICKLE, new PickleAnalyzer());
    m.put(Format.ZIP, new ZipAnalyzer());
    m.put(Format.TAR, new TarAnalyzer());
    m.put(Format.SEVEN_Z, new SevenZipAnalyzer());
    for (Format f : List.of(Format.GZIP, Format.BZIP2, Format.XZ, Format.LZMA, Format.ZSTD, Format.LZ4, Format.ZLIB)) {
      m.put(f, new CompressedStreamAnalyzer(f));
    }
    m.put(Format.NUMPY, new NumpyAnalyzer());
    m.put(Format.HDF5, new Hdf5Analyzer());
    m.put(Format.GGUF, new GgufAnalyzer());
    m.put(Format.SAFETENSORS, new SafetensorsAnalyzer());
    m.put(Format.ONNX, new OnnxAnalyzer());
    // raw tensor bytes that onnxruntime maps as numbers; their model checks the references (ExternalDataOwner)
    m.put(Format.ONNX_EXTERNAL_DATA, (target, blob) -> {});
    m.put(Format.ORT, new dev.rampart.scan.onnx.OrtAnalyzer());
    m.put(Format.TFLITE, new dev.rampart.scan.tflite.TfliteAnalyzer());
    m.put(Format.LIGHTGBM, new dev.rampart.scan.gbdt.LightGbmAnalyzer());
    m.put(Format.UBJSON, new dev.rampart.scan.gbdt.UbjsonAnalyzer());
    m.put(Format.FLAX_MSGPACK, new dev.rampart.scan.flax.MsgpackAnalyzer());
    m.put(Format.SENTENCEPIECE, new dev.rampart.scan.sentencepiece.SentencePieceAnalyzer());
    m.put(Format.OCDBT, new dev.rampart.scan.orbax.OcdbtAnalyzer());
    m.put(Format.TF_CHECKPOINT_INDEX, new dev.rampart.scan.tensorflow.CheckpointIndexAnalyzer());
    // raw tensor bytes TensorFlow reads as numbers; checked against the entries of the index beside them
    m.put(Format.TF_CHECKPOINT_DATA, dev.rampart.scan.tensorflow.CheckpointIndexAnalyzer.shard());
    m.put(Format.TF_SAVED_MODEL, new SavedModelAnalyzer());
    m.put(Format.KERAS_METADATA, new KerasMetadataAnalyzer());
    m.put(Format.JSON, new JsonAnalyzer());
    m.put(Format.TEXT, new TextAnalyzer());
    m.put(Format.JINJA, new TemplateFileAnalyzer());
    return m;
  }

  /** Scans files and directories; a root that does not exist is a {@link NoSuchFileException}. */
  public Report scan(List<Path> roots) throws IOException {
    var files = new ArrayList<TreeWalk.Entry>();
    for (Path root : roots) {
      if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new NoSuchFileException(root.toString(), null, "no such file or directory");
      }
      if (Files.isDirectory(root)) {
        files.addAll(TreeWalk.list(root, honourIgnoreFiles));
      } else {
        files.add(new TreeWalk.Entry(root, false)); // a file named on the command line is always fully checked
      }
    }
    // a Hugging Face cache is scanned by the names its loader opens, each blob once
    var planned = HfCache.plan(files);
    long totalBytes = planned.stream().mapToLong(e -> sizeOrZero(e.read())).sum();
    progress.started(planned.size(), totalBytes);

    var findings = new ArrayList<Finding>();
    var records = new ArrayList<ArtifactRecord>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, planned.size())));
    try {
      var futures = new ArrayList<Future<Session>>();
      for (HfCache.Planned entry : planned) {
        futures.add(pool.submit(() -> entry.refused().isPresent() ? refused(entry)
            : scanFile(entry.display(), entry.read(), entry.ignored())));
      }
      for (Future<Session> f : futures) {
        Session s = f.get();
        findings.addAll(s.findings());
        records.addAll(s.records());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("scan interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException("scan failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new Report(
        "scan",
        Version.current(),
        clock.instant(),
        roots.stream().map(Path::toString).toList(),
        findings,
        List.of(),
        records);
  }

  /** A file that is not read (a cache link leaving its cache): incomplete, since a loader would open it. */
  private Session refused(HfCache.Planned entry) {
    var session = Session.open(limits, policy, dispatcher, () -> null);
    session.findings().add(Finding.of(ScanRules.SCAN_INCOMPLETE, entry.refused().orElseThrow(),
        Location.of(entry.display().toString())));
    progress.finished(entry.display(), 0);
    return session;
  }

  /** Scans the bytes at {@code read} under the name {@code file} (the same path unless a cache link was followed). */
  private Session scanFile(Path file, Path read, boolean ignored) {
    var sha = new LazySha256(read);
    var session = Session.open(limits, policy, ignored ? ignoredDispatcher : dispatcher, sha::get);
    var location = Location.of(file.toString());
    try {
      if (Files.isSymbolicLink(read) && !Files.isRegularFile(read)) {
        return session;
      }
      try (var blob = FileBlob.open(read)) {
        session.scan(location, Optional.of(file), blob);
      }
    } catch (IOException | RuntimeException e) {
      // the dispatcher reports analyser failures itself; this catches files that could not even be opened
      session.findings().add(Finding.of(ScanRules.SCAN_INCOMPLETE, "could not read the file: " + e.getMessage(), location));
    }
    if (session.pickleSeen()) {
      session.findings().add(Finding.of(ScanRules.PKL_FORMAT, "loading this file runs the pickle machine", location));
    }
    session.findings().removeIf(f -> !Check.includes(checks, f.rule()) || (ignored && !isModelFinding(f)));
    // model findings are tied to the file's content; a secret keeps its fingerprint when the rest of the file changes
    boolean needsDigest =
        session.findings().stream().anyMatch(f -> f.severity().atLeast(Severity.MEDIUM) && isModelFinding(f));
    if (needsDigest) {
      session.findings().replaceAll(f -> isModelFinding(f) ? f.withFileSha256(sha.get()) : f);
    }
    progress.finished(file, sizeOrZero(file));
    return session;
  }

  private static boolean isModelFinding(Finding f) {
    return Check.includes(Set.of(Check.MODELS), f.rule());
  }

  private static long sizeOrZero(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The SHA-256 of a file, computed once and only when asked for. */
  private static final class LazySha256 {
    private final Path file;
    private String value;

    LazySha256(Path file) {
      this.file = file;
    }

    synchronized String get() {
      if (value == null) {
        try {
          value = dev.rampart.core.Sha256.of(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return value;
    }
  }

  /** Configures a scanner. */
  public static final class Builder {
    private ScanLimits limits = ScanLimits.defaults();
    private Policy policy = Policy.defaults();
    private Progress progress = Progress.NONE;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Clock clock = Clock.systemUTC();
    private Set<Check> checks = Check.all();
    private boolean honourIgnoreFiles = true;

    public Builder limits(ScanLimits limits) {
      this.limits = limits;
      return this;
    }

    public Builder policy(Policy policy) {
      this.policy = policy;
      return this;
    }

    public Builder progress(Progress progress) {
      this.progress = progress;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** The check families to run; all by default. */
    public Builder checks(Set<Check> checks) {
      if (checks.isEmpty()) {
        throw new IllegalArgumentException("select at least one check family");
      }
      this.checks = checks;
      return this;
    }

    /**
     * Whether {@code .gitignore} and {@code .rampartignore} files in scanned directories put files aside from the
     * secret and configuration checks (default true). Model checks read every file whatever the ignore files say.
     */
    public Builder honourIgnoreFiles(boolean honour) {
      this.honourIgnoreFiles = honour;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Scanner build() {
      return new Scanner(this);
    }
  }
}
