-- PostgreSQL twin of SQLite's 0020: the rest of the notification mails (Step 10).
-- Which of them a person wants: a card of theirs coming due within a day, and changes to the boards and
-- cards they watch. mail_digest: hold them all for one summary a day instead of a mail each.
ALTER TABLE users ADD COLUMN mail_due INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN mail_watched INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN mail_digest INTEGER NOT NULL DEFAULT 0;

-- Boards and cards a person watches ("watch" in WeKan): they hear of cards moved there and, on a card,
-- of new comments.
CREATE TABLE board_watchers (
  board_id   TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (board_id, user_id)
);
CREATE INDEX board_watchers_by_user ON board_watchers(user_id);
CREATE TABLE card_watchers (
  card_id    TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (card_id, user_id)
);
CREATE INDEX card_watchers_by_user ON card_watchers(user_id);

-- "Due within a day" went to this person for this card and this due date: once each, however many
-- instances look. A due date moved later is a new reminder.
CREATE TABLE due_reminders (
  card_id    TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  due_at     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (card_id, user_id, due_at)
);
-- The reminder round asks for the live cards due in the next day; most cards have no due date.
CREATE INDEX cards_by_due ON cards(due_at) WHERE due_at IS NOT NULL AND archived = 0;

-- Notifications held back: for a person's daily digest, or (moves on watched boards) for a minute so
-- that twenty cards moved at once make one mail. send_after_ms: when the next round may send it.
CREATE TABLE mail_held (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL,
  subject       TEXT NOT NULL,
  body          TEXT NOT NULL,
  digest        INTEGER NOT NULL,
  send_after_ms BIGINT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX mail_held_by_time ON mail_held(send_after_ms);
INSERT INTO schema_migrations (version, applied_at) VALUES (20, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
