-- PostgreSQL twin of SQLite's 0017: mail waiting to go out, shared by every instance.
CREATE TABLE mail_outbox (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  to_address      TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  kind            TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms BIGINT NOT NULL,
  last_error      TEXT,
  sent_at         TEXT,
  failed_at       TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX mail_outbox_waiting ON mail_outbox(next_attempt_ms) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_by_address ON mail_outbox(to_address, kind, created_at);
INSERT INTO schema_migrations (version, applied_at) VALUES (17, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
