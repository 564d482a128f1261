-- The language of a person's pages and mails (Step 11): a code of server/i18n/ ('en', 'de', 'fi'), or ''
-- for automatic (the browser's Accept-Language, else English).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
