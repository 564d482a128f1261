// Single-use links: sign-up invitations and password resets. Only the SHA-256 of a token is stored;
// a token works once, before it expires.
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from './sql.js';
import { now } from './time.js';

export type TokenPurpose = 'invite' | 'reset';

/** What is stored of a link's token: its SHA-256, so a copy of the database opens no link. */
export const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A fresh secret for a link (24 random bytes, URL-safe) and when a link made now for `validHours` expires. */
export function newLink(validHours: number): { token: string; expiresAt: string } {
  return { token: randomBytes(24).toString('base64url'), expiresAt: new Date(Date.now() + validHours * 3600 * 1000).toISOString() };
}

export class OneTimeTokens {
  constructor(private readonly sql: Sql) {}

  /** A fresh token (to put in a link) for the purpose; `userId` names the account of a reset. */
  async issue(purpose: TokenPurpose, createdBy: string, userId: string | null, validHours: number): Promise<string> {
    const { token, expiresAt } = newLink(validHours);
    await this.sql.run(
      'INSERT INTO one_time_tokens (token_hash, purpose, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      hashOf(token), purpose, userId, createdBy, now(), expiresAt);
    return token;
  }

  /** The token's account (or '' for an invitation) while it is unused and unexpired. */
  peek(purpose: TokenPurpose, token: string): Promise<string | undefined> {
    return this.sql.value<string>(
      "SELECT coalesce(user_id, '') FROM one_time_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
      hashOf(token), purpose, now());
  }

  /** Uses the token up; false when it was not usable (already used, expired, unknown). */
  async use(purpose: TokenPurpose, token: string): Promise<boolean> {
    const changed = await this.sql.run(
      'UPDATE one_time_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?',
      now(), hashOf(token), purpose, now());
    return changed === 1;
  }
}
