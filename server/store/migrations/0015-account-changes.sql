-- Signed-in sessions are remembered for a second (web/session.ts), so that a busy page needs no hash and
-- no query per request. They must be forgotten as soon as an account or a session changes (a password,
-- a disabled account, a sign-out), and only then: emptying the memory on every form post, as before,
-- made it useless while cards are being moved. These triggers count such changes, whether this process
-- or another (the CLI) makes them; the memory compares one number.
CREATE TABLE change_counts (
  name  TEXT PRIMARY KEY,
  count INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO change_counts (name, count) VALUES ('accounts', 0);

CREATE TRIGGER accounts_changed_user_insert AFTER INSERT ON users
BEGIN UPDATE change_counts SET count = count + 1 WHERE name = 'accounts'; END;
CREATE TRIGGER accounts_changed_user_update AFTER UPDATE ON users
BEGIN UPDATE change_counts SET count = count + 1 WHERE name = 'accounts'; END;
CREATE TRIGGER accounts_changed_user_delete AFTER DELETE ON users
BEGIN UPDATE change_counts SET count = count + 1 WHERE name = 'accounts'; END;
CREATE TRIGGER accounts_changed_session_insert AFTER INSERT ON sessions
BEGIN UPDATE change_counts SET count = count + 1 WHERE name = 'accounts'; END;
CREATE TRIGGER accounts_changed_session_update AFTER UPDATE ON sessions
BEGIN UPDATE change_counts SET count = count + 1 WHERE name = 'accounts'; END;
CREATE TRIGGER accounts_changed_session_delete AFTER DELETE ON sessions
BEGIN UPDATE change_counts SET count = count + 1 WHERE name = 'accounts'; END;
