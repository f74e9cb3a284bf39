package dev.rampart.server.stream;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Jdbi;

/** The next offset to read per consumer group and partition, kept in the database rather than in Kafka. */
final class StreamOffsets {
  private final Jdbi jdbi;
  private final String group;

  StreamOffsets(Jdbi jdbi, String group) {
    this.jdbi = jdbi;
    this.group = group;
  }

  Optional<Long> next(TopicPartition p) {
    return jdbi.withHandle(h -> h.createQuery("""
            select next_offset from stream_offsets where consumer_group = :g and topic = :t and partition_no = :p""")
        .bind("g", group).bind("t", p.topic()).bind("p", p.partition()).mapTo(Long.class).findOne());
  }

  /**
   * Records that everything before {@code next} was handled. Only moves forward: a worker that lost the partition in a
   * rebalance and still finishes a record cannot move the new owner back.
   */
  void store(TopicPartition p, long next) {
    jdbi.useTransaction(h -> store(h, p, next));
  }

  /** As {@link #store(TopicPartition, long)}, in the caller's transaction (the one that checkpoints the windows). */
  void store(org.jdbi.v3.core.Handle h, TopicPartition p, long next) {
    {
      int updated = h.createUpdate("""
              update stream_offsets set next_offset = :o, updated_at = :t
              where consumer_group = :g and topic = :topic and partition_no = :p and next_offset < :o""")
          .bind("o", next).bind("t", OffsetDateTime.now(ZoneOffset.UTC)).bind("g", group).bind("topic", p.topic())
          .bind("p", p.partition()).execute();
      if (updated == 0) {
        h.createUpdate("""
                insert into stream_offsets(consumer_group, topic, partition_no, next_offset, updated_at)
                select :g, :topic, :p, :o, :t where not exists (
                  select 1 from stream_offsets where consumer_group = :g and topic = :topic and partition_no = :p)""")
            .bind("o", next).bind("t", OffsetDateTime.now(ZoneOffset.UTC)).bind("g", group).bind("topic", p.topic())
            .bind("p", p.partition()).execute();
      }
    }
  }
}
