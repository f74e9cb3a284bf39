package dev.rampart.scan.engine;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Rule;
import dev.rampart.scan.ScanLimits;
import dev.rampart.scan.ScanRules;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.policy.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The artifact an analyser is looking at: where it is, how deep in containers, and where its findings go. Analysers
 * hand nested members back through {@link #scanMember}.
 */
public final class Target {
  private final Session session;
  private final Location location;
  private final int depth;
  private final Optional<Path> fsPath;
  private final boolean unpickledByLoader;

  Target(Session session, Location location, int depth, Optional<Path> fsPath, boolean unpickledByLoader) {
    this.session = session;
    this.location = location;
    this.depth = depth;
    this.fsPath = fsPath;
    this.unpickledByLoader = unpickledByLoader;
  }

  Target(Session session, Location location, int depth, Optional<Path> fsPath) {
    this(session, location, depth, fsPath, PickleNames.unpickledByLoader(
        location.members().isEmpty() ? location.file() : location.members().get(location.members().size() - 1)));
  }

  /**
   * Whether a loader unpickles this artifact whatever its first bytes, by its name or place (see
   * {@link PickleNames}); content that no other analyser claims is then read by the pickle machine, never skipped.
   */
  public boolean unpickledByLoader() {
    return unpickledByLoader;
  }

  public Location location() {
    return location;
  }

  public int depth() {
    return depth;
  }

  /** The file on disk when this target is a top-level file; empty for container members. */
  public Optional<Path> fsPath() {
    return fsPath;
  }

  public ScanLimits limits() {
    return session.limits();
  }

  public Policy policy() {
    return session.policy();
  }

  /** The outer file's SHA-256, computed on first use. */
  public String fileSha256() {
    return session.fileSha256();
  }

  /** The last component of the member chain or file path, for messages and layout hints only. */
  public String name() {
    var members = location.members();
    String last = members.isEmpty() ? location.file() : members.get(members.size() - 1);
    int slash = last.lastIndexOf('/');
    return slash >= 0 ? last.substring(slash + 1) : last;
  }

  /** The member path, or the file path, of this artifact: loaders find some files by name and folder. */
  public String path() {
    var members = location.members();
    return members.isEmpty() ? location.file() : members.get(members.size() - 1);
  }

  public void report(Rule rule, String evidence) {
    session.add(Finding.of(rule, evidence, location));
  }

  public void report(Rule rule, String evidence, long offset) {
    session.add(Finding.of(rule, evidence, offset >= 0 ? location.at(offset) : location));
  }

  public void report(Finding finding) {
    session.add(finding);
  }

  /** Records that this artifact could not be fully analysed; the scan's outcome becomes incomplete. */
  public void incomplete(String why) {
    incomplete(why, Location.NO_OFFSET);
  }

  public void incomplete(String why, long offset) {
    session.add(Finding.of(ScanRules.SCAN_INCOMPLETE, why, offset >= 0 ? location.at(offset) : location));
    session.markIncomplete(location, why);
  }

  public void unsupported(String format) {
    session.add(Finding.of(ScanRules.SCAN_UNSUPPORTED, format + " is not analysed", location));
    session.markIncomplete(location, format + " is not analysed");
  }

  /** Scans a member of this artifact as an artifact of its own, identified by content. */
  public void scanMember(String member, Blob blob) throws IOException {
    session.dispatcher().dispatch(new Target(session, location.member(member), depth + 1, Optional.empty()), blob);
  }

  /**
   * Scans the content of a compression wrapper: whoever opens the wrapper consumes what is inside, so the content
   * inherits this artifact's loader (a {@code model.pkl.gz} holds a pickle whatever its first bytes).
   */
  public void scanContent(String member, Blob blob) throws IOException {
    var inner = location.member(member);
    session.dispatcher().dispatch(
        new Target(session, inner, depth + 1, Optional.empty(), unpickledByLoader || PickleNames.unpickledByLoader(member)),
        blob);
  }

  /** Whether a loader unpickles a file or member of this name, whatever its first bytes. */
  public static boolean unpickledByLoaderName(String name) {
    return PickleNames.unpickledByLoader(name);
  }

  /** Scans a member that its container's loader unpickles (legacy torch tar members, object arrays...). */
  public void scanUnpickledMember(String member, Blob blob) throws IOException {
    session.dispatcher().dispatch(new Target(session, location.member(member), depth + 1, Optional.empty(), true), blob);
  }

  /** Scans a member whose kind the caller already knows, bypassing detection. */
  public void scanMemberAs(String member, Blob blob, Format format) throws IOException {
    session.dispatcher().dispatchAs(new Target(session, location.member(member), depth + 1, Optional.empty()), blob, format);
  }

  /** A view of this target with a different member chain, for analysers that name sub-parts (stream #2...). */
  public Target sub(String member) {
    return new Target(session, location.member(member), depth + 1, Optional.empty());
  }

  /** The secret and configuration checks this scan runs; analysers pass text to them. */
  public ContentChecks contentChecks() {
    return session.dispatcher().contentChecks();
  }

  public void chargeInflated(long bytes) throws IOException {
    session.chargeInflated(bytes);
  }

  public void checkDeadline() throws IOException {
    session.checkDeadline();
  }

  public void notePickle() {
    session.notePickle();
  }

  void record(String format, long size, ArtifactRecord.Status status, String note) {
    session.record(location, format, size, status, note);
  }
}
