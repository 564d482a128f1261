-- PostgreSQL twin of SQLite's 0018: invitations to a board by email.
CREATE TABLE board_invitations (
  token_hash TEXT PRIMARY KEY,
  board_id   TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  email      TEXT NOT NULL,
  role       TEXT NOT NULL,
  invited_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
);
CREATE INDEX board_invitations_by_board ON board_invitations(board_id);
INSERT INTO schema_migrations (version, applied_at) VALUES (18, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
