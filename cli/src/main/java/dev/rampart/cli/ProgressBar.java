package dev.rampart.cli;

import dev.rampart.scan.Scanner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A one-line progress bar on stderr, redrawn at most ten times a second. */
final class ProgressBar implements Scanner.Progress {
  private final PrintStream err;
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicLong bytesDone = new AtomicLong();
  private volatile int files;
  private volatile long bytes;
  private volatile long lastDraw;

  ProgressBar(PrintStream err) {
    this.err = err;
  }

  @Override
  public void started(int files, long bytes) {
    this.files = files;
    this.bytes = bytes;
  }

  @Override
  public void finished(Path file, long size) {
    int n = done.incrementAndGet();
    long b = bytesDone.addAndGet(size);
    long now = System.nanoTime();
    if (n < files && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    synchronized (this) {
      double frac = bytes == 0 ? (double) n / Math.max(1, files) : (double) b / bytes;
      int width = 30;
      int filled = (int) Math.round(frac * width);
      String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
      if (name.length() > 30) {
        name = name.substring(0, 27) + "...";
      }
      err.printf("\r[%s%s] %3d%% %d/%d files  %-30s", "#".repeat(filled), " ".repeat(width - filled),
          Math.round(frac * 100), n, files, name);
      if (n >= files) {
        err.print("\r" + " ".repeat(100) + "\r");
      }
      err.flush();
    }
  }
}
