-- Step 2: what a user sets on their profile page.
ALTER TABLE users ADD COLUMN initials TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
-- 1: the "text browser" preference (no layout tables, no icons, no style sheet)
ALTER TABLE users ADD COLUMN text_mode INTEGER NOT NULL DEFAULT 0;
