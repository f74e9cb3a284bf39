-- The head of the audit log, shared by every server on this database: each audited write locks this row first, so
-- appends from all replicas are serialised by the database (dense indices, one checkpoint per size, no fork), and
-- each state change advances its generation, which every replica's read caches compare against per request.
create table log_head (
  id integer primary key,
  generation bigint not null
);
insert into log_head(id, generation) values (1, 0);

-- Where each consumer group's telemetry workers are in each partition of a telemetry topic: the next offset to read,
-- kept in the database (not in Kafka) so a worker that takes over a partition resumes where the last one stored.
create table stream_offsets (
  consumer_group varchar(200) not null,
  topic varchar(249) not null,
  partition_no integer not null,
  next_offset bigint not null,
  updated_at timestamp with time zone not null,
  primary key (consumer_group, topic, partition_no)
);
