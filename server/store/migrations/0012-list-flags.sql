-- WeKan's list flags: a starred list is marked on the board; a collapsed one shows its card counts
-- there instead of its cards (its own page still has them all).
ALTER TABLE lists ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lists ADD COLUMN collapsed INTEGER NOT NULL DEFAULT 0;
