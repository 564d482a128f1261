// The background sender of the mail outbox (Step 10). It wakes when a mail is queued (after its
// transaction commits) and when a retry is due, claims each due mail (several instances share the
// outbox) and hands it to the SMTP server with nodemailer. A mail server that is down or refuses delays
// the mail, never a page: the try fails, and the mail waits twice as long as the time before (from
// WAMI_MAIL_RETRY_MS up to an hour), ATTEMPTS tries in all, then it is kept as failed.
import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/index.js';
import type { WaitingMail } from '../store/outbox.js';
import { nextTryMs, QueueRunner } from '../background/queue-runner.js';

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
  private readonly runner: QueueRunner<WaitingMail>;

  constructor(private readonly store: Store, private readonly options: MailOptions) {
    this.transport = nodemailer.createTransport(
      { url: options.smtpUrl, connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS },
      { from: options.from },
    );
    this.runner = new QueueRunner({
      due: (nowMs, limit) => store.outbox.due(nowMs, limit),
      nextDueMs: () => store.outbox.nextDueMs(),
      handle: (mail) => this.send(mail),
    }, PARALLEL, options.log, 'mail sender');
  }

  /** Something may be waiting: send it (at once if idle, else right after the round under way). */
  kick(): void {
    this.runner.kick();
  }

  /** No new rounds; answers when the round under way has finished. */
  async stop(): Promise<void> {
    await this.runner.stop();
    this.transport.close();
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
      const reason = (error as Error).message;
      await outbox.failedAttempt(mail.id, reason, nextTryMs(attempt, this.options.retryMs));
      this.options.log.warn({ mailId: mail.id, kind: mail.kind, attempt, reason }, 'a mail could not be sent');
    }
  }
}
