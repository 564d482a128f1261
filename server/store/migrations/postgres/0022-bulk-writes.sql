-- PostgreSQL twin of SQLite's 0022. Its search reads a card's comments and checklist items when it
-- searches (store/search.ts), so a bulk write has no search rows to refresh; and an import is one
-- transaction here, and so is a board's deletion. boards_unfinished exists so that both engines have the
-- same tables (it stays empty).
CREATE TABLE boards_unfinished (
  board_id   TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
  started_at TEXT NOT NULL
);
INSERT INTO schema_migrations (version, applied_at) VALUES (22, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
