// Bearer tokens of the API, by their hash: who they belong to, what kind, until when.
import type { Db } from './db.js';
import { now } from './time.js';
import { USER_COLUMNS, type User } from './users.js';

export type TokenKind = 'login' | 'api';

export class ApiTokens {
  constructor(private readonly db: Db) {}

  create(tokenHash: string, userId: string, kind: TokenKind, expiresAt: string | null): void {
    this.db
      .prepare('INSERT INTO api_tokens (token_hash, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(tokenHash, userId, kind, now(), expiresAt);
  }

  /** The user whose live token this is; undefined when unknown, expired, revoked or the login is disabled. */
  userOf(tokenHash: string): User | undefined {
    return this.db
      .prepare(`SELECT ${USER_COLUMNS} FROM users WHERE login_disabled = 0 AND id = (
                  SELECT user_id FROM api_tokens WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?))`)
      .get(tokenHash, now()) as User | undefined;
  }

  revoke(tokenHash: string): void {
    this.db.prepare('DELETE FROM api_tokens WHERE token_hash = ?').run(tokenHash);
  }

  /** Revokes the user's tokens (of one kind, or all). */
  revokeAll(userId: string, kind?: TokenKind): number {
    return kind
      ? this.db.prepare('DELETE FROM api_tokens WHERE user_id = ? AND kind = ?').run(userId, kind).changes
      : this.db.prepare('DELETE FROM api_tokens WHERE user_id = ?').run(userId).changes;
  }
}
