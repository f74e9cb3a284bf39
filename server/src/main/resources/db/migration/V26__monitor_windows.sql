-- The window state of each deployment's monitor watcher, so an evicted watcher, a restarted server or a new owner of
-- a telemetry partition resumes the open windows instead of starting new ones. Versioned: a writer that finds another
-- version than the one it restored from has stale state and starts again from the row.

create table monitor_windows (
  deployment_id bigint primary key references deployments(id),
  version bigint not null,
  events bigint not null,
  state text not null,
  updated_at timestamp with time zone not null
);
