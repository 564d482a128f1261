// The store's SQL calls on SQLite (better-sqlite3). Statements run at once and answer through an already
// settled promise; only transactions need care. A transaction's statements are awaited one by one, so the
// one connection would otherwise let another request's statement run inside it (and be undone with it, or
// commit it half-done). So while a transaction runs, other statements and transactions wait for its end;
// its own (and those of the store calls it awaits: AsyncLocalStorage knows them) go ahead.
//
// Writes still join the group commit (writer.ts): a transaction is a savepoint in the open batch, counted
// as one operation, as the synchronous db.transaction() of the older aggregates is.
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import type { Sql, SqlParams } from './sql.js';
import type { Writer } from './writer.js';

/** The outermost transaction running now; `ended` settles when it has. */
interface Running {
  ended: Promise<void>;
  /** What to run once it commits (when it is not part of a group-commit batch). */
  committed: Map<string, () => void>;
}

/** What a piece of async work knows about the transaction it runs in. */
interface Inside {
  running: Running;
  depth: number;
}

export class SqliteSql implements Sql {
  readonly dialect = 'sqlite';
  readonly jsonTexts = 'SELECT value FROM json_each(?)';
  private readonly inside = new AsyncLocalStorage<Inside>();
  private running: Running | null = null;
  /** What to run once the open group-commit batch is on disk, and which batch that is. */
  private afterBatch = new Map<string, () => void>();
  private afterBatchOf: Promise<void> | null = null;

  /** Asked on every board page (the access memory): compiled once, its pluck set once (no other code prepares it). */
  private readonly totalChanges: Database.Statement;

  constructor(private readonly db: Db, private readonly writer: Writer) {
    this.totalChanges = db.prepare('SELECT total_changes()').pluck(true);
  }

  one<Row>(text: string, ...params: SqlParams): Promise<Row | undefined> {
    return this.whenFree(() => this.db.prepare(text).get(...params) as Row | undefined);
  }

  all<Row>(text: string, ...params: SqlParams): Promise<Row[]> {
    return this.whenFree(() => this.db.prepare(text).all(...params) as Row[]);
  }

  value<Value>(text: string, ...params: SqlParams): Promise<Value | undefined> {
    return this.whenFree(() => this.db.prepare(text).pluck().get(...params) as Value | undefined);
  }

  column<Value>(text: string, ...params: SqlParams): Promise<Value[]> {
    return this.whenFree(() => this.db.prepare(text).pluck().all(...params) as Value[]);
  }

  run(text: string, ...params: SqlParams): Promise<number> {
    return this.whenFree(() => this.db.prepare(text).run(...params).changes);
  }

  changeCount(): number {
    return this.totalChanges.get() as number;
  }

  lock(): Promise<void> {
    return Promise.resolve(); // one connection, one transaction at a time: nobody to wait for
  }

  afterCommit(key: string, listener: () => void): void {
    const batch = this.writer.pending();
    if (batch) {
      if (this.afterBatchOf !== batch) {
        const listeners = new Map<string, () => void>();
        this.afterBatch = listeners;
        this.afterBatchOf = batch;
        batch.then(() => { for (const run of listeners.values()) run(); }, () => {}); // a lost batch announces nothing
      }
      if (!this.afterBatch.has(key)) this.afterBatch.set(key, listener);
      return;
    }
    const inside = this.inside.getStore();
    if (inside && inside.running === this.running) {
      if (!inside.running.committed.has(key)) inside.running.committed.set(key, listener);
      return;
    }
    queueMicrotask(listener);
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    const inside = this.inside.getStore();
    if (inside && inside.running === this.running) return this.savepoint(inside.running, inside.depth + 1, work);
    while (this.running) await this.running.ended;
    let end!: () => void;
    const running: Running = { ended: new Promise<void>((resolve) => { end = resolve; }), committed: new Map() };
    this.running = running;
    let result: T;
    try {
      result = await this.savepoint(running, 1, work);
    } finally {
      this.running = null;
      end();
    }
    for (const run of running.committed.values()) run();
    return result;
  }

  /** Runs the statement now, or after the transaction that is running (unless it is part of it). */
  private whenFree<T>(statement: () => T): Promise<T> {
    const running = this.running;
    if (running && this.inside.getStore()?.running !== running) return running.ended.then(() => this.whenFree(statement));
    try {
      return Promise.resolve(statement());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private async savepoint<T>(running: Running, depth: number, work: () => Promise<T>): Promise<T> {
    const name = `wami_${depth}`;
    this.writer.join(); // begins the batch (or joins it) and counts one operation
    this.writer.depth++;
    try {
      this.db.prepare(`SAVEPOINT ${name}`).run(); // without a batch (group commit off) this begins a transaction
      let result: T;
      try {
        result = await this.inside.run({ running, depth }, work);
      } catch (error) {
        if (this.db.inTransaction) {
          this.db.prepare(`ROLLBACK TO ${name}`).run();
          this.db.prepare(`RELEASE ${name}`).run();
        }
        throw error;
      }
      try {
        this.db.prepare(`RELEASE ${name}`).run(); // the outermost one commits, when there is no batch
      } catch (error) {
        // a commit that failed (SQLITE_BUSY, a full disk) leaves the transaction open: undo it all
        if (depth === 1 && !this.writer.pending() && this.db.inTransaction) this.db.prepare('ROLLBACK').run();
        throw error;
      }
      return result;
    } catch (error) {
      this.writer.noteFailure(error);
      throw error;
    } finally {
      this.writer.depth--;
    }
  }
}
