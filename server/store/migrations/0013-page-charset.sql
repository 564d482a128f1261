-- Step 6: the charset a user's pages are served in ('' = automatic: UTF-8 unless the browser asks otherwise).
ALTER TABLE users ADD COLUMN charset TEXT NOT NULL DEFAULT '';
