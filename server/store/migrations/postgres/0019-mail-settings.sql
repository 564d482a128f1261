-- PostgreSQL twin of SQLite's 0019: which notification mails a person wants.
ALTER TABLE users ADD COLUMN mail_added INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN mail_mentions INTEGER NOT NULL DEFAULT 1;
INSERT INTO schema_migrations (version, applied_at) VALUES (19, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
