-- A card move reads its target cell in order (list, swimlane, live cards by sort, then age). The index
-- now holds all of that, so the read neither visits the table rows (cards carry their descriptions)
-- nor sorts a second time; its first columns still serve every query that used the old one.
DROP INDEX cards_by_cell;
CREATE INDEX cards_by_cell ON cards(list_id, swimlane_id, sort, created_at, archived, id);
