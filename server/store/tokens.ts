// Single-use links: sign-up invitations and password resets. Only the SHA-256 of a token is stored;
// a token works once, before it expires.
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from './sql.js';
import { now } from './time.js';

export type TokenPurpose = 'invite' | 'reset';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export class OneTimeTokens {
  constructor(private readonly sql: Sql) {}

  /** A fresh token (to put in a link) for the purpose; `userId` names the account of a reset. */
  async issue(purpose: TokenPurpose, createdBy: string, userId: string | null, validHours: number): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const expires = new Date(Date.now() + validHours * 3600 * 1000).toISOString();
    await this.sql.run(
      'INSERT INTO one_time_tokens (token_hash, purpose, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      hash(token), purpose, userId, createdBy, now(), expires);
    return token;
  }

  /** The token's account (or '' for an invitation) while it is unused and unexpired. */
  peek(purpose: TokenPurpose, token: string): Promise<string | undefined> {
    return this.sql.value<string>(
      "SELECT coalesce(user_id, '') FROM one_time_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
      hash(token), purpose, now());
  }

  /** Uses the token up; false when it was not usable (already used, expired, unknown). */
  async use(purpose: TokenPurpose, token: string): Promise<boolean> {
    const changed = await this.sql.run(
      'UPDATE one_time_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?',
      now(), hash(token), purpose, now());
    return changed === 1;
  }
}
