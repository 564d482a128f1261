// The asynchronous SQL calls (server/store/sql.ts) on each engine Wami runs on, for tests that must pass
// on both: SQLite in a temp folder (with group commit) and a real PostgreSQL started for the test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import { PgSql } from '../../server/store/pg-sql.js';
import type { Sql } from '../../server/store/sql.js';
import { Store } from '../../server/store/index.js';
import { startPostgres } from './postgres.js';

export interface SqlStore {
  name: string;
  /** Makes an empty, migrated database for one test and its calls. */
  open(t: Test): Promise<Sql>;
}

export const sqlStores: SqlStore[] = [
  {
    name: 'SQLite',
    async open(t) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-sql-'));
      const store = Store.open(dir);
      t.teardown(() => {
        store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      });
      return store.sql;
    },
  },
  {
    name: 'PostgreSQL',
    async open(t) {
      const postgres = await startPostgres(t);
      const sql = PgSql.connect(postgres.url);
      t.teardown(() => sql.close());
      await sql.migrate();
      return sql;
    },
  },
];

/** Adds a user row as the tests need one (accounts themselves are made by their own store). */
export async function addUser(sql: Sql, id: string, username = id, loginDisabled = 0): Promise<void> {
  await sql.run(`INSERT INTO users (id, username, password_hash, login_disabled, created_at, modified_at)
    VALUES (?, ?, 'x', ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    id, username, loginDisabled);
}
