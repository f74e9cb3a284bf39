package dev.rampart.scan.engine;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.LimitExceededException;
import dev.rampart.scan.pickle.PickleSniffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Routes every artifact, top-level or nested, to its analyser, and turns every failure into an incomplete result:
 * a crash in one analyser must never read as a clean verdict.
 */
public final class Dispatcher {
  private final Detector detector;
  private final Map<Format, Analyzer> analyzers;
  private final ContentChecks contentChecks;

  public Dispatcher(Detector detector, Map<Format, Analyzer> analyzers, ContentChecks contentChecks) {
    this.detector = detector;
    this.analyzers = new EnumMap<>(analyzers);
    this.contentChecks = contentChecks;
  }

  ContentChecks contentChecks() {
    return contentChecks;
  }

  void dispatch(Target target, Blob blob) throws IOException {
    if (target.depth() > target.limits().maxNesting()) {
      target.record("unknown", blob.size(), ArtifactRecord.Status.INCOMPLETE, "nesting too deep");
      target.incomplete("container nesting deeper than " + target.limits().maxNesting());
      return;
    }
    Detection detection;
    try {
      detection = detector.detect(blob);
    } catch (IOException | RuntimeException e) {
      target.record("unknown", blob.size(), ArtifactRecord.Status.INCOMPLETE, "unreadable");
      target.incomplete("could not read the content: " + message(e));
      return;
    }
    if (!detection.format().analysed() && target.depth() == 0 && target.fsPath().isPresent()) {
      detection = detector.sidecar(target.fsPath().get()).orElse(detection);
    }
    var named = LoaderNames.formatOf(target.path());
    if (named.isPresent() && named.get() != detection.format()) {
      // a loader reads this file by its name: analyse it as that, and as what its content is, if that differs
      if (!LoaderNames.coveredBy(named.get(), detection.format())) {
        run(target, blob, detection);
      }
      run(target, blob, Detection.of(named.get()));
    } else {
      run(target, blob, detection);
    }
    alternatives(target, blob, detection.format());
  }

  /** A polyglot is analysed under every interpretation a loader could take, not only the one its start suggests. */
  private void alternatives(Target target, Blob blob, Format primary) throws IOException {
    java.util.List<Alternative> others;
    try {
      others = detector.alternatives(blob, primary);
    } catch (IOException | RuntimeException e) {
      target.incomplete("could not look for other interpretations of the content: " + message(e));
      return;
    }
    for (var alt : others) {
      if (primary.analysed() && !alt.partOfFormat()) {
        target.report(dev.rampart.scan.ScanRules.FORMAT_POLYGLOT,
            "the file is " + primary.label() + " at its start and " + alt.format().label() + " at offset "
                + alt.offset() + " (" + alt.why() + "); both interpretations were analysed");
      }
      var member = target.sub(alt.member());
      Blob view = alt.wholeFile() || alt.offset() == 0 ? blob : blob.slice(alt.offset(), blob.size() - alt.offset());
      run(member, view, Detection.of(alt.format()));
    }
  }

  void dispatchAs(Target target, Blob blob, Format format) throws IOException {
    run(target, blob, Detection.of(format));
  }

  private void run(Target target, Blob blob, Detection detection) throws IOException {
    if (target.unpickledByLoader() && (detection.format() == Format.TEXT || detection.format() == Format.UNKNOWN)) {
      // the loader reads these bytes as a pickle: the pickle machine reads them too, and what it cannot read is
      // incomplete, never "text"
      detection = new Detection(Format.PICKLE, "read as a pickle: a loader unpickles it by its name or place");
    }
    analyse(target, blob, detection);
    if (target.unpickledByLoader() && !detection.format().openedByPickleLoaders() && PickleSniffer.isPickle(blob)) {
      // a polyglot: what else it is, the loader that takes it by its name reads it as a pickle
      var asPickle = target.sub("<as pickle>");
      asPickle.record(Format.PICKLE.label(), blob.size(), ArtifactRecord.Status.SCANNED,
          "read as a pickle too: a loader unpickles it by its name or place");
      analyse(asPickle, blob, Detection.of(Format.PICKLE));
    }
  }

  private void analyse(Target target, Blob blob, Detection detection) throws IOException {
    var format = detection.format();
    boolean read = format.analysed() || format == Format.TEXT && contentChecks.onlyTextChecks();
    var status = read ? ArtifactRecord.Status.SCANNED : ArtifactRecord.Status.SKIPPED;
    String note =
        switch (format) {
          case TEXT -> "text, not a model format";
          case UNKNOWN -> "not a recognised model, data or container format";
          case EMPTY -> "empty";
          default -> detection.detail();
        };
    target.record(format == Format.UNSUPPORTED ? detection.detail() : format.label(), blob.size(), status, note);
    if (format == Format.UNSUPPORTED) {
      target.unsupported(detection.detail());
      return;
    }
    var analyzer = analyzers.get(format);
    if (analyzer == null) {
      return;
    }
    try {
      target.checkDeadline();
      analyzer.analyze(target, blob);
    } catch (Session.TimeoutException e) {
      target.incomplete(e.getMessage());
      throw e;
    } catch (LimitExceededException e) {
      target.incomplete("limit reached: " + e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      target.incomplete("malformed or unreadable " + format.label() + ": " + message(e));
    } catch (RuntimeException | StackOverflowError e) {
      target.incomplete("analysis of " + format.label() + " failed: " + message(e));
    }
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
