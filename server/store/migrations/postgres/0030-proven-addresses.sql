-- PostgreSQL twin of SQLite's 0030: whether an account's address is proven its own.
ALTER TABLE users ADD COLUMN email_proven INTEGER NOT NULL DEFAULT 0;
INSERT INTO schema_migrations (version, applied_at) VALUES (30, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
