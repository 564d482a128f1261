// Notifications held back before they go out (Step 10): for a person's daily summary, or for a minute
// so that twenty cards moved at once on a watched board make one mail. The mail rounds take what is due,
// a person's notifications together, and queue one mail for them in the same transaction.
import type { Sql } from './sql.js';
import { now } from './time.js';

/** A notification before it is addressed: sent alone, or gathered with others into one mail. */
export interface Notice {
  /** What it is about ('added', 'mention', 'due', 'watch'): the outbox keeps it with the mail. */
  kind: string;
  subject: string;
  /** Plain text, without the footer a mail gets. */
  body: string;
}

export interface HeldNotice extends Notice {
  userId: string;
  /** Held for the daily summary (else only for the next round). */
  digest: boolean;
}

export class HeldMail {
  constructor(private readonly sql: Sql) {}

  async hold(userId: string, notice: Notice, digest: boolean, sendAfterMs: number): Promise<void> {
    await this.sql.run('INSERT INTO mail_held (user_id, kind, subject, body, digest, send_after_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      userId, notice.kind, notice.subject, notice.body, digest ? 1 : 0, sendAfterMs, now());
  }

  /**
   * Takes (deletes) the notices due by `nowMs`, by person and in the order they were held. Call it inside
   * the transaction that queues their mails: a round on another instance then finds them gone.
   */
  async take(nowMs: number): Promise<HeldNotice[]> {
    const rows = await this.sql.all<Omit<HeldNotice, 'digest'> & { id: number; digest: 0 | 1 }>(`DELETE FROM mail_held WHERE send_after_ms <= ?
      RETURNING id, user_id AS "userId", kind, subject, body, digest`, nowMs);
    rows.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.id - b.id));
    return rows.map(({ id: _id, ...row }) => ({ ...row, digest: row.digest === 1 }));
  }

  /** How many notices wait for a person: shown on their profile. */
  async countFor(userId: string): Promise<number> {
    return (await this.sql.value<number>('SELECT count(*) FROM mail_held WHERE user_id = ?', userId))!;
  }
}
