// Signed-in browsers. Only a hash of each session token is stored, so a copy of the database
// cannot be used to sign in.
import type { Sql } from './sql.js';
import { USER_COLUMNS, type User } from './users.js';
import { now } from './time.js';

export class Sessions {
  constructor(private readonly sql: Sql) {}

  async create(tokenHash: string, userId: string, expiresAt: string): Promise<void> {
    await this.sql.run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      tokenHash, userId, now(), expiresAt);
  }

  /** The signed-in user of a live session, and when it ends; expired sessions and disabled accounts give nothing. */
  async find(tokenHash: string): Promise<{ user: User; expiresAt: string } | undefined> {
    const row = await this.sql.one<User & { sessionExpiresAt: string }>(
      `SELECT ${USER_COLUMNS}, (SELECT expires_at FROM sessions WHERE token_hash = ?) AS "sessionExpiresAt" FROM users
       WHERE id = (SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?) AND login_disabled = 0`,
      tokenHash, tokenHash, now());
    if (!row) return undefined;
    const { sessionExpiresAt, ...user } = row;
    return { user, expiresAt: sessionExpiresAt };
  }

  /**
   * A number that grows with every change to an account or a session, by any process (triggers of
   * migration 0015): what was read about sessions stays true while it stays the same.
   */
  async accountChanges(): Promise<number> {
    return (await this.sql.value<number>("SELECT count FROM change_counts WHERE name = 'accounts'"))!;
  }

  async renew(tokenHash: string, expiresAt: string): Promise<void> {
    await this.sql.run('UPDATE sessions SET expires_at = ? WHERE token_hash = ?', expiresAt, tokenHash);
  }

  async delete(tokenHash: string): Promise<void> {
    await this.sql.run('DELETE FROM sessions WHERE token_hash = ?', tokenHash);
  }

  /** How many live sessions (signed-in browsers) the user has. */
  async countFor(userId: string): Promise<number> {
    return (await this.sql.value<number>('SELECT count(*) FROM sessions WHERE user_id = ? AND expires_at > ?', userId, now()))!;
  }

  /** Ends every session of the user; how many there were. */
  deleteAllFor(userId: string): Promise<number> {
    return this.sql.run('DELETE FROM sessions WHERE user_id = ?', userId);
  }

  deleteExpired(): Promise<number> {
    return this.sql.run('DELETE FROM sessions WHERE expires_at <= ?', now());
  }
}
