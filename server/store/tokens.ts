// Single-use links: sign-up invitations and password resets. Only the SHA-256 of a token is stored;
// a token works once, before it expires.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db.js';
import { now } from './time.js';

export type TokenPurpose = 'invite' | 'reset';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export class OneTimeTokens {
  constructor(private readonly db: Db) {}

  /** A fresh token (to put in a link) for the purpose; `userId` names the account of a reset. */
  issue(purpose: TokenPurpose, createdBy: string, userId: string | null, validHours: number): string {
    const token = randomBytes(24).toString('base64url');
    const expires = new Date(Date.now() + validHours * 3600 * 1000).toISOString();
    this.db
      .prepare('INSERT INTO one_time_tokens (token_hash, purpose, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(hash(token), purpose, userId, createdBy, now(), expires);
    return token;
  }

  /** The token's account (or '' for an invitation) while it is unused and unexpired. */
  peek(purpose: TokenPurpose, token: string): string | undefined {
    const row = this.db
      .prepare('SELECT coalesce(user_id, \'\') AS userId FROM one_time_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?')
      .get(hash(token), purpose, now()) as { userId: string } | undefined;
    return row?.userId;
  }

  /** Uses the token up; false when it was not usable (already used, expired, unknown). */
  use(purpose: TokenPurpose, token: string): boolean {
    return this.db
      .prepare('UPDATE one_time_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?')
      .run(now(), hash(token), purpose, now()).changes === 1;
  }
}
