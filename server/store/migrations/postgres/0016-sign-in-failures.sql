-- PostgreSQL twin of SQLite's 0016: failed sign-ins per key, shared by every instance.
CREATE TABLE sign_in_failures (
  key   TEXT NOT NULL,
  at_ms BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_key ON sign_in_failures(key, at_ms);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures(at_ms);
INSERT INTO schema_migrations (version, applied_at) VALUES (16, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
