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
 */
public final class GroupCommit implements AutoCloseable {
  private static final int MAX_BATCH = 512;

  private record Item(Consumer<Handle> write, CompletableFuture<Void> done) {}

  private final Writes writes;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(16_384);
  private final Thread writer;
  private volatile boolean running = true;

  public GroupCommit(Writes writes) {
    this.writes = writes;
    this.writer = Thread.ofPlatform().daemon().name("rampart-group-commit").start(this::loop);
  }

  /** Queues a write and waits for its commit. */
  public void write(Consumer<Handle> write) {
    var item = new Item(write, new CompletableFuture<>());
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
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Item> batch) {
    try {
      writes.append(h -> {
        for (Item i : batch) {
          i.write().accept(h);
        }
        return null;
      });
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
