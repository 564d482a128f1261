-- Step 3: a user may turn off the pages' automatic refresh (meta refresh into the long poll).
ALTER TABLE users ADD COLUMN auto_refresh INTEGER NOT NULL DEFAULT 1;
