-- PostgreSQL twin of SQLite's 0023: card dependencies and the complete flag.
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
INSERT INTO schema_migrations (version, applied_at) VALUES (23, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
