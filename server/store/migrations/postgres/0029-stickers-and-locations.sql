-- PostgreSQL twin of SQLite's 0029: a card's stickers and locations.
ALTER TABLE cards ADD COLUMN stickers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cards ADD COLUMN locations TEXT NOT NULL DEFAULT '[]';
INSERT INTO schema_migrations (version, applied_at) VALUES (29, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
