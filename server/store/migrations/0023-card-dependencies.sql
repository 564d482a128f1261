-- WeKan 11's card dependencies (its "red strings", #3392): a typed line from one card to another card of
-- the same board. Stored on the source card as WeKan does; the reverse reading (a card "blocks" another,
-- so that one "is blocked by" it) is derived, never stored twice. And WeKan's complete flag (dueComplete),
-- a tick of its own beside the due date.
CREATE TABLE card_dependencies (
  card_id    TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  target_id  TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  type       TEXT NOT NULL,
  color      TEXT NOT NULL,
  icon       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (card_id, target_id)
);
CREATE INDEX card_dependencies_by_target ON card_dependencies(target_id);
ALTER TABLE cards ADD COLUMN due_complete INTEGER NOT NULL DEFAULT 0;
