// Group commit. SQLite with synchronous=FULL waits for the disk at every commit; one commit per request
// would make the disk the limit at a few hundred writes a second. So the connection gathers the writes of
// a burst of requests into one transaction: the first write in a turn of the event loop begins it, every
// write of the requests handled in that turn joins it (each store operation in its own savepoint, so one
// that fails is undone alone), and it commits when the turn ends. Requests are answered only after the
// commit that holds their writes (web/commit-gate.ts): nothing is acknowledged before it is on disk.
//
// Writes are found where they run: every statement that is not read-only, and every db.transaction()
// call, joins the open batch first. Nothing else in the store needs to know.
import type Database from 'better-sqlite3';
import type { Db } from './db.js';

/** The batch could not be committed (or SQLite itself undid it); none of its writes are stored. */
export class CommitFailed extends Error {
  override name = 'CommitFailed';
  constructor(readonly reason: unknown) {
    super(`the write batch was not committed: ${reason instanceof Error ? reason.message : String(reason)}`);
  }

  /** SQLite's code for why (SQLITE_BUSY, SQLITE_FULL, SQLITE_IOERR…), when it gave one. */
  get code(): string | undefined {
    const code = (this.reason as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
  }
}

interface Batch {
  /** Settles when the batch is committed (or fails with CommitFailed). */
  done: Promise<void>;
  resolve: () => void;
  reject: (error: CommitFailed) => void;
  /** Write operations run in it: transactions, and statements outside any. */
  operations: number;
  /** Set when SQLite undid the whole transaction under us (a full disk, say): later writes must not run. */
  broken: CommitFailed | null;
}

/** What a committed batch held: its write operations, and how long COMMIT (the fsync) took. */
export interface CommittedBatch {
  operations: number;
  seconds: number;
}

export interface CommitStats {
  /** Batches committed, and the write operations they held. */
  commits: number;
  operations: number;
  /** Batches that failed, every write in them undone. */
  failures: number;
  /** Time spent in COMMIT (the fsync), in milliseconds. */
  commitMs: number;
  /** The largest batch so far, in operations. */
  largest: number;
}

export class Writer {
  private batch: Batch | null = null;
  /** How deep inside a db.transaction() the current write is: statements within one count as one operation. */
  depth = 0;
  private readonly committedListeners: ((batch: CommittedBatch) => void)[] = [];
  private readonly failedListeners: ((error: CommitFailed) => void)[] = [];
  readonly stats: CommitStats = { commits: 0, operations: 0, failures: 0, commitMs: 0, largest: 0 };

  /** Compiled once: a batch begins and ends hundreds of times a second. */
  private readonly begin: Database.Statement;
  private readonly end: Database.Statement;
  private readonly undo: Database.Statement;

  /** `grouped` false: every write commits by itself, as SQLite does by default (kept for comparison). */
  constructor(private readonly db: Db, readonly grouped = true) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.end = db.prepare('COMMIT');
    this.undo = db.prepare('ROLLBACK');
  }

  /** Before a write: join the open batch, or begin one that commits at the end of this event-loop turn. */
  join(): void {
    if (!this.grouped) return;
    const batch = this.batch;
    if (batch) {
      if (batch.broken) throw batch.broken;
      if (!this.db.inTransaction) throw this.breakBatch(batch, new Error('SQLite ended the transaction'));
      if (this.depth === 0) batch.operations++;
      return;
    }
    if (this.db.inTransaction) return; // a transaction opened by hand (migrations): it commits itself
    this.begin.run();
    let resolve!: () => void;
    let reject!: (error: CommitFailed) => void;
    const done = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
    done.catch(() => {}); // awaited by the requests that wrote; a batch nobody awaits must not crash the process
    this.batch = { done, resolve, reject, operations: 1, broken: null };
    setImmediate(() => this.commit());
  }

  /** After a write threw: if SQLite rolled the whole transaction back (disk full, I/O error), the batch is lost. */
  noteFailure(error: unknown): void {
    const batch = this.batch;
    if (batch && !batch.broken && !this.db.inTransaction) this.breakBatch(batch, error);
  }

  /** Settles once every write made so far is on disk; null when there is nothing to wait for. */
  pending(): Promise<void> | null {
    return this.batch?.done ?? null;
  }

  /** Runs `listener` after each batch's commit, with its size and the time COMMIT took (grouped writes only). */
  onCommitted(listener: (batch: CommittedBatch) => void): void {
    this.committedListeners.push(listener);
  }

  /** Runs `listener` when a batch is lost: whatever was read from it (caches) must be forgotten. */
  onFailed(listener: (error: CommitFailed) => void): void {
    this.failedListeners.push(listener);
  }

  /** Commits the open batch now (the end of the turn, or before the database closes). */
  commit(): void {
    const batch = this.batch;
    if (!batch) return;
    // An asynchronous transaction (sqlite-sql.ts) waits for something other than SQLite: not in its middle.
    if (this.depth > 0) {
      setImmediate(() => this.commit());
      return;
    }
    this.batch = null;
    if (batch.broken) return this.fail(batch, batch.broken);
    const started = performance.now();
    try {
      this.end.run();
    } catch (error) {
      if (this.db.inTransaction) this.undo.run();
      return this.fail(batch, new CommitFailed(error));
    }
    const commitMs = performance.now() - started;
    this.stats.commitMs += commitMs;
    this.stats.commits++;
    this.stats.operations += batch.operations;
    this.stats.largest = Math.max(this.stats.largest, batch.operations);
    batch.resolve();
    for (const listener of this.committedListeners) listener({ operations: batch.operations, seconds: commitMs / 1000 });
  }

  private breakBatch(batch: Batch, reason: unknown): CommitFailed {
    batch.broken = reason instanceof CommitFailed ? reason : new CommitFailed(reason);
    return batch.broken;
  }

  private fail(batch: Batch, error: CommitFailed): void {
    this.stats.failures++;
    batch.reject(error);
    for (const listener of this.failedListeners) listener(error);
  }
}

/** Makes every write on `db` join the writer's batch first: statements that change data, and transactions. */
export function routeWritesThrough(db: Db, writer: Writer): void {
  const prepare = db.prepare.bind(db);
  const routed = new WeakSet<Database.Statement>();
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    if (!statement.readonly && !routed.has(statement)) {
      for (const method of ['run', 'get', 'all', 'iterate'] as const) {
        const original = statement[method] as (...args: unknown[]) => unknown;
        (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          writer.join();
          try {
            return original.apply(statement, args);
          } catch (error) {
            writer.noteFailure(error);
            throw error;
          }
        };
      }
      routed.add(statement);
    }
    return statement;
  }) as Db['prepare'];

  const transaction = db.transaction.bind(db);
  db.transaction = ((work: (...args: unknown[]) => unknown) => {
    const inTransaction = transaction(work);
    const joined = (...args: unknown[]) => {
      writer.join();
      writer.depth++;
      try {
        return inTransaction(...args);
      } catch (error) {
        writer.noteFailure(error);
        throw error;
      } finally {
        writer.depth--;
      }
    };
    return Object.assign(joined, inTransaction);
  }) as Db['transaction'];
}
