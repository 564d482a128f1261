-- Mail waiting to go out (Step 10). A mail is written in the same transaction as what causes it (a reset
-- asked for, an invitation, a notification), so a restart or a crash loses none; the background sender
-- (mail/sender.ts) sends it, trying again with growing waits while the mail server is down, and marks it
-- sent, or failed after its last try. Sent mails stay a week (the rate limits count them), then the
-- server's sweep deletes them.
CREATE TABLE mail_outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  to_address      TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,     -- plain text
  kind            TEXT NOT NULL,     -- what it is for ('reset', 'invitation', …): the rate limits count by kind
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  last_error      TEXT,
  sent_at         TEXT,
  failed_at       TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX mail_outbox_waiting ON mail_outbox(next_attempt_ms) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_by_address ON mail_outbox(to_address, kind, created_at);
