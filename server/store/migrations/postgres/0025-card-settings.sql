-- PostgreSQL twin of SQLite's 0025: a board's card settings.
ALTER TABLE boards ADD COLUMN card_settings TEXT NOT NULL DEFAULT '{}';
INSERT INTO schema_migrations (version, applied_at) VALUES (25, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
