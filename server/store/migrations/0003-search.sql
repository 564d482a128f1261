-- Step 2: full-text search over cards. One FTS5 row per card holds its title, description, comments and
-- checklist items, kept current by triggers, so no code path can forget it. card_search_rows maps a card
-- to its FTS row with an explicit INTEGER PRIMARY KEY, which VACUUM never renumbers.
CREATE VIRTUAL TABLE card_search USING fts5(title, description, comments, items, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE card_search_rows (
  fts_rowid INTEGER PRIMARY KEY,
  card_id   TEXT NOT NULL UNIQUE
);

CREATE VIEW card_search_source AS
SELECT c.id AS card_id, c.title, c.description,
       coalesce((SELECT group_concat(text, ' ') FROM comments WHERE card_id = c.id), '') AS comments,
       coalesce((SELECT group_concat(title, ' ') FROM checklist_items WHERE card_id = c.id), '') AS items
FROM cards c;

CREATE TRIGGER card_search_card_insert AFTER INSERT ON cards BEGIN
  INSERT INTO card_search_rows (card_id) VALUES (NEW.id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.id;
END;

CREATE TRIGGER card_search_card_delete AFTER DELETE ON cards BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = OLD.id);
  DELETE FROM card_search_rows WHERE card_id = OLD.id;
END;

-- The refresh of one card's row, repeated per trigger (SQLite triggers cannot call one another).
CREATE TRIGGER card_search_card_update AFTER UPDATE OF title, description ON cards BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = NEW.id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.id;
END;

CREATE TRIGGER card_search_comment_insert AFTER INSERT ON comments BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = NEW.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.card_id;
END;

CREATE TRIGGER card_search_comment_update AFTER UPDATE OF text ON comments BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = NEW.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.card_id;
END;

CREATE TRIGGER card_search_comment_delete AFTER DELETE ON comments BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = OLD.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = OLD.card_id;
END;

CREATE TRIGGER card_search_item_insert AFTER INSERT ON checklist_items BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = NEW.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.card_id;
END;

CREATE TRIGGER card_search_item_update AFTER UPDATE OF title ON checklist_items BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = NEW.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = NEW.card_id;
END;

CREATE TRIGGER card_search_item_delete AFTER DELETE ON checklist_items BEGIN
  DELETE FROM card_search WHERE rowid = (SELECT fts_rowid FROM card_search_rows WHERE card_id = OLD.card_id);
  INSERT INTO card_search (rowid, title, description, comments, items)
    SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
    FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id WHERE s.card_id = OLD.card_id;
END;

-- Cards that existed before this migration.
INSERT INTO card_search_rows (card_id) SELECT id FROM cards;
INSERT INTO card_search (rowid, title, description, comments, items)
  SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
  FROM card_search_source s JOIN card_search_rows r ON r.card_id = s.card_id;
