-- A board's background picture (WeKan 11's board background, set by its board admins): one image a
-- board, its file in the attachments folder under its own id, as an attachment's would be.
CREATE TABLE board_backgrounds (
  board_id   TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
  id         TEXT NOT NULL UNIQUE,
  user_id    TEXT REFERENCES users(id) ON DELETE SET NULL,
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  size       INTEGER NOT NULL,
  sha256     TEXT NOT NULL,
  width      INTEGER NOT NULL,
  height     INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
