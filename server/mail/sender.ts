// The background sender of the mail outbox (Step 10). It wakes when a mail is queued (after its
// transaction commits) and when a retry is due, claims each due mail (several instances share the
// outbox) and hands it to the SMTP server with nodemailer. A mail server that is down or refuses delays
// the mail, never a page: the try fails, and the mail waits twice as long as the time before (from
// WAMI_MAIL_RETRY_MS up to an hour), ATTEMPTS tries in all, then it is kept as failed.
import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/index.js';
import type { WaitingMail } from '../store/outbox.js';

export const ATTEMPTS = 12;
const LONGEST_WAIT_MS = 60 * 60 * 1000;
/** How long a sender holds a mail it took: far longer than one try (each socket step times out sooner). */
const LEASE_MS = 5 * 60 * 1000;
const TIMEOUT_MS = 30_000;
/** Mails handed over at once. */
const PARALLEL = 4;

export interface MailOptions {
  smtpUrl: string;
  from: string;
  retryMs: number;
  log: FastifyBaseLogger;
}

export class MailSender {
  private readonly transport: Transporter;
  private running = false;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store, private readonly options: MailOptions) {
    this.transport = nodemailer.createTransport(
      { url: options.smtpUrl, connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS },
      { from: options.from },
    );
  }

  /** Something may be waiting: send it (at once if idle, else right after the round under way). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.current = this.run();
  }

  /** No new rounds; answers when the round under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
    this.transport.close();
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        for (;;) {
          const due = await this.store.outbox.due(Date.now(), PARALLEL);
          if (due.length === 0 || this.stopped) break;
          await Promise.all(due.map((mail) => this.send(mail)));
        }
      } while (this.again && !this.stopped);
    } catch (error) {
      this.options.log.error({ err: error }, 'mail sender stopped a round');
    } finally {
      this.running = false;
    }
    if (!this.stopped) await this.scheduleNext();
  }

  /** Wakes when the earliest retry is due. */
  private async scheduleNext(): Promise<void> {
    clearTimeout(this.timer);
    const next = await this.store.outbox.nextDueMs().catch(() => undefined);
    if (next === undefined) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }

  private async send(mail: WaitingMail): Promise<void> {
    const { outbox } = this.store;
    if (!await outbox.claim(mail, Date.now() + LEASE_MS)) return; // another instance sends it
    try {
      await this.transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.body,
        // RFC 3834: an automatic mail; vacation responders should not answer it
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      await outbox.sent(mail.id);
    } catch (error) {
      const attempt = mail.attempts + 1;
      const wait = Math.min(this.options.retryMs * 2 ** (attempt - 1), LONGEST_WAIT_MS);
      const reason = (error as Error).message;
      await outbox.failedAttempt(mail.id, reason, attempt >= ATTEMPTS ? null : Date.now() + wait);
      this.options.log.warn({ mailId: mail.id, kind: mail.kind, attempt, reason }, 'a mail could not be sent');
    }
  }
}
