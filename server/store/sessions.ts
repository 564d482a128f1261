// Signed-in browsers. Only a hash of each session token is stored, so a copy of the database
// cannot be used to sign in.
import type { Db } from './db.js';
import { USER_COLUMNS, type User } from './users.js';
import { now } from './time.js';

export class Sessions {
  constructor(private readonly db: Db) {}

  create(tokenHash: string, userId: string, expiresAt: string): void {
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, now(), expiresAt);
  }

  /** The signed-in user of a live session; expired sessions and disabled accounts give nothing. */
  user(tokenHash: string): User | undefined {
    return this.db
      .prepare(
        `SELECT ${USER_COLUMNS} FROM users
         WHERE id = (SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?) AND login_disabled = 0`,
      )
      .get(tokenHash, now()) as User | undefined;
  }

  /** Pushes the expiry to `expiresAt` when less than half the period is left; true when it did. */
  renewIfHalfGone(tokenHash: string, expiresAt: string, halfway: string): boolean {
    return this.db
      .prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND expires_at < ?')
      .run(expiresAt, tokenHash, halfway).changes === 1;
  }

  delete(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  deleteExpired(): number {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now()).changes;
  }
}
