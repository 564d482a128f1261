-- A board's card settings (WeKan 11's allows* toggles and card aging, server/card-settings.ts): the
-- values that differ from WeKan's defaults, as a JSON object.
ALTER TABLE boards ADD COLUMN card_settings TEXT NOT NULL DEFAULT '{}';
