package dev.rampart.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Hugging Face hub cache ({@code models--org--name/} with {@code blobs/}, {@code refs/} and
 * {@code snapshots/REV/} whose files are symbolic links into {@code blobs/}): what a loader opens is the snapshot
 * path, so each file is scanned once under that name, from the blob it links to. A snapshot link is followed only
 * when it lands on a regular file in the same cache's {@code blobs/}; any other link (out of the cache, to a
 * directory, dangling) is refused and reported, never read. A blob that a snapshot names is not scanned again under
 * its hash name; a blob no snapshot names is scanned as itself.
 */
final class HfCache {
  private static final Pattern REPO_DIR = Pattern.compile("(models|datasets|spaces)--.+");

  /** A file to scan: the name a loader opens, where its bytes are read, or why it is refused. */
  record Planned(Path display, Path read, boolean ignored, Optional<String> refused) {
    static Planned plain(TreeWalk.Entry e) {
      return new Planned(e.path(), e.path(), e.ignored(), Optional.empty());
    }
  }

  private HfCache() {}

  /** Rewrites a scan's file list for the caches in it; files outside any cache are unchanged. */
  static List<Planned> plan(List<TreeWalk.Entry> entries) {
    var caches = new HashMap<Path, Optional<Path>>();
    var out = new ArrayList<Planned>();
    var covered = new HashSet<Path>();
    var blobs = new ArrayList<Map.Entry<Integer, Planned>>();
    for (TreeWalk.Entry e : entries) {
      Optional<Path> cache = cacheOf(e.path(), caches);
      if (cache.isEmpty()) {
        out.add(Planned.plain(e));
        continue;
      }
      Path root = cache.get();
      Path rel = root.relativize(e.path());
      String top = rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
      if (top.equals("snapshots") && Files.isSymbolicLink(e.path())) {
        out.add(follow(e, root, covered));
      } else if (top.equals("blobs") && Files.isSymbolicLink(e.path())) {
        out.add(refuse(e, "the Hugging Face cache blob " + e.path().getFileName() + " is itself a link; it is not followed"));
      } else if (top.equals("blobs")) {
        out.add(null); // decided once every snapshot link is known
        blobs.add(Map.entry(out.size() - 1, Planned.plain(e)));
      } else {
        out.add(Planned.plain(e));
      }
    }
    for (var b : blobs) {
      Path real = realOrSelf(b.getValue().read());
      out.set(b.getKey(), covered.contains(real) ? null : b.getValue());
    }
    out.removeIf(p -> p == null || p.refused().isEmpty() && p.read() == null);
    return out;
  }

  /** Follows a snapshot link into the cache's blobs, once per blob; anything else is refused. */
  private static Planned follow(TreeWalk.Entry e, Path root, Set<Path> covered) {
    Path target;
    Path blobs;
    try {
      target = e.path().toRealPath();
      blobs = root.resolve("blobs").toRealPath();
    } catch (IOException x) {
      return refuse(e, "the Hugging Face cache link " + e.path().getFileName() + " is dangling; the file it names was not"
          + " scanned");
    }
    if (!target.startsWith(blobs) || target.equals(blobs)) {
      return refuse(e, "the Hugging Face cache link " + e.path().getFileName() + " leaves the cache's blobs (it points to "
          + target + "); links out of the cache are not followed, so the file a loader would open was not scanned");
    }
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return refuse(e, "the Hugging Face cache link " + e.path().getFileName() + " does not point to a regular blob");
    }
    if (!covered.add(target)) {
      return new Planned(e.path(), null, e.ignored(), Optional.empty()); // the same blob under another revision
    }
    return new Planned(e.path(), target, e.ignored(), Optional.empty());
  }

  private static Planned refuse(TreeWalk.Entry e, String why) {
    return new Planned(e.path(), e.path(), e.ignored(), Optional.of(why));
  }

  private static Path realOrSelf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  /** The cache folder holding {@code file}: the nearest ancestor named like a hub repository with blobs and snapshots. */
  private static Optional<Path> cacheOf(Path file, Map<Path, Optional<Path>> known) {
    for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
      Optional<Path> hit = known.computeIfAbsent(dir, HfCache::isCache);
      if (hit.isPresent()) {
        return hit;
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> isCache(Path dir) {
    Path name = dir.getFileName();
    if (name == null || !REPO_DIR.matcher(name.toString()).matches()) {
      return Optional.empty();
    }
    boolean layout = Files.isDirectory(dir.resolve("blobs"), LinkOption.NOFOLLOW_LINKS)
        && Files.isDirectory(dir.resolve("snapshots"), LinkOption.NOFOLLOW_LINKS);
    return layout ? Optional.of(dir) : Optional.empty();
  }
}
