// The notification rounds (Step 10): every WAMI_MAIL_ROUND_MS (a minute), remind people of cards due within a day and send the
// notifications held for a daily summary or gathered from a batch of moves. The work is in the
// database's state (reminder marks, held rows), so a round missed while the server was down is made up
// by the next, and two instances doing rounds side by side send each mail once.
import type { FastifyBaseLogger } from 'fastify';
import type { Notifications } from './notifications.js';

export class MailRounds {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly notifications: Notifications, private readonly everyMs: number, private readonly log: FastifyBaseLogger) {}

  /** One round as of `nowMs`: due reminders first, so that a summary going out now carries them. */
  async run(nowMs = Date.now()): Promise<{ reminded: number; sent: number }> {
    const reminded = await this.notifications.remindDue(nowMs);
    const sent = await this.notifications.sendHeld(nowMs);
    return { reminded, sent };
  }

  /** A round every `everyMs` from now on (the first after one wait: nothing at start is that urgent). */
  start(): void {
    const round = () => {
      this.current = this.current.then(() => this.run()).then(() => {},
        (error: unknown) => this.log.warn({ err: error }, 'a notification round failed; the next tries again'));
    };
    this.timer = setInterval(round, this.everyMs);
    this.timer.unref();
  }

  /** No new rounds; answers when the one under way has finished. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.current;
  }
}
