-- WeKan's custom fields: a board defines them (text, number, date, dropdown, checkbox, currency,
-- stringtemplate) and each card may hold a value for each. settings is WeKan's JSON object
-- (currencyCode, dropdownItems [{_id, name}], stringtemplateFormat, stringtemplateSeparator); a value is
-- JSON too (a string, number, boolean, ISO date, dropdown item id or list of strings).
CREATE TABLE custom_fields (
  id                      TEXT PRIMARY KEY,
  board_id                TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  name                    TEXT NOT NULL,
  type                    TEXT NOT NULL
                          CHECK (type IN ('text', 'number', 'date', 'dropdown', 'checkbox', 'currency', 'stringtemplate')),
  settings                TEXT NOT NULL DEFAULT '{}',
  show_on_card            INTEGER NOT NULL DEFAULT 0,
  automatically_on_card   INTEGER NOT NULL DEFAULT 0,
  always_on_card          INTEGER NOT NULL DEFAULT 0,
  show_label_on_mini_card INTEGER NOT NULL DEFAULT 0,
  show_sum_at_top_of_list INTEGER NOT NULL DEFAULT 0,
  sort                    INTEGER NOT NULL DEFAULT 0,
  created_at              TEXT NOT NULL,
  modified_at             TEXT NOT NULL
);
CREATE INDEX custom_fields_by_board ON custom_fields(board_id, sort);

CREATE TABLE card_custom_values (
  card_id  TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  field_id TEXT NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
  value    TEXT NOT NULL,
  PRIMARY KEY (card_id, field_id)
);
CREATE INDEX card_custom_values_by_field ON card_custom_values(field_id);
