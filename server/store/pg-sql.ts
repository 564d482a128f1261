// The store's SQL calls on PostgreSQL (node-postgres, a pool of connections). A statement outside any
// transaction takes whichever connection is free; a transaction holds one connection from BEGIN to
// COMMIT, and AsyncLocalStorage hands it to every statement the transaction's work awaits, however deep
// in the store it is made. Group commit is PostgreSQL's own business: it flushes concurrent commits'
// WAL together.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import { migrationsDir } from '../paths.js';
import { migrationFiles, SchemaTooNewError, type Migration } from './db.js';
import { DatabaseUnavailable, type Sql, type SqlParam, type SqlParams } from './sql.js';

/**
 * PostgreSQL's migrations in order: the whole schema as of SQLite's 15 (nobody has an older PostgreSQL
 * Wami), then one twin per later SQLite migration, with its number.
 */
export function postgresMigrations(): Migration[] {
  return migrationFiles(path.join(migrationsDir, 'postgres'), 15);
}

/** The connection of the transaction a piece of work runs in, how deeply nested it is, and what to run after its commit. */
interface Inside {
  client: pg.PoolClient;
  depth: number;
  committed: Map<string, () => void>;
  /**
   * The transaction's last statement: the next one starts after it. A connection runs one query at a
   * time; work that starts two at once (Promise.all) has them queued here, not in node-postgres, which
   * warns of that and will refuse it in pg 9.
   */
  turn: { last: Promise<unknown> };
}

const BIGINT = 20;
const NUMERIC = 1700;

/**
 * Counts (BIGINT) and sums (NUMERIC) come back as numbers, as they do from SQLite, not as strings: no
 * count or size Wami keeps comes near 2^53.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === BIGINT || oid === NUMERIC ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Errors that mean "PostgreSQL is not there just now" rather than "this statement is wrong": SQLSTATE class
 * 08 (connection exception), 57P01-57P03 (shutting down, crashed, starting), 53300 (too many connections),
 * the socket's own errors, and node-postgres's messages for a connection that ended or never came.
 */
export function isConnectionLoss(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (/^08|^57P0[123]$|^53300$/.test(code)
    || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code))) return true;
  return typeof message === 'string'
    && /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(message);
}

/** `error` as DatabaseUnavailable when it is a lost connection; otherwise as it is. */
function classified(error: unknown): unknown {
  return !(error instanceof DatabaseUnavailable) && isConnectionLoss(error) ? new DatabaseUnavailable(error) : error;
}

/** A connection taken from the pool for a while; `release` gives it back (or closes it, if it broke). */
export interface HeldConnection {
  client: pg.PoolClient;
  release(broken?: Error): void;
}

/**
 * Takes a connection from the pool for a transaction, a snapshot or the migrations. node-postgres takes
 * its error listener off a connection while it is out of the pool, so a connection PostgreSQL drops
 * between two statements would emit 'error' to nobody, which ends the process. This one listens until it
 * is given back; one that broke is closed then, not reused.
 */
export async function checkOut(pool: pg.Pool): Promise<HeldConnection> {
  const client = await pool.connect().catch((error: unknown) => { throw classified(error); });
  let lost: Error | undefined;
  const listener = (error: Error) => { lost = error; };
  client.on('error', listener);
  return {
    client,
    release(broken) {
      client.removeListener('error', listener);
      client.release(broken ?? lost);
    },
  };
}

/** A statement's text as PostgreSQL wants it, and the names of its `@name` parameters in their order. */
interface Numbered {
  text: string;
  names: string[];
}

/**
 * `?` and `@name` parameters numbered as PostgreSQL wants them ($1, $2…; each name once); a `?` or `@`
 * inside quotes is left alone.
 */
export function numberParameters(text: string): Numbered {
  let out = '';
  const names: string[] = [];
  let n = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === quote) quote = null;
      out += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      out += char;
    } else if (char === '?') {
      out += `$${++n}`;
    } else if (char === '@' && /\w/.test(text[i + 1] ?? '')) {
      const name = /^\w+/.exec(text.slice(i + 1))![0];
      if (!names.includes(name)) names.push(name);
      out += `$${names.indexOf(name) + 1}`;
      i += name.length;
    } else {
      out += char;
    }
  }
  return { text: out, names };
}

export class PgSql implements Sql {
  readonly dialect = 'postgres';
  readonly jsonTexts = 'SELECT jsonb_array_elements_text(?::jsonb)';
  private readonly inside = new AsyncLocalStorage<Inside>();
  /** Numbered texts of the SQL seen (a fixed set, but IN lists vary in length). */
  private readonly numbered = new LRUCache<string, Numbered>({ max: 2000 });

  constructor(readonly pool: pg.Pool) {}

  /**
   * A pool for the database at `url` (postgres://…), with the type parsers the store expects. A request
   * waits at most 5 s for a connection (unreachable host, pool exhausted) before it is answered 503,
   * and a statement runs at most 30 s (one stuck behind a lock nobody releases is cancelled: 503, not a
   * request that never ends; Wami's statements take milliseconds).
   * An idle connection that broke (PostgreSQL restarted) is dropped and told to `onIdleConnectionLost`;
   * the pool opens new ones when asked, so the server comes back by itself.
   */
  static connect(url: string, size = 10, statementTimeoutMs = 30_000): PgSql {
    const sql = new PgSql(new pg.Pool({
      connectionString: url, max: size, types, connectionTimeoutMillis: 5000, keepAlive: true, statement_timeout: statementTimeoutMs,
    }));
    // Without a listener an idle connection's error would end the process.
    sql.pool.on('error', (error) => sql.onIdleConnectionLost(error));
    return sql;
  }

