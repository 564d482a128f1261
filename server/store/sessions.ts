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

  /** The signed-in user of a live session, and when it ends; expired sessions and disabled accounts give nothing. */
  find(tokenHash: string): { user: User; expiresAt: string } | undefined {
    const row = this.db
      .prepare(
        `SELECT ${USER_COLUMNS}, (SELECT expires_at FROM sessions WHERE token_hash = @hash) AS sessionExpiresAt FROM users
         WHERE id = (SELECT user_id FROM sessions WHERE token_hash = @hash AND expires_at > @now) AND login_disabled = 0`,
      )
      .get({ hash: tokenHash, now: now() }) as (User & { sessionExpiresAt: string }) | undefined;
    if (!row) return undefined;
    const { sessionExpiresAt, ...user } = row;
    return { user, expiresAt: sessionExpiresAt };
  }

  /**
   * A number that grows with every change to an account or a session, by any process (triggers of
   * migration 0015): what was read about sessions stays true while it stays the same.
   */
  accountChanges(): number {
    return this.db.prepare(`SELECT count FROM change_counts WHERE name = 'accounts'`).pluck().get() as number;
  }

  renew(tokenHash: string, expiresAt: string): void {
    this.db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(expiresAt, tokenHash);
  }

  delete(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  /** How many live sessions (signed-in browsers) the user has. */
  countFor(userId: string): number {
    return this.db.prepare('SELECT count(*) FROM sessions WHERE user_id = ? AND expires_at > ?').pluck().get(userId, now()) as number;
  }

  /** Ends every session of the user; how many there were. */
  deleteAllFor(userId: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  deleteExpired(): number {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now()).changes;
  }
}
