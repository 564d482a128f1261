-- A card's stickers and locations (WeKan 11's card fields), each a JSON list as WeKan keeps it.
ALTER TABLE cards ADD COLUMN stickers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cards ADD COLUMN locations TEXT NOT NULL DEFAULT '[]';
