-- The head of the audit log, shared by every server on this database: each audited write locks this row first, so
-- appends from all replicas are serialised by the database (dense indices, one checkpoint per size, no fork), and
-- each state change advances its generation, which every replica's read caches compare against per request.
create table log_head (
  id integer primary key,
  generation bigint not null
);
insert into log_head(id, generation) values (1, 0);

