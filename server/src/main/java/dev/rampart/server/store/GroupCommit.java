package dev.rampart.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Batches small audited writes (admission records) into shared transactions: one writer commits whatever has queued
 * while the previous commit was in flight. Each caller still waits until its own record is committed, so nothing is
 * acknowledged before it is durable, but a slow fsync is paid once per batch instead of once per call.
 *
 * <p>A batch signs a checkpoint only when a caller needs one (a receipt proves inclusion in a signed checkpoint), when
 * the last signature is {@link #SIGN_EVERY_NANOS} old, or when the writer is idle with entries not yet covered. The
 * other batches cost one database flush, not also the signature and the fsyncs of the signer's remembered head.
 */
public final class GroupCommit implements AutoCloseable {
  private static final int MAX_BATCH = 512;
  /** Under steady load, the published checkpoint trails the newest admission entries by at most about this much. */
  static final long SIGN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Item(Consumer<Handle> write, boolean needsCheckpoint, CompletableFuture<Void> done) {}

  private final Writes writes;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(16_384);
  private final Thread writer;
  private volatile boolean running = true;
  private boolean uncovered;
  private long lastSigned = System.nanoTime();

  public GroupCommit(Writes writes) {
    this.writes = writes;
    this.writer = Thread.ofPlatform().daemon().name("rampart-group-commit").start(this::loop);
  }

  /** Reads the audit entries other servers sharing the database appended since this one last looked. */
  public void refreshAudit() {
    writes.refreshAudit();
  }

  /** Queues a write and waits for its commit; its entries are covered by a signed checkpoint within about a second. */
  public void write(Consumer<Handle> write) {
    write(write, false);
  }

  /** Queues a write and waits for its commit, and with {@code needsCheckpoint} also for a checkpoint that covers it. */
  public void write(Consumer<Handle> write, boolean needsCheckpoint) {
    var item = new Item(write, needsCheckpoint, new CompletableFuture<>());
    try {
      if (!queue.offer(item, 5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the audit writer is overloaded; retry");
      }
      item.done().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the audit commit", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the audit commit timed out", e);
    }
  }

  private void loop() {
    var batch = new ArrayList<Item>();
    while (running) {
      try {
        Item first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (uncovered) {
            commit(batch, true);
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        boolean sign = System.nanoTime() - lastSigned >= SIGN_EVERY_NANOS || batch.stream().anyMatch(Item::needsCheckpoint);
        commit(batch, sign);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Item> batch, boolean sign) {
    Writes.Work<Void> work = h -> {
      for (Item i : batch) {
        i.write().accept(h);
      }
      return null;
    };
    try {
      if (sign) {
        writes.append(work);
        lastSigned = System.nanoTime();
        uncovered = false;
      } else {
        writes.appendUnsigned(work);
        uncovered = true;
      }
      batch.forEach(i -> i.done().complete(null));
    } catch (RuntimeException e) {
      batch.forEach(i -> i.done().completeExceptionally(e));
    }
  }

  @Override
  public void close() {
    running = false;
    writer.interrupt();
  }
}
