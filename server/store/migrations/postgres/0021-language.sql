-- PostgreSQL twin of SQLite's 0021: the language of a person's pages and mails.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
INSERT INTO schema_migrations (version, applied_at) VALUES (21, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
