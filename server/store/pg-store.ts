// The store on PostgreSQL (Step 9): the same aggregates over a pool of connections, for several Wami
// instances behind a load balancer. PostgreSQL gathers concurrent commits itself, so there is no writer.
import type { BoardSnapshot } from './board-export.js';
import { Store } from './index.js';
import { PostgresBoardSnapshot } from './pg-board-export.js';
import { PgSql, redacted } from './pg-sql.js';

/** PostgreSQL did not answer at start (down, unreachable, refused the login): the service retries later. */
export class DatabaseUnreachable extends Error {
  override name = 'DatabaseUnreachable';
}

export class PostgresStore extends Store {
  readonly writer = null;
  private closed = false;

  constructor(readonly pg: PgSql) {
    super(pg);
  }

  /** Connects to the database at `url` (postgres://…) and applies the migrations it has not seen. */
  static async connect(url: string, poolSize?: number, statementTimeoutMs?: number): Promise<PostgresStore> {
    const sql = PgSql.connect(url, poolSize, statementTimeoutMs);
    try {
      await sql.value('SELECT 1');
    } catch (error) {
      await sql.close();
      throw new DatabaseUnreachable(`cannot reach PostgreSQL at ${redacted(url)}: ${(error as Error).message}`);
    }
    try {
      await sql.migrate();
    } catch (error) {
      await sql.close();
      throw error;
    }
    return new PostgresStore(sql);
  }

  async describe(): Promise<{ engine: string; schema: number }> {
    // "15.14 (Debian 15.14-0+deb12u1)": the number is what an admin compares
    const version = (await this.pg.value<string>('SHOW server_version'))?.split(' ')[0];
    const schema = await this.pg.value<number>('SELECT max(version) FROM schema_migrations');
    return { engine: `PostgreSQL ${version}`, schema: schema ?? 0 };
  }

  boardSnapshot(boardId: string): BoardSnapshot {
    return new PostgresBoardSnapshot(this.pg.pool, boardId);
  }

  protected get open(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pg.close();
  }
}
