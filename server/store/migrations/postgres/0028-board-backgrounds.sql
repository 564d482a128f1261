-- PostgreSQL twin of SQLite's 0028: a board's background picture.
CREATE TABLE board_backgrounds (
  board_id   TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
  id         TEXT NOT NULL UNIQUE,
  user_id    TEXT REFERENCES users(id) ON DELETE SET NULL,
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  size       BIGINT NOT NULL,
  sha256     TEXT NOT NULL,
  width      INTEGER NOT NULL,
  height     INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
INSERT INTO schema_migrations (version, applied_at) VALUES (28, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
