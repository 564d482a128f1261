-- WeKan 11's board roles (Step 13): normal-assigned-only, comment-assigned-only, read-only and
-- read-assigned-only beside the five of before. SQLite cannot change a CHECK, so board_members is made
-- again with the wider one (nothing refers to it).
CREATE TABLE board_members_new (
  board_id  TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role      TEXT NOT NULL DEFAULT 'normal'
            CHECK (role IN ('admin', 'normal', 'normal-assigned-only', 'no-comments', 'comment-only', 'comment-assigned-only',
                            'worker', 'read-only', 'read-assigned-only')),
  is_active INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (board_id, user_id)
);
INSERT INTO board_members_new (board_id, user_id, role, is_active) SELECT board_id, user_id, role, is_active FROM board_members;
DROP TABLE board_members;
ALTER TABLE board_members_new RENAME TO board_members;
CREATE INDEX board_members_by_user ON board_members(user_id);
