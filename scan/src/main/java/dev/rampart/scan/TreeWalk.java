package dev.rampart.scan;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Lists the files under a directory, marking those that the tree's {@code .gitignore} and {@code .rampartignore}
 * files (and git's own {@code .git} folder) put aside. Symbolic links are listed, not followed.
 */
final class TreeWalk {
  /** A file to scan; {@code ignored} files get the model checks only. */
  record Entry(Path path, boolean ignored) {}

  private record Level(Path dir, IgnoreRules rules, boolean ignored) {}

  private TreeWalk() {}

  static List<Entry> list(Path root, boolean honourIgnoreFiles) throws IOException {
    var entries = new ArrayList<Entry>();
    Deque<Level> levels = new ArrayDeque<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            boolean ignored = !dir.equals(root) && ignored(levels, dir, true);
            IgnoreRules rules = honourIgnoreFiles ? IgnoreRules.in(dir) : IgnoreRules.NONE;
            levels.push(new Level(dir, rules, ignored));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            entries.add(new Entry(file, ignored(levels, file, false)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            entries.add(new Entry(file, false)); // the scan reports it as unreadable
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            levels.pop();
            return FileVisitResult.CONTINUE;
          }

          private boolean ignored(Deque<Level> stack, Path path, boolean directory) {
            Level parent = stack.peek();
            if (parent != null && parent.ignored) {
              return true; // git cannot re-include a file inside an excluded directory, nor do we
            }
            if (directory && path.getFileName() != null && path.getFileName().toString().equals(".git")) {
              return true;
            }
            if (!honourIgnoreFiles) {
              return false;
            }
            for (Level level : stack) { // innermost first: a deeper ignore file overrides an outer one
              String relative = level.dir.relativize(path).toString().replace('\\', '/');
              Boolean decision = level.rules.decide(relative, directory);
              if (decision != null) {
                return decision;
              }
            }
            return false;
          }
        });
    entries.sort(Comparator.comparing(Entry::path));
    return entries;
  }
}