  /** Hears of idle connections that broke; the server sets it to its log. */
  onIdleConnectionLost: (error: Error) => void = () => {};

  async one<Row>(text: string, ...params: SqlParams): Promise<Row | undefined> {
    return (await this.query(text, params)).rows[0] as Row | undefined;
  }

  async all<Row>(text: string, ...params: SqlParams): Promise<Row[]> {
    return (await this.query(text, params)).rows as Row[];
  }

  async value<Value>(text: string, ...params: SqlParams): Promise<Value | undefined> {
    return ((await this.query(text, params, 'array')).rows[0] as unknown[] | undefined)?.[0] as Value | undefined;
  }

  async column<Value>(text: string, ...params: SqlParams): Promise<Value[]> {
    return ((await this.query(text, params, 'array')).rows as unknown[][]).map((row) => row[0] as Value);
  }

  async run(text: string, ...params: SqlParams): Promise<number> {
    return (await this.query(text, params)).rowCount ?? 0;
  }

  changeCount(): null {
    return null; // other instances write too: nothing in this process can tell
  }

  async lock(key: string): Promise<void> {
    // A transaction-scoped advisory lock on a 64-bit hash of the key: released by COMMIT or ROLLBACK.
    await this.query('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
  }

  afterCommit(key: string, listener: () => void): void {
    const inside = this.inside.getStore();
    if (!inside) queueMicrotask(listener);
    else if (!inside.committed.has(key)) inside.committed.set(key, listener);
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    const inside = this.inside.getStore();
    if (inside) return this.savepoint(inside, work);
    const held = await checkOut(this.pool);
    const client = held.client;
    let broken: Error | undefined;
    const transaction: Inside = { client, depth: 1, committed: new Map(), turn: { last: Promise.resolve() } };
    try {
      await client.query('BEGIN');
      const result = await this.inside.run(transaction, work);
      await this.inTurn(transaction, () => client.query('COMMIT'));
      for (const run of transaction.committed.values()) run();
      return result;
    } catch (error) {
      // after any statement the work left running (a Promise.all that failed early)
      await this.inTurn(transaction, () => client.query('ROLLBACK')).catch((lost: Error) => { broken = lost; });
      throw classified(error);
    } finally {
      held.release(broken); // a connection that could not even roll back is closed, not reused
    }
  }

  /** Applies PostgreSQL's migrations that the database has not seen, one transaction each. */
  async migrate(): Promise<number> {
    const held = await checkOut(this.pool);
    const client = held.client;
    try {
      // Two instances starting together: the second waits, then finds nothing left to do.
      await client.query("SELECT pg_advisory_lock(hashtext('wami-migrations'))");
      const known = await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS known");
      const applied = new Set<number>(known.rows[0].known
        ? (await client.query('SELECT version FROM schema_migrations')).rows.map((row: { version: number }) => row.version) : []);
      const migrations = postgresMigrations();
      const latest = migrations.at(-1)!.version;
      const newest = Math.max(0, ...applied);
      if (newest > latest) throw new SchemaTooNewOnPostgres(newest, latest);
      for (const migration of migrations.filter((m) => !applied.has(m.version))) {
        await client.query('BEGIN');
        try {
          await client.query(fs.readFileSync(migration.file, 'utf8'));
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
      return latest;
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('wami-migrations'))").catch(() => {});
      held.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private query(text: string, params: SqlParams, rowMode?: 'array'): Promise<pg.QueryResult> {
    let numbered = this.numbered.get(text);
    if (numbered === undefined) {
      numbered = numberParameters(text);
      this.numbered.set(text, numbered);
    }
    const inside = this.inside.getStore();
    const named = params.length === 1 && params[0] !== null && typeof params[0] === 'object' && !Buffer.isBuffer(params[0])
      ? params[0] as Record<string, SqlParam> : null;
    const values: unknown[] = named ? numbered.names.map((name) => named[name] ?? null) : params;
    const config: pg.QueryConfig = { text: numbered.text, values };
    if (rowMode) (config as pg.QueryArrayConfig).rowMode = rowMode;
    const ran = inside ? this.inTurn(inside, () => inside.client.query(config)) : this.pool.query(config);
    return ran.catch((error: unknown) => { throw classified(error); });
  }

  /** Runs `statement` on the transaction's connection once its previous statement has ended. */
  private inTurn<T>(inside: Inside, statement: () => Promise<T>): Promise<T> {
    const ran = inside.turn.last.then(statement, statement);
    inside.turn.last = ran.catch(() => {});
    return ran;
  }

  private async savepoint<T>(inside: Inside, work: () => Promise<T>): Promise<T> {
    const depth = inside.depth + 1;
    const name = `wami_${depth}`;
    await this.inTurn(inside, () => inside.client.query(`SAVEPOINT ${name}`));
    try {
      const result = await this.inside.run({ ...inside, depth }, work);
      await this.inTurn(inside, () => inside.client.query(`RELEASE SAVEPOINT ${name}`));
      return result;
    } catch (error) {
      await this.inTurn(inside, () => inside.client.query(`ROLLBACK TO SAVEPOINT ${name}`));
      throw error;
    }
  }
}

/** The database was migrated by a newer Wami than this one. */
export class SchemaTooNewOnPostgres extends SchemaTooNewError {
  constructor(readonly found: number, readonly known: number) {
    super(`the PostgreSQL database has schema ${found} but this Wami knows only ${known}: run a newer Wami, or restore a backup`);
  }
}

/** The URL without its password, for messages and logs. */
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'that URL';
  }
}
