-- Outgoing webhooks ("integrations", as WeKan calls them): a board's admins name URLs that receive a
-- JSON message for every change to the board. The messages wait in webhook_deliveries, written in the
-- same transaction as the change itself, so a restart loses none; the sender removes each once the
-- receiver took it, or marks it failed after its last try.
CREATE TABLE integrations (
  id          TEXT PRIMARY KEY,
  board_id    TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  user_id     TEXT REFERENCES users(id) ON DELETE SET NULL,
  title       TEXT NOT NULL DEFAULT '',
  url         TEXT NOT NULL,
  token       TEXT,              -- sent as X-Wekan-Token: a shared secret the receiver checks, so kept readable
  enabled     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL
);
CREATE INDEX integrations_by_board ON integrations(board_id);

CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order of the changes
  integration_id  TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  payload         TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  last_error      TEXT,
  failed_at       TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_waiting ON webhook_deliveries(integration_id, id) WHERE failed_at IS NULL;
