-- Which changes an outgoing webhook is told of (WeKan's integration `activities`): activity types, or
-- "all" (the default, and what every webhook had before).
ALTER TABLE integrations ADD COLUMN activities TEXT NOT NULL DEFAULT '["all"]';
