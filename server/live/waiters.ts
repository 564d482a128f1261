// Held long-poll requests ("waiters"), by board. A waiter is a small record and a promise: no timer of
// its own (one sweep a second ends those past their deadline, oldest first), no rendering until it
// wakes. A closed connection drops its waiter at once. The board's watchers ("who is here") are read
// from the same records, so presence costs no writes.
import type { ChangeBus } from './bus.js';

/** Why a wait ended: the board changed, time ran out, the server is stopping, or the client left. */
export type WakeReason = 'changed' | 'timeout' | 'closing' | 'gone';

export interface Watcher {
  userId: string | null;
  username: string | null;
}

interface Waiter extends Watcher {
  boardId: string;
  since: number;
  deadline: number;
  wake: (reason: WakeReason) => void;
}

interface BoardWaiters {
  waiters: Set<Waiter>;
  /** Held waits per signed-in name, and anonymous ones: "who is here" without walking the waiters. */
  names: Map<string, number>;
  visitors: number;
  unsubscribe: () => void;
}

export class TooManyWaitersError extends Error {
  override name = 'TooManyWaitersError';
}

export interface WaiterOptions {
  /** How long a wait is held without a change before it answers anyway. */
  timeoutMs: number;
  /** The most waiters held at once; past it, new waits are refused (503). */
  max: number;
  /** How often the sweep looks for waiters past their deadline. */
  sweepMs?: number;
}

export class WaiterRegistry {
  private readonly boards = new Map<string, BoardWaiters>();
  /** Who was watching when the board's waiters were woken: one answer for the whole burst (kept for that turn). */
  private readonly wokenWatchers = new Map<string, { usernames: string[]; visitors: number; total: number }>();
  /** Every waiter in the order it came, so the sweep stops at the first one still in time. */
  private readonly queue = new Set<Waiter>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly bus: ChangeBus,
    private readonly options: WaiterOptions,
  ) {
    this.sweeper = setInterval(() => this.sweep(), options.sweepMs ?? 1000);
    this.sweeper.unref();
  }

  get size(): number {
    return this.queue.size;
  }

  /**
   * Holds until the board passes version `since` ('changed'), the timeout ('timeout') or shutdown
   * ('closing'). `onCancel` receives the function to call when the connection closes ('gone').
   */
  wait(boardId: string, since: number, who: Watcher, onCancel: (cancel: () => void) => void): Promise<WakeReason> {
    if (this.queue.size >= this.options.max) throw new TooManyWaitersError(`${this.queue.size} waiters are held`);
    return new Promise<WakeReason>((resolve) => {
      const waiter: Waiter = {
        ...who, boardId, since, deadline: Date.now() + this.options.timeoutMs,
        wake: (reason) => {
          this.drop(waiter);
          resolve(reason);
        },
      };
      this.queue.add(waiter);
      // The sweep keeps the process alive only while a wait is held (it will be answered).
      if (this.queue.size === 1) this.sweeper.ref();
      const entry = this.forBoard(boardId);
      entry.waiters.add(waiter);
      if (waiter.username) entry.names.set(waiter.username, (entry.names.get(waiter.username) ?? 0) + 1);
      else entry.visitors++;
      onCancel(() => waiter.wake('gone'));
    });
  }

  /** Who was watching when the board's waiters were last woken (what their fresh pages say). */
  watchersAtWake(boardId: string): { usernames: string[]; visitors: number; total: number } {
    return this.wokenWatchers.get(boardId) ?? this.watchers(boardId);
  }

  /** Who is watching the board now: signed-in people once each, and how many anonymous visitors. */
  watchers(boardId: string): { usernames: string[]; visitors: number; total: number } {
    const entry = this.boards.get(boardId);
    if (!entry) return { usernames: [], visitors: 0, total: 0 };
    return { usernames: [...entry.names.keys()].sort(), visitors: entry.visitors, total: entry.waiters.size };
  }

  /** Answers every waiter (server shutdown) and stops the sweep. */
  close(): void {
    clearInterval(this.sweeper);
    for (const waiter of [...this.queue]) waiter.wake('closing');
  }

  private forBoard(boardId: string): BoardWaiters {
    let entry = this.boards.get(boardId);
    if (!entry) {
      const waiters = new Set<Waiter>();
      entry = {
        waiters,
        names: new Map(),
        visitors: 0,
        unsubscribe: this.bus.subscribe(boardId, (version) => {
          this.wokenWatchers.set(boardId, this.watchers(boardId));
          for (const waiter of [...waiters]) if (version > waiter.since) waiter.wake('changed');
          // The woken pages render in the microtasks right after this; then the snapshot goes, so the
          // map never holds more boards than are being woken at this moment.
          setImmediate(() => this.wokenWatchers.delete(boardId));
        }),
      };
      this.boards.set(boardId, entry);
    }
    return entry;
  }

  private drop(waiter: Waiter): void {
    if (!this.queue.delete(waiter)) return;
    if (this.queue.size === 0) this.sweeper.unref();
    const entry = this.boards.get(waiter.boardId);
    if (!entry) return;
    entry.waiters.delete(waiter);
    if (waiter.username) {
      const left = (entry.names.get(waiter.username) ?? 1) - 1;
      if (left > 0) entry.names.set(waiter.username, left);
      else entry.names.delete(waiter.username);
    } else {
      entry.visitors--;
    }
    if (entry.waiters.size === 0) {
      entry.unsubscribe();
      this.boards.delete(waiter.boardId);
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const waiter of this.queue) {
      if (waiter.deadline > now) break;
      waiter.wake('timeout');
    }
  }
}
