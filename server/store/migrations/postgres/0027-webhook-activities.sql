-- PostgreSQL twin of SQLite's 0027: the changes an outgoing webhook is told of.
ALTER TABLE integrations ADD COLUMN activities TEXT NOT NULL DEFAULT '["all"]';
INSERT INTO schema_migrations (version, applied_at) VALUES (27, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
