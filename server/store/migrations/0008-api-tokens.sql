-- Bearer tokens of the WeKan-compatible API, stored hashed (SHA-256 of the token): from /users/login
-- (90 days) and long-lived API keys made by an admin (/api/createtoken, no expiry). Revoked by deleting.
CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('login', 'api')),
  created_at TEXT NOT NULL,
  expires_at TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens(user_id);
