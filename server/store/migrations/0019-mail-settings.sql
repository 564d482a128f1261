-- Which notification mails a person wants (Step 10), each on by default as in WeKan: being added to a
-- board or a card, and being mentioned with @username in a comment or a card's description.
ALTER TABLE users ADD COLUMN mail_added INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN mail_mentions INTEGER NOT NULL DEFAULT 1;
