-- Wami schema 1: WeKan's model (users, boards, members, swimlanes, lists, cards, labels, checklists,
-- comments, activities). Ids are WeKan-style 17-character strings (labels: 6). Times are ISO 8601 UTC.
-- Never edit this file once released: add a new numbered migration instead.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email          TEXT UNIQUE COLLATE NOCASE,
  password_hash  TEXT NOT NULL,
  fullname       TEXT NOT NULL DEFAULT '',
  is_admin       INTEGER NOT NULL DEFAULT 0,
  login_disabled INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  modified_at    TEXT NOT NULL
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
  sort        REAL NOT NULL DEFAULT 0,
  -- bumped by every change to anything on the board, in the same transaction (live updates, caches)
  version     INTEGER NOT NULL DEFAULT 1,
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
  sort        REAL NOT NULL DEFAULT 0,
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
  sort        REAL NOT NULL DEFAULT 0,
  color       TEXT,
  wip_limit   INTEGER,               -- NULL: no limit
  wip_soft    INTEGER NOT NULL DEFAULT 0,
  archived    INTEGER NOT NULL DEFAULT 0,
  archived_at TEXT,
  created_at  TEXT NOT NULL,
  modified_at TEXT NOT NULL
);
CREATE INDEX lists_by_board ON lists(board_id, archived, sort);

CREATE TABLE cards (
  id                 TEXT PRIMARY KEY,
  board_id           TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  swimlane_id        TEXT NOT NULL REFERENCES swimlanes(id),
  list_id            TEXT NOT NULL REFERENCES lists(id),
  title              TEXT NOT NULL,
  description        TEXT NOT NULL DEFAULT '',
  sort               REAL NOT NULL DEFAULT 0,
  color              TEXT,
  archived           INTEGER NOT NULL DEFAULT 0,
  archived_at        TEXT,
  author_id          TEXT REFERENCES users(id) ON DELETE SET NULL,
  received_at        TEXT,
  start_at           TEXT,
  due_at             TEXT,
  end_at             TEXT,
  spent_time         REAL,
  is_overtime        INTEGER NOT NULL DEFAULT 0,
  created_at         TEXT NOT NULL,
  modified_at        TEXT NOT NULL,
  date_last_activity TEXT NOT NULL
);
CREATE INDEX cards_by_board ON cards(board_id, archived);
CREATE INDEX cards_by_cell ON cards(list_id, swimlane_id, sort);

CREATE TABLE labels (
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  id       TEXT NOT NULL,
  name     TEXT NOT NULL DEFAULT '',
  color    TEXT NOT NULL DEFAULT 'green',
  sort     REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (board_id, id)
);

CREATE TABLE card_labels (
  card_id  TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
  board_id TEXT NOT NULL,
  label_id TEXT NOT NULL,
  PRIMARY KEY (card_id, label_id),
  FOREIGN KEY (board_id, label_id) REFERENCES labels(board_id, id) ON DELETE CASCADE
);

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
  sort        REAL NOT NULL DEFAULT 0,
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
  sort         REAL NOT NULL DEFAULT 0,
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

-- The audit trail. No foreign keys to cards or lists: the history outlives what it describes.
CREATE TABLE activities (
  id            TEXT PRIMARY KEY,
  board_id      TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  user_id       TEXT,
  activity_type TEXT NOT NULL,
  card_id       TEXT,
  list_id       TEXT,
  swimlane_id   TEXT,
  data          TEXT,                -- JSON: what changed (old and new values)
  board_version INTEGER NOT NULL,    -- the board's version this change produced
  created_at    TEXT NOT NULL
);
CREATE INDEX activities_by_board ON activities(board_id, board_version);
CREATE INDEX activities_by_card ON activities(card_id, created_at);
