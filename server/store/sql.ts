// The store's one way to speak SQL (Step 9): the same asynchronous calls on SQLite (sqlite-sql.ts) and on
// PostgreSQL (pg-sql.ts), so each aggregate's SQL is written once. SQL uses `?` for parameters (PostgreSQL's
// driver numbers them), or `@name` with one object of values; and the subset both engines share; where they differ an aggregate asks `dialect`.
// Column aliases in camelCase are quoted ("oldestMs"): PostgreSQL folds unquoted names to lower case.

export type SqlDialect = 'sqlite' | 'postgres';

export type SqlParam = string | number | bigint | null | Buffer;

/** Parameters by position (`?`), or by name (`@name`) in one object. */
export type SqlParams = SqlParam[] | [Record<string, SqlParam>];

export interface Sql {
  readonly dialect: SqlDialect;

  /** A subquery of the texts in a JSON array given as one parameter: `id IN (${sql.jsonTexts})`. */
  readonly jsonTexts: string;

  /** The first row, or undefined when there is none. */
  one<Row>(text: string, ...params: SqlParams): Promise<Row | undefined>;

  /** Every row. */
  all<Row>(text: string, ...params: SqlParams): Promise<Row[]>;

  /** The first column of the first row, or undefined when there is no row. */
  value<Value>(text: string, ...params: SqlParams): Promise<Value | undefined>;

  /** The first column of every row. */
  column<Value>(text: string, ...params: SqlParams): Promise<Value[]>;

  /** Runs a statement; answers how many rows it changed. */
  run(text: string, ...params: SqlParams): Promise<number>;

  /**
   * Runs `work` as one transaction: all of its statements, and those of every store call it awaits, or
   * none. Inside another transaction it becomes a savepoint: undone alone when it throws.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;

  /**
   * A number that changes whenever this process writes, read without waiting (memories of hot reads
   * check it); null when the engine cannot tell, because other instances write too.
   */
  changeCount(): number | null;

  /**
   * Runs `listener` once what was written so far in this piece of work is committed (at once when it is),
   * and not at all if it is undone: live announcements start from there. One listener per `key` until
   * then (a transaction that changes a board ten times announces it once).
   */
  afterCommit(key: string, listener: () => void): void;

  /**
   * Inside a transaction: waits until no other transaction holds `key`, then holds it until this one
   * ends. Reads that decide a write (the next sort, the last admin) made after it cannot be overtaken by
   * another instance's write. SQLite has one writer at a time already: there it waits for nothing.
   */
  lock(key: string): Promise<void>;
}

/** `?, ?, ?` for an IN list of `count` values (at least one: `IN ()` is not SQL everywhere). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * The database server cannot be reached or dropped the connection (PostgreSQL down, restarting, out of
 * connections, or the network between): the request is answered 503 and may be tried again. A
 * transaction cut off this way is undone by the server, so nothing of it is half-written.
 */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
  constructor(override readonly cause: unknown) {
    super(`the database does not answer: ${(cause as Error | null)?.message ?? String(cause)}`);
  }
}
