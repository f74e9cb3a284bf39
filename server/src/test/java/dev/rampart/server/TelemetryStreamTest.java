package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.server.stream.Envelope;
import dev.rampart.server.stream.TelemetryConsumer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Telemetry through a real Kafka cluster (KRaft, run in-process by the test): monitor workers in one consumer group
 * watch signed envelopes, refuse unsigned, forged and foreign ones, store their offsets in the database, and roll the
 * deployment back through the same path as the HTTP endpoint. A worker that stops is replaced by another that resumes
 * after the last handled record.
 */
class TelemetryStreamTest extends ServerFixture {
  private static final String TOPIC = "rampart-telemetry";
  private static KafkaClusterTestKit kafka;
  private static Path kafkaDir;

  @BeforeAll
  static void startKafka() throws Exception {
    // window state is written only with the stored offsets, never because an interval of events passed
    System.setProperty("rampart.monitor.checkpoint-events", "1000000");
    kafkaDir = Files.createTempDirectory("rampart-kafka-");
    kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
        .setNumControllerNodes(1).setBaseDirectory(kafkaDir).build())
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
    try (var admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stopKafka() throws Exception {
    System.clearProperty("rampart.monitor.checkpoint-events");
    if (kafka != null) {
      kafka.close();
    }
  }

  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0).withH2();
  }

  private KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  private TelemetryConsumer worker() {
    return TelemetryConsumer.start(new TelemetryConsumer.Settings(kafka.bootstrapServers(), TOPIC, "monitors"),
        server.api().services(), Map.of("session.timeout.ms", 10_000, "heartbeat.interval.ms", 1_000));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void signedEnvelopesAreWatchedOthersRefusedAndAReplacementWorkerResumes() throws Exception {
    registerLineage();
    for (String name : new String[] {"t1", "t2"}) {
      var v = upload(alice, "monitored", benignModel(name, "{\"labels\":2,\"n\":\"" + name + "\"}"), true, true);
      var p = promote(alice, "monitored", v.get("version").asInt(), "staging");
      var ok = http.post("/api/v1/projects/iris/promotions/" + p.get("id").asLong() + "/approve", bob, "{}");
      assertThat(ok.json().get("status").asText()).as(ok.body()).isEqualTo("deployed");
    }
    var random = new Random(5);
    var normal = new StringBuilder();
    var stuck = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      normal.append(ServerSuite.event(random, false));
      stuck.append(ServerSuite.event(random, true));
    }
    var profile = ServerSuite.referenceProfile(random);
    assertThat(http.put("/api/v1/projects/iris/models/monitored/versions/2/monitor-profile", alice,
        new String(profile.toJson(), StandardCharsets.UTF_8)).status()).isEqualTo(200);
    assertThat(http.put("/api/v1/projects/iris/environments/staging/rollback-policy", admin,
        Map.of("onAlerts", List.of("pipeline-fault"))).status()).isEqualTo(200);
    var bound = http.post("/api/v1/tokens", admin, Map.of("principal", "deploy-bot", "scopes", "telemetry", "ttlDays", 7,
        "project", "iris", "environment", "staging")).json();
    String sensor = bound.get("token").asText();
    long sensorId = bound.get("id").asLong();
    var other = http.post("/api/v1/tokens", admin, Map.of("principal", "deploy-bot", "scopes", "telemetry", "ttlDays", 7))
        .json();
    byte[] stuckBytes = stuck.toString().getBytes(StandardCharsets.UTF_8);

    try (var producer = producer()) {
      // a forged signature, a live token of the same service not bound to staging, and no signature at all
      producer.send(Envelope.signed(TOPIC, "iris", "staging", null, sensorId, sensor + "x", stuckBytes)).get();
      producer.send(Envelope.signed(TOPIC, "iris", "staging", null, other.get("id").asLong(), other.get("token").asText(),
          stuckBytes)).get();
      producer.send(new ProducerRecord<>(TOPIC, "iris/staging".getBytes(StandardCharsets.UTF_8), stuckBytes)).get();
      producer.send(Envelope.signed(TOPIC, "iris", "staging", null, sensorId, sensor,
          normal.toString().getBytes(StandardCharsets.UTF_8))).get();

      try (var first = worker()) {
        await("four records read", () -> first.stats().records() == 4);
        assertThat(first.stats().rejected()).isEqualTo(3);
        assertThat(first.stats().watched()).isEqualTo(1);
      }
      var env = http.get("/api/v1/projects/iris/environments/staging", dave).json();
      assertThat(env.at("/current/version").asInt()).as("refused envelopes raised nothing").isEqualTo(2);
      assertThat(env.path("alerts")).isEmpty();
      long stored = server.database().jdbi().withHandle(h -> h.createQuery(
          "select sum(next_offset) from stream_offsets where consumer_group = 'monitors'").mapTo(Long.class).one());
      assertThat(stored).as("every handled record's offset is in the database").isEqualTo(4);
      long windowEvents = server.database().jdbi().withHandle(h -> h.createQuery(
          "select events from monitor_windows").mapTo(Long.class).one());
      assertThat(windowEvents).as("the window state is stored with the offset of the record it took in").isEqualTo(1000);

      producer.send(Envelope.signed(TOPIC, "iris", "staging", null, sensorId, sensor, stuckBytes)).get();
      try (var second = worker()) {
        await("the new record read", () -> second.stats().records() >= 1);
        Thread.sleep(500);
        assertThat(second.stats().records()).as("the replacement resumes after the stored offsets").isEqualTo(1);
        assertThat(second.stats().watched()).isEqualTo(1);
      }
    }
    var env = http.get("/api/v1/projects/iris/environments/staging", dave).json();
    assertThat(env.at("/alerts/0/kind").asText()).isEqualTo("pipeline-fault");
    assertThat(env.at("/current/version").asInt()).as("rolled back through the same path as HTTP telemetry").isEqualTo(1);
    long audited = server.database().jdbi().withHandle(h -> h.createQuery(
        "select count(*) from audit_entries where entry like '%monitor.auto_rollback%'").mapTo(Long.class).one());
    assertThat(audited).isEqualTo(1);
  }

  /**
   * Workers join and leave a group of three partitions at random while records flow: every record is handled exactly
   * once in all (none lost to a rebalance, none handled twice), and the stored offsets account for all of them.
   */
  @Test
  @EnabledIfSystemProperty(named = "rampart.long", matches = "true")
  void recordsAreHandledExactlyOnceAcrossRebalances() throws Exception {
    String topic = "soak";
    try (var admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
    }
    var bound = http.post("/api/v1/tokens", admin, Map.of("principal", "deploy-bot", "scopes", "telemetry", "ttlDays", 7,
        "project", "iris", "environment", "staging")).json();
    int total = 3000;
    var random = new Random(Long.getLong("rampart.seed", 11));
    byte[] events = ServerSuite.event(random, false).getBytes(StandardCharsets.UTF_8);
    var settings = new TelemetryConsumer.Settings(kafka.bootstrapServers(), topic, "soak");
    Map<String, Object> fast = Map.of("session.timeout.ms", 10_000, "heartbeat.interval.ms", 1_000, "max.poll.records", 20);
    var all = new java.util.ArrayList<TelemetryConsumer>();
    var alive = new java.util.ArrayList<TelemetryConsumer>();
    try (var producer = producer()) {
      for (int i = 0; i < total; i++) {
        // nothing of these models is deployed: each record is verified, then counted as unusable
        producer.send(Envelope.signed(topic, "iris", "staging", "m" + (i % 6), bound.get("id").asLong(),
            bound.get("token").asText(), events));
        if (i % 100 == 0) {
          if (alive.size() < 3 && (alive.isEmpty() || random.nextBoolean())) {
            var w = TelemetryConsumer.start(settings, server.api().services(), fast);
            all.add(w);
            alive.add(w);
          } else {
            alive.remove(random.nextInt(alive.size())).close();
          }
          Thread.sleep(200 + random.nextInt(800));
        }
      }
      producer.flush();
    }
    if (alive.isEmpty()) {
      var w = TelemetryConsumer.start(settings, server.api().services(), fast);
      all.add(w);
      alive.add(w);
    }
    await("every record handled", () -> all.stream().mapToLong(w -> w.stats().records()).sum() >= total);
    Thread.sleep(2_000);
    alive.forEach(TelemetryConsumer::close);
    assertThat(all.stream().mapToLong(w -> w.stats().records()).sum()).as("handled exactly once in all").isEqualTo(total);
    assertThat(all.stream().mapToLong(w -> w.stats().rejected()).sum()).isZero();
    long stored = server.database().jdbi().withHandle(h -> h.createQuery(
        "select sum(next_offset) from stream_offsets where consumer_group = 'soak'").mapTo(Long.class).one());
    assertThat(stored).isEqualTo(total);
  }
}
