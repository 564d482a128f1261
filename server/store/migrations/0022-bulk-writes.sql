-- Step 12: a bulk write (a checklist with its items, an import, a board copy, a card with many comments
-- deleted) refreshed a card's search row once per item or comment, each time reading all the others:
-- quadratic, half a minute for a checklist of 10,000 items, with the whole server waiting. While a bulk
-- write holds the row of card_search_paused, these triggers only note which cards changed
-- (card_search_dirty); the bulk write refreshes each of them once at its end (store/search.ts, inBulk).
CREATE TABLE card_search_paused (id INTEGER PRIMARY KEY CHECK (id = 1));
CREATE TABLE card_search_dirty (card_id TEXT PRIMARY KEY) WITHOUT ROWID;

DROP TRIGGER card_search_card_update;
CREATE TRIGGER card_search_card_update AFTER UPDATE OF title, description ON cards
WHEN NOT EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = NEW.id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.id;
END;
CREATE TRIGGER card_search_card_update_noted AFTER UPDATE OF title, description ON cards
WHEN EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  INSERT OR IGNORE INTO card_search_dirty (card_id) VALUES (NEW.id);
END;

DROP TRIGGER card_search_comment_insert;
CREATE TRIGGER card_search_comment_insert AFTER INSERT ON comments
WHEN NOT EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = NEW.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.card_id;
END;
CREATE TRIGGER card_search_comment_insert_noted AFTER INSERT ON comments
WHEN EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  INSERT OR IGNORE INTO card_search_dirty (card_id) VALUES (NEW.card_id);
END;

DROP TRIGGER card_search_comment_update;
CREATE TRIGGER card_search_comment_update AFTER UPDATE OF text ON comments
WHEN NOT EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = NEW.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.card_id;
END;
CREATE TRIGGER card_search_comment_update_noted AFTER UPDATE OF text ON comments
WHEN EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  INSERT OR IGNORE INTO card_search_dirty (card_id) VALUES (NEW.card_id);
END;

DROP TRIGGER card_search_comment_delete;
CREATE TRIGGER card_search_comment_delete AFTER DELETE ON comments
WHEN NOT EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = OLD.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = OLD.card_id;
END;
CREATE TRIGGER card_search_comment_delete_noted AFTER DELETE ON comments
WHEN EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  INSERT OR IGNORE INTO card_search_dirty (card_id) VALUES (OLD.card_id);
END;

DROP TRIGGER card_search_item_insert;
CREATE TRIGGER card_search_item_insert AFTER INSERT ON checklist_items
WHEN NOT EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = NEW.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.card_id;
END;
CREATE TRIGGER card_search_item_insert_noted AFTER INSERT ON checklist_items
WHEN EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  INSERT OR IGNORE INTO card_search_dirty (card_id) VALUES (NEW.card_id);
END;

DROP TRIGGER card_search_item_update;
CREATE TRIGGER card_search_item_update AFTER UPDATE OF title ON checklist_items
WHEN NOT EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = NEW.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.card_id;
END;
CREATE TRIGGER card_search_item_update_noted AFTER UPDATE OF title ON checklist_items
WHEN EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  INSERT OR IGNORE INTO card_search_dirty (card_id) VALUES (NEW.card_id);
END;

DROP TRIGGER card_search_item_delete;
CREATE TRIGGER card_search_item_delete AFTER DELETE ON checklist_items
WHEN NOT EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = OLD.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = OLD.card_id;
END;
CREATE TRIGGER card_search_item_delete_noted AFTER DELETE ON checklist_items
WHEN EXISTS (SELECT 1 FROM card_search_paused) BEGIN
  INSERT OR IGNORE INTO card_search_dirty (card_id) VALUES (OLD.card_id);
END;

-- Boards an import is still making, or a deletion still unmaking (board-import.ts, boards.ts): on SQLite
-- such big work goes in several short transactions so that other requests are not kept waiting. Until the
-- last one the board is marked here (and has no members, so nobody sees it), and a start after a crash
-- deletes whatever is marked: all or nothing either way.
CREATE TABLE boards_unfinished (
  board_id   TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
  started_at TEXT NOT NULL
);
