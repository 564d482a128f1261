// The store's one way to speak SQL (Step 9): the same asynchronous calls on SQLite (sqlite-sql.ts) and on
// PostgreSQL (pg-sql.ts), so each aggregate's SQL is written once. SQL uses `?` for parameters (PostgreSQL's
// driver numbers them) and the subset both engines share; where they differ an aggregate asks `dialect`.
// Column aliases in camelCase are quoted ("oldestMs"): PostgreSQL folds unquoted names to lower case.

export type SqlDialect = 'sqlite' | 'postgres';

export type SqlParam = string | number | bigint | boolean | null | Buffer;

export interface Sql {
  readonly dialect: SqlDialect;

  /** The first row, or undefined when there is none. */
  one<Row>(text: string, ...params: SqlParam[]): Promise<Row | undefined>;

  /** Every row. */
  all<Row>(text: string, ...params: SqlParam[]): Promise<Row[]>;

  /** The first column of the first row, or undefined when there is no row. */
  value<Value>(text: string, ...params: SqlParam[]): Promise<Value | undefined>;

  /** The first column of every row. */
  column<Value>(text: string, ...params: SqlParam[]): Promise<Value[]>;

  /** Runs a statement; answers how many rows it changed. */
  run(text: string, ...params: SqlParam[]): Promise<number>;

  /**
   * Runs `work` as one transaction: all of its statements, and those of every store call it awaits, or
   * none. Inside another transaction it becomes a savepoint: undone alone when it throws.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
}

/** `?, ?, ?` for an IN list of `count` values (at least one: `IN ()` is not SQL everywhere). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
