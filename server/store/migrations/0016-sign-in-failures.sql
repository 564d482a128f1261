-- Failed sign-ins, per key (an address or an account), for the sign-in limit (web/auth.ts). In the
-- database rather than in memory, so that the limit holds across a restart and, with PostgreSQL (Step 9),
-- across every instance. Rows older than the limit's window are deleted as keys fail again and by the
-- server's periodic sweep.
CREATE TABLE sign_in_failures (
  key   TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_key ON sign_in_failures(key, at_ms);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures(at_ms);
