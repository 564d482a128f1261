-- Files attached to cards. The file itself lives at wekandata/attachments/<2 hex>/<2 hex>/<id>, a path
-- made from the id alone (server/files/storage.ts); the row holds what people see, the SHA-256 that
-- downloads are tagged with, and an image's size for showing it as a card cover.
CREATE TABLE attachments (
  id          TEXT PRIMARY KEY,
  board_id    TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  card_id     TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  user_id     TEXT REFERENCES users(id) ON DELETE SET NULL,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL,
  size        INTEGER NOT NULL CHECK (size >= 0),
  sha256      TEXT NOT NULL,
  width       INTEGER,
  height      INTEGER,
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL
);
CREATE INDEX attachments_by_card ON attachments(card_id, created_at);
CREATE INDEX attachments_by_user ON attachments(user_id);

-- The image a card shows on the board (WeKan's "cover").
ALTER TABLE cards ADD COLUMN cover_id TEXT REFERENCES attachments(id) ON DELETE SET NULL;
