-- Invitations to a board by email (Step 10): a board admin types the address of someone without an
-- account; a single-use link to /enroll-account/:token goes there by mail, where that person chooses a
-- username and password and joins the board with the role the admin chose. Only a hash of each token is kept.
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
