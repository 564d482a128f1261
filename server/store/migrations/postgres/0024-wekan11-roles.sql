-- PostgreSQL twin of SQLite's 0024: WeKan 11's four further board roles.
ALTER TABLE board_members DROP CONSTRAINT board_members_role_check;
ALTER TABLE board_members ADD CONSTRAINT board_members_role_check
  CHECK (role IN ('admin', 'normal', 'normal-assigned-only', 'no-comments', 'comment-only', 'comment-assigned-only',
                  'worker', 'read-only', 'read-assigned-only'));
INSERT INTO schema_migrations (version, applied_at) VALUES (24, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
