// Drains a queue kept in the database (webhook deliveries, the mail outbox) in the background: woken by
// `kick` when something was queued, it takes what is due, a few at a time, handles each, and when
// nothing is due sleeps until the earliest retry. Requests never wait for it. What the queue is and how
// an item is handled (claimed, sent, retried) is the owner's business.
import type { FastifyBaseLogger } from 'fastify';

/** Tries an item gets before it is kept as failed. */
export const ATTEMPTS = 12;
const LONGEST_WAIT_MS = 60 * 60 * 1000;

/**
 * When to try again after a failed try: each wait twice the one before, from `firstWaitMs` up to an hour;
 * null once the `attempts` made (this one included) reach ATTEMPTS: give up.
 */
export function nextTryMs(attempts: number, firstWaitMs: number, nowMs = Date.now()): number | null {
  if (attempts >= ATTEMPTS) return null;
  return nowMs + Math.min(firstWaitMs * 2 ** (attempts - 1), LONGEST_WAIT_MS);
}

export interface Queue<Item> {
  /** Items due now, at most `limit`. */
  due(nowMs: number, limit: number): Promise<Item[]>;
  /** When the next waiting item is due (ms since the epoch), if one waits. */
  nextDueMs(): Promise<number | undefined>;
  /** Handles one item; failures are the handler's to record (it never throws for them). */
  handle(item: Item): Promise<void>;
}

export class QueueRunner<Item> {
  private running = false;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> = Promise.resolve();

  /** `name` says which queue in the log; `parallel` items are handled at once. */
  constructor(private readonly queue: Queue<Item>, private readonly parallel: number,
    private readonly log: FastifyBaseLogger, private readonly name: string) {}

  /** Something may be waiting: handle it (at once if idle, else right after the round under way). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.current = this.run();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** No new rounds; answers when the round under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        for (;;) {
          const due = await this.queue.due(Date.now(), this.parallel);
          if (due.length === 0 || this.stopped) break;
          await Promise.all(due.map((item) => this.queue.handle(item)));
        }
      } while (this.again && !this.stopped);
    } catch (error) {
      this.log.error({ err: error }, `${this.name} stopped a round`);
    } finally {
      this.running = false;
    }
    if (!this.stopped) await this.scheduleNext();
  }

  /** Wakes when the earliest retry is due. */
  private async scheduleNext(): Promise<void> {
    clearTimeout(this.timer);
    const next = await this.queue.nextDueMs().catch(() => undefined);
    if (next === undefined) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }
}
