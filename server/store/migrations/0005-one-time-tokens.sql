-- Step 2: single-use links an admin hands out: sign-up invitations (invite-only sites) and password
-- resets. Only a hash of each token is kept.
CREATE TABLE one_time_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
  user_id    TEXT REFERENCES users(id) ON DELETE CASCADE,   -- the account a reset is for
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
);
