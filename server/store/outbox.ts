// Mail waiting to go out (Step 10): written inside the transaction that causes it, sent by the
// background sender (mail/sender.ts). The same claim as webhook deliveries: with several instances, each
// mail is sent by one of them.
import type { Sql } from './sql.js';
import { now } from './time.js';

export interface NewMail {
  to: string;
  subject: string;
  /** Plain text. */
  body: string;
  /** What it is for ('reset', 'invitation', …): rate limits count mails by kind. */
  kind: string;
}

export interface WaitingMail extends NewMail {
  id: number;
  attempts: number;
  /** When it became due: `claim` takes it only if no other sender has moved that since. */
  nextAttemptMs: number;
}

export class Outbox {
  /** Told after a mail is queued and its transaction committed: the sender wakes. */
  private listener: () => void = () => {};

  constructor(private readonly sql: Sql) {}

  onQueued(listener: () => void): void {
    this.listener = listener;
  }

  /** Queues a mail in the current transaction (or alone); it goes out once that commits. */
  async enqueue(mail: NewMail): Promise<void> {
    await this.sql.run(`INSERT INTO mail_outbox (to_address, subject, body, kind, next_attempt_ms, created_at)
      VALUES (?, ?, ?, ?, 0, ?)`, mail.to, mail.subject, mail.body, mail.kind, now());
    this.sql.afterCommit('mail', () => this.listener());
  }

  /** Mails due by `nowMs`, oldest first. */
  async due(nowMs: number, limit: number): Promise<WaitingMail[]> {
    return await this.sql.all<WaitingMail>(`SELECT id, to_address AS "to", subject, body, kind, attempts, next_attempt_ms AS "nextAttemptMs"
      FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_ms <= ? ORDER BY id LIMIT ?`, nowMs, limit);
  }

  /** When the next waiting mail is due (ms since the epoch), if one waits. */
  async nextDueMs(): Promise<number | undefined> {
    return (await this.sql.value<number | null>(
      'SELECT min(next_attempt_ms) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL')) ?? undefined;
  }

  /** Takes a due mail until `untilMs` unless another sender took it first (see Integrations.claim). */
  async claim(mail: WaitingMail, untilMs: number): Promise<boolean> {
    return await this.sql.run(
      'UPDATE mail_outbox SET next_attempt_ms = ? WHERE id = ? AND next_attempt_ms = ? AND sent_at IS NULL AND failed_at IS NULL',
      untilMs, mail.id, mail.nextAttemptMs) === 1;
  }

  async sent(id: number): Promise<void> {
    await this.sql.run('UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?', now(), id);
  }

  /** A try failed: again at `nextMs`, or (null) never, the mail kept as failed. */
  async failedAttempt(id: number, error: string, nextMs: number | null): Promise<void> {
    await this.sql.run(`UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_ms = coalesce(?, next_attempt_ms),
      failed_at = ? WHERE id = ?`, error.slice(0, 500), nextMs, nextMs === null ? now() : null, id);
  }

  /** How many mails of `kind` went (or wait to go) to `address` since `sinceIso`: for the rate limits. */
  async countTo(address: string, kind: string, sinceIso: string): Promise<number> {
    return (await this.sql.value<number>(
      'SELECT count(*) FROM mail_outbox WHERE to_address = ? AND kind = ? AND created_at > ?', address, kind, sinceIso))!;
  }

  /** Mails waiting and failed, for the admin's information page. */
  async counts(): Promise<{ waiting: number; failed: number }> {
    return (await this.sql.one<{ waiting: number; failed: number }>(`SELECT
        count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL) AS waiting,
        count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed FROM mail_outbox`))!;
  }

  /** Deletes mails sent or failed before `beforeIso` (the periodic sweep); how many went. */
  deleteSettledBefore(beforeIso: string): Promise<number> {
    return this.sql.run('DELETE FROM mail_outbox WHERE coalesce(sent_at, failed_at) < ?', beforeIso);
  }
}
