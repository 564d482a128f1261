// Invitations to a board by email (Step 10): single-use, expiring links to /enroll-account/:token for
// people without an account. Made and stored as one-time tokens are (tokens.ts: only the SHA-256 kept).
import type { MemberRole } from '../permissions.js';
import type { Sql } from './sql.js';
import { now } from './time.js';
import { hashOf, newLink } from './tokens.js';

export interface BoardInvitation {
  boardId: string;
  boardTitle: string;
  email: string;
  role: MemberRole;
  /** Who invited (null once that account is gone). */
  invitedBy: string | null;
}

export class BoardInvitations {
  constructor(private readonly sql: Sql) {}

  /** A fresh token (for the link) inviting `email` to the board with `role`. */
  async issue(boardId: string, email: string, role: MemberRole, invitedBy: string, validHours: number): Promise<string> {
    const { token, expiresAt } = newLink(validHours);
    await this.sql.run(`INSERT INTO board_invitations (token_hash, board_id, email, role, invited_by, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`, hashOf(token), boardId, email, role, invitedBy, now(), expiresAt);
    return token;
  }

  /** The invitation while it is unused, unexpired and its board is there. */
  async peek(token: string): Promise<BoardInvitation | undefined> {
    return await this.sql.one<BoardInvitation>(`SELECT i.board_id AS "boardId", b.title AS "boardTitle", i.email, i.role,
        u.username AS "invitedBy"
      FROM board_invitations i JOIN boards b ON b.id = i.board_id LEFT JOIN users u ON u.id = i.invited_by
      WHERE i.token_hash = ? AND i.used_at IS NULL AND i.expires_at > ?`, hashOf(token), now());
  }

  /** Uses the invitation up; false when it was not usable (used, expired, unknown). */
  async use(token: string): Promise<boolean> {
    return await this.sql.run('UPDATE board_invitations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
      now(), hashOf(token), now()) === 1;
  }

  /** Invitations sent to `email` for the board since `sinceIso` (the per-board limit). */
  async countFor(boardId: string, email: string, sinceIso: string): Promise<number> {
    return (await this.sql.value<number>(
      'SELECT count(*) FROM board_invitations WHERE board_id = ? AND lower(email) = lower(?) AND created_at > ?', boardId, email, sinceIso))!;
  }
}
