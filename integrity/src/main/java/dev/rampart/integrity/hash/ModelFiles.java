package dev.rampart.integrity.hash;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Enumerates a model the OMS way: regular files under the root, relative '/'-separated names, the default and
 * user ignore rules, and a symlink policy.
 */
public final class ModelFiles {
  /** Ignored by default, each only as a top-level component (with its subtree). */
  public static final List<String> DEFAULT_IGNORES = List.of(".git", ".gitignore", ".gitattributes", ".github");

  /**
   * Rampart's default signature file. It is left out of every digest, so that a model folder hashes the same
   * before and after it is signed: the signature, provenance, AI-BOM and registry all name one digest.
   */
  public static final String SIGNATURE_FILE = "model.sig";

  /** A file to hash: its OMS name and where its bytes are (the link target when symlinks are allowed). */
  public record Entry(String name, Path path, long size) {}

  private ModelFiles() {}

  /**
   * Lists the files of a model.
   *
   * @param ignorePaths relative paths to leave out (a directory means its subtree); no globs, no '..'
   * @throws SymlinkException when the model holds a symbolic link and links are not allowed
   */
  public static List<Entry> list(Path model, List<String> ignorePaths, boolean allowSymlinks) throws IOException {
    for (String ignore : ignorePaths) {
      validateIgnore(ignore);
    }
    if (!Files.exists(model, LinkOption.NOFOLLOW_LINKS)) {
      throw new java.nio.file.NoSuchFileException(model.toString());
    }
    if (Files.isSymbolicLink(model) && !allowSymlinks) {
      throw new SymlinkException(model + " is a symbolic link; links are not followed unless allowed");
    }
    if (!Files.isDirectory(model)) {
      return List.of(new Entry(".", model, Files.size(model)));
    }
    Set<String> ignored = new HashSet<>(ignorePaths);
    var out = new ArrayList<Entry>();
    Files.walkFileTree(model, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (dir.equals(model)) {
          return FileVisitResult.CONTINUE;
        }
        String rel = name(model, dir);
        return skip(rel, ignored) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String rel = name(model, file);
        if (skip(rel, ignored)) {
          return FileVisitResult.CONTINUE;
        }
        if (attrs.isSymbolicLink()) {
          if (!allowSymlinks) {
            throw new SymlinkException(rel + " is a symbolic link; pass --allow-symlinks to hash its target");
          }
          Path target = file.toRealPath();
          if (!Files.isRegularFile(target)) {
            throw new SymlinkException(rel + " links to something that is not a regular file");
          }
          out.add(new Entry(rel, target, Files.size(target)));
        } else if (attrs.isRegularFile()) {
          out.add(new Entry(rel, file, attrs.size()));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    out.sort((a, b) -> Manifest.CODE_POINT_ORDER.compare(a.name(), b.name()));
    return out;
  }

  static String name(Path root, Path p) {
    var parts = new ArrayList<String>();
    for (Path part : root.relativize(p)) {
      parts.add(part.toString());
    }
    return String.join("/", parts);
  }

  private static boolean skip(String rel, Set<String> ignored) {
    String top = rel.contains("/") ? rel.substring(0, rel.indexOf('/')) : rel;
    if (DEFAULT_IGNORES.contains(top) || rel.equals(SIGNATURE_FILE)) {
      return true;
    }
    for (String i : ignored) {
      if (rel.equals(i) || rel.startsWith(i + "/")) {
        return true;
      }
    }
    return false;
  }

  static void validateIgnore(String p) {
    if (p.isEmpty() || p.startsWith("/") || p.contains("*") || p.contains("?") || p.contains("[")
        || List.of(p.split("/")).contains("..")) {
      throw new IllegalArgumentException("ignore path '" + p + "' must be a plain relative path, without globs or '..'");
    }
  }

  /** The model holds a symbolic link that the policy does not allow. */
  public static final class SymlinkException extends IOException {
    public SymlinkException(String message) {
      super(message);
    }
  }
}
