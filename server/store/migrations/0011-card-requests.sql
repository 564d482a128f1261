-- WeKan's card fields for who asked for the work and who handed it out (free text, as WeKan keeps
-- them), and its subtasks: a card may name a parent card on the same board.
ALTER TABLE cards ADD COLUMN requested_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN assigned_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN parent_id TEXT REFERENCES cards(id) ON DELETE SET NULL;
CREATE INDEX cards_by_parent ON cards(parent_id) WHERE parent_id IS NOT NULL;
