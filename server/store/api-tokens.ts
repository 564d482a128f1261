// Bearer tokens of the API, by their hash: who they belong to, what kind, until when.
import type { Sql } from './sql.js';
import { now } from './time.js';
import { USER_COLUMNS, type User } from './users.js';

export type TokenKind = 'login' | 'api';

export class ApiTokens {
  constructor(private readonly sql: Sql) {}

  async create(tokenHash: string, userId: string, kind: TokenKind, expiresAt: string | null): Promise<void> {
    await this.sql.run('INSERT INTO api_tokens (token_hash, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      tokenHash, userId, kind, now(), expiresAt);
  }

  /** The user whose live token this is; undefined when unknown, expired, revoked or the login is disabled. */
  userOf(tokenHash: string): Promise<User | undefined> {
    return this.sql.one<User>(`SELECT ${USER_COLUMNS} FROM users WHERE login_disabled = 0 AND id = (
      SELECT user_id FROM api_tokens WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?))`, tokenHash, now());
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.sql.run('DELETE FROM api_tokens WHERE token_hash = ?', tokenHash);
  }

  /** Revokes the user's tokens (of one kind, or all). */
  revokeAll(userId: string, kind?: TokenKind): Promise<number> {
    return kind
      ? this.sql.run('DELETE FROM api_tokens WHERE user_id = ? AND kind = ?', userId, kind)
      : this.sql.run('DELETE FROM api_tokens WHERE user_id = ?', userId);
  }
}
