-- Wami's schema on PostgreSQL (Step 9), equal to the SQLite schema after its migration 0015: the same
-- tables, columns, keys and indexes (test/pg-schema.test.ts compares them on a real server). PostgreSQL
-- starts here, at 15; from now on each SQLite migration gets its PostgreSQL twin with the same number.
-- Types stay close to SQLite's, so the store's SQL stays nearly the same on both:
--   ids and times are TEXT (times as ISO 8601 UTC, which sort as text), flags are INTEGER 0/1,
--   sorts are DOUBLE PRECISION (WeKan's numbers), counts and sizes BIGINT;
--   usernames and emails are CITEXT, compared without case as SQLite's COLLATE NOCASE does;
--   search is a tsvector per card with a GIN index, kept current by triggers, as FTS5 is on SQLite.

CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE schema_migrations (
  version    INTEGER PRIMARY KEY,
  applied_at TEXT NOT NULL
);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  username       CITEXT NOT NULL UNIQUE,
  email          CITEXT UNIQUE,
  password_hash  TEXT NOT NULL,
  fullname       TEXT NOT NULL DEFAULT '',
  is_admin       INTEGER NOT NULL DEFAULT 0,
  login_disabled INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  modified_at    TEXT NOT NULL,
  initials       TEXT NOT NULL DEFAULT '',
  time_zone      TEXT NOT NULL DEFAULT 'UTC',
  text_mode      INTEGER NOT NULL DEFAULT 0,
  auto_refresh   INTEGER NOT NULL DEFAULT 1,
  charset        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE boards (
  id          TEXT PRIMARY KEY,
  title       TEXT NOT NULL,
  slug        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  permission  TEXT NOT NULL DEFAULT 'private' CHECK (permission IN ('private', 'public')),
  color       TEXT NOT NULL DEFAULT 'belize',
  archived    INTEGER NOT NULL DEFAULT 0,
  archived_at TEXT,
  sort        DOUBLE PRECISION NOT NULL DEFAULT 0,
  -- bumped by every change to anything on the board, in the same transaction (live updates, caches)
  version     BIGINT NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL
);

CREATE TABLE board_members (
  board_id  TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role      TEXT NOT NULL DEFAULT 'normal'
            CHECK (role IN ('admin', 'normal', 'comment-only', 'no-comments', 'worker')),
  is_active INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (board_id, user_id)
);
CREATE INDEX board_members_by_user ON board_members(user_id);

CREATE TABLE swimlanes (
  id          TEXT PRIMARY KEY,
  board_id    TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  sort        DOUBLE PRECISION NOT NULL DEFAULT 0,
  color       TEXT,
  archived    INTEGER NOT NULL DEFAULT 0,
  archived_at TEXT,
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL
);
CREATE INDEX swimlanes_by_board ON swimlanes(board_id, archived, sort);

CREATE TABLE lists (
  id          TEXT PRIMARY KEY,
  board_id    TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  -- WeKan 7 may tie a list to one swimlane; '' means the list spans every swimlane
  swimlane_id TEXT NOT NULL DEFAULT '',
  title       TEXT NOT NULL,
  sort        DOUBLE PRECISION NOT NULL DEFAULT 0,
  color       TEXT,
  wip_limit   INTEGER,               -- NULL: no limit
  wip_soft    INTEGER NOT NULL DEFAULT 0,
  archived    INTEGER NOT NULL DEFAULT 0,
  archived_at TEXT,
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL,
  starred     INTEGER NOT NULL DEFAULT 0,
  collapsed   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX lists_by_board ON lists(board_id, archived, sort);

CREATE TABLE cards (
  id                 TEXT PRIMARY KEY,
  board_id           TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  swimlane_id        TEXT NOT NULL REFERENCES swimlanes(id),
  list_id            TEXT NOT NULL REFERENCES lists(id),
  title              TEXT NOT NULL,
  description        TEXT NOT NULL DEFAULT '',
  sort               DOUBLE PRECISION NOT NULL DEFAULT 0,
  color              TEXT,
  archived           INTEGER NOT NULL DEFAULT 0,
  archived_at        TEXT,
  author_id          TEXT REFERENCES users(id) ON DELETE SET NULL,
  received_at        TEXT,
  start_at           TEXT,
  due_at             TEXT,
  end_at             TEXT,
  spent_time         DOUBLE PRECISION,
  is_overtime        INTEGER NOT NULL DEFAULT 0,
  created_at         TEXT NOT NULL,
  modified_at        TEXT NOT NULL,
  date_last_activity TEXT NOT NULL,
  cover_id           TEXT,           -- REFERENCES attachments(id), added below (attachments refer to cards)
  requested_by       TEXT NOT NULL DEFAULT '',
  assigned_by        TEXT NOT NULL DEFAULT '',
  parent_id          TEXT REFERENCES cards(id) ON DELETE SET NULL
);
CREATE INDEX cards_by_board ON cards(board_id, archived);
CREATE INDEX cards_by_parent ON cards(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX cards_by_cell ON cards(list_id, swimlane_id, sort, created_at, archived, id);

CREATE TABLE labels (
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  id       TEXT NOT NULL,
  name     TEXT NOT NULL DEFAULT '',
  color    TEXT NOT NULL DEFAULT 'green',
  sort     DOUBLE PRECISION NOT NULL DEFAULT 0,
  PRIMARY KEY (board_id, id)
);

CREATE TABLE card_labels (
  card_id  TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  board_id TEXT NOT NULL,
  label_id TEXT NOT NULL,
  PRIMARY KEY (card_id, label_id),
  FOREIGN KEY (board_id, label_id) REFERENCES labels(board_id, id) ON DELETE CASCADE
);
CREATE INDEX card_labels_by_board ON card_labels(board_id);

CREATE TABLE card_members (
  card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (card_id, user_id)
);

CREATE TABLE card_assignees (
  card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (card_id, user_id)
);

CREATE TABLE checklists (
  id          TEXT PRIMARY KEY,
  board_id    TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  card_id     TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  sort        DOUBLE PRECISION NOT NULL DEFAULT 0,
  finished_at TEXT,
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL
);
CREATE INDEX checklists_by_card ON checklists(card_id, sort);

CREATE TABLE checklist_items (
  id           TEXT PRIMARY KEY,
  board_id     TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  checklist_id TEXT NOT NULL REFERENCES checklists(id) ON DELETE CASCADE,
  card_id      TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  title        TEXT NOT NULL,
  sort         DOUBLE PRECISION NOT NULL DEFAULT 0,
  is_finished  INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL,
  modified_at  TEXT NOT NULL
);
CREATE INDEX checklist_items_by_checklist ON checklist_items(checklist_id, sort);

CREATE TABLE comments (
  id          TEXT PRIMARY KEY,
  board_id    TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  card_id     TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  user_id     TEXT REFERENCES users(id) ON DELETE SET NULL,
  text        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL
);
CREATE INDEX comments_by_card ON comments(card_id, created_at);

CREATE TABLE activities (
  id            TEXT PRIMARY KEY,
  board_id      TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  user_id       TEXT,
  activity_type TEXT NOT NULL,
  card_id       TEXT,
  list_id       TEXT,
  swimlane_id   TEXT,
  data          TEXT,                -- JSON: what changed (old and new values)
  board_version BIGINT NOT NULL,     -- the board's version this change produced
  created_at    TEXT NOT NULL
);
CREATE INDEX activities_by_board ON activities(board_id, board_version);
CREATE INDEX activities_by_card ON activities(card_id, created_at);

CREATE TABLE one_time_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
  user_id    TEXT REFERENCES users(id) ON DELETE CASCADE,   -- the account a reset is for
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
);

CREATE TABLE attachments (
  id          TEXT PRIMARY KEY,
  board_id    TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  card_id     TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  user_id     TEXT REFERENCES users(id) ON DELETE SET NULL,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL,
  size        BIGINT NOT NULL CHECK (size >= 0),
  sha256      TEXT NOT NULL,
  width       INTEGER,
  height      INTEGER,
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL
);
CREATE INDEX attachments_by_card ON attachments(card_id, created_at);
CREATE INDEX attachments_by_user ON attachments(user_id);
ALTER TABLE cards ADD FOREIGN KEY (cover_id) REFERENCES attachments(id) ON DELETE SET NULL;

CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('login', 'api')),
  created_at TEXT NOT NULL,
  expires_at TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens(user_id);

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
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the order of the changes
  integration_id  TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  payload         TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms BIGINT NOT NULL,
  last_error      TEXT,
  failed_at       TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_waiting ON webhook_deliveries(integration_id, id) WHERE failed_at IS NULL;

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

-- Search: one row per card with its title, description, comments and checklist items as one document,
-- weighted A (title), B (description), C (checklist items), D (comments): a member who may not see
-- comments searches weights A to C only, as FTS5's column filter does on SQLite.
-- The configuration is 'simple' (no stemming, no stop words) with accents folded, like FTS5's unicode61
-- tokenizer with remove_diacritics: "creme" finds "Crème".
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION wami_words (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION wami_words ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE TABLE card_search (
  card_id  TEXT PRIMARY KEY REFERENCES cards(id) ON DELETE CASCADE,
  document TSVECTOR NOT NULL
);
CREATE INDEX card_search_documents ON card_search USING GIN (document);

CREATE FUNCTION card_search_refresh(card TEXT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO card_search (card_id, document)
  SELECT c.id, setweight(to_tsvector('wami_words', c.title), 'A') || setweight(to_tsvector('wami_words', c.description), 'B')
           || setweight(to_tsvector('wami_words', coalesce((SELECT string_agg(title, ' ') FROM checklist_items WHERE card_id = c.id), '')), 'C')
           || setweight(to_tsvector('wami_words', coalesce((SELECT string_agg(text, ' ') FROM comments WHERE card_id = c.id), '')), 'D')
  FROM cards c WHERE c.id = card
  ON CONFLICT (card_id) DO UPDATE SET document = excluded.document;
$$;

CREATE FUNCTION card_search_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'cards' THEN
    IF TG_OP <> 'DELETE' THEN PERFORM card_search_refresh(NEW.id); END IF;  -- a deleted card's row cascades
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM card_search_refresh(OLD.card_id);
  ELSE
    PERFORM card_search_refresh(NEW.card_id);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER card_search_cards AFTER INSERT OR UPDATE OF title, description ON cards
  FOR EACH ROW EXECUTE FUNCTION card_search_follow();
CREATE TRIGGER card_search_comments AFTER INSERT OR UPDATE OF text OR DELETE ON comments
  FOR EACH ROW EXECUTE FUNCTION card_search_follow();
CREATE TRIGGER card_search_items AFTER INSERT OR UPDATE OF title OR DELETE ON checklist_items
  FOR EACH ROW EXECUTE FUNCTION card_search_follow();

-- The session memory's count of account changes (see SQLite's 0015-account-changes.sql).
CREATE TABLE change_counts (
  name  TEXT PRIMARY KEY,
  count BIGINT NOT NULL
);
INSERT INTO change_counts (name, count) VALUES ('accounts', 0);

CREATE FUNCTION count_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE change_counts SET count = count + 1 WHERE name = 'accounts';
  RETURN NULL;
END;
$$;

CREATE TRIGGER accounts_changed_users AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION count_account_change();
CREATE TRIGGER accounts_changed_sessions AFTER INSERT OR UPDATE OR DELETE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION count_account_change();

INSERT INTO schema_migrations (version, applied_at) VALUES (15, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
