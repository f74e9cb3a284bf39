package dev.rampart.server.stream;

import dev.rampart.server.api.Api;
import dev.rampart.server.domain.RampartException;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.registry.Registry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A monitor worker: one member of a Kafka consumer group reading signed telemetry envelopes (partitioned by
 * deployment key) and feeding them to the same monitoring service as the HTTP endpoint, so alerts and automatic
 * rollbacks take the same path and only the deployment's own telemetry token can act. Offsets are never committed to
 * Kafka: the next offset of each partition is stored in the database once its record was handled, and a worker
 * assigned a partition seeks to the stored offset, so a rebalance or a crash resumes after the last handled record
 * (a crash between a record's alerts and its offset re-reads that one record).
 */
public final class TelemetryConsumer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TelemetryConsumer.class.getName());
  private static final Duration RETRY = Duration.ofSeconds(1);

  /** Where to consume from: bootstrap servers, topic and consumer group. */
  public record Settings(String bootstrap, String topic, String group) {
    public Settings {
      if (bootstrap.isBlank() || !topic.matches("[A-Za-z0-9._-]{1,249}") || group.isBlank() || group.length() > 200) {
        throw new IllegalArgumentException("Kafka telemetry needs bootstrap servers, a topic name and a consumer group");
      }
    }
  }

  /**
   * Records handled (offset stored), envelopes watched, envelopes refused (unsigned, forged, revoked, not the
   * deployment's token), envelopes the monitor could not use (nothing deployed, no reference profile).
   */
  public record Stats(long records, long watched, long rejected, long unusable) {}

  private final Settings settings;
  private final Api.Services services;
  private final StreamOffsets offsets;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong watched = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong unusable = new AtomicLong();

  private TelemetryConsumer(Settings settings, Api.Services services, Map<String, Object> extra) {
    this.settings = settings;
    this.services = services;
    this.offsets = new StreamOffsets(services.registry().jdbi(), settings.group());
    var config = new java.util.HashMap<String, Object>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, settings.group(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    config.putAll(extra);
    this.consumer = new KafkaConsumer<>(config);
    this.thread = Thread.ofPlatform().name("rampart-telemetry-" + settings.topic()).daemon().unstarted(this::loop);
  }

  /** Joins the consumer group and starts consuming in a thread of its own. */
  public static TelemetryConsumer start(Settings settings, Api.Services services) {
    return start(settings, services, Map.of());
  }

  /** As {@link #start(Settings, Api.Services)}, with further consumer settings (timeouts, security). */
  public static TelemetryConsumer start(Settings settings, Api.Services services, Map<String, Object> consumerConfig) {
    var c = new TelemetryConsumer(settings, services, consumerConfig);
    c.thread.start();
    return c;
  }

  public Stats stats() {
    return new Stats(records.get(), watched.get(), rejected.get(), unusable.get());
  }

  private void loop() {
    try {
      consumer.subscribe(List.of(settings.topic()), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          // every handled record's offset is already stored
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          for (TopicPartition p : partitions) {
            offsets.next(p).ifPresent(o -> consumer.seek(p, o));
          }
        }
      });
      while (running) {
        pollOnce();
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void pollOnce() {
    var batch = consumer.poll(Duration.ofMillis(250));
    var failed = new java.util.ArrayList<TopicPartition>();
    for (TopicPartition partition : batch.partitions()) {
      if (!failed.isEmpty()) {
        // an earlier partition failed: this one's records are read again too, never skipped
        consumer.seek(partition, batch.records(partition).get(0).offset());
        continue;
      }
      for (ConsumerRecord<byte[], byte[]> record : batch.records(partition)) {
        try {
          if (!handle(record, h -> offsets.store(h, partition, record.offset() + 1))) {
            offsets.store(partition, record.offset() + 1);
          }
          records.incrementAndGet();
        } catch (RuntimeException e) {
          // the database or the monitor is unavailable (or the log refuses writes): nothing is skipped; this record
          // is read again after a pause
          LOG.log(System.Logger.Level.WARNING, "telemetry record " + partition + "@" + record.offset()
              + " could not be handled, retrying: " + e.getMessage());
          consumer.seek(partition, record.offset());
          failed.add(partition);
          break;
        }
      }
    }
    if (!failed.isEmpty()) {
      sleep();
    }
  }

  /**
   * Watches the record's events; returns whether {@code storeOffset} ran in the transaction that checkpointed the
   * deployment's windows (otherwise the caller stores the offset on its own).
   */
  private boolean handle(ConsumerRecord<byte[], byte[]> record, java.util.function.Consumer<org.jdbi.v3.core.Handle> storeOffset) {
    Envelope envelope;
    try {
      envelope = Envelope.parse(record);
      Principal sender = verifiedSender(envelope);
      try {
        services.monitoring().ingest(envelope.project(), envelope.environment(), envelope.model(), envelope.events(),
            sender, storeOffset);
        watched.incrementAndGet();
        return true;
      } catch (RampartException | java.io.UncheckedIOException e) {
        // nothing deployed there, no reference profile, an unreadable body: what the HTTP endpoint refuses; no retry helps
        unusable.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "telemetry for " + Envelope.key(envelope.project(), envelope.environment(),
            envelope.model()) + " not watched: " + e.getMessage());
      }
    } catch (Envelope.RejectedException e) {
      rejected.incrementAndGet();
      LOG.log(System.Logger.Level.WARNING, "telemetry record " + record.topic() + "-" + record.partition() + "@"
          + record.offset() + " refused: " + e.getMessage());
    }
    return false;
  }

  /**
   * The principal of the token the envelope names, if the envelope is signed with that token, the token is live
   * (not revoked, expired or disabled: checked as for a bearer token) and it is the environment's own telemetry
   * token. Anything else is refused: on the stream, unlike over HTTP, nobody else may send telemetry at all.
   */
  private Principal verifiedSender(Envelope e) throws Envelope.RejectedException {
    Principal p;
    try {
      p = services.auth().principalOfToken(e.tokenId());
    } catch (RampartException ex) {
      throw new Envelope.RejectedException("token " + e.tokenId() + ": " + ex.getMessage());
    }
    var jdbi = services.registry().jdbi();
    String hash = jdbi.withHandle(h -> h.createQuery("select token_hash from tokens where id = :i").bind("i", e.tokenId())
        .mapTo(String.class).findOne()).orElseThrow(() -> new Envelope.RejectedException("unknown token"));
    if (!e.signedWith(hash.trim())) {
      throw new Envelope.RejectedException("the signature does not verify under token " + e.tokenId());
    }
    long environment;
    try {
      environment = jdbi.withHandle(h -> Registry.environmentId(h, Registry.projectId(h, e.project()), e.environment()));
    } catch (RampartException ex) {
      throw new Envelope.RejectedException(ex.getMessage());
    }
    if (!p.speaksFor(environment)) {
      throw new Envelope.RejectedException("token " + e.tokenId() + " is not the telemetry token of " + e.project() + "/"
          + e.environment());
    }
    return p;
  }

  private static void sleep() {
    try {
      Thread.sleep(RETRY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
