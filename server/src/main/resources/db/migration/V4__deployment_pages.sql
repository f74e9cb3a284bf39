-- The environment API pages its deployment history newest first by id.
create index deployments_env_id on deployments(environment_id, id);
