// A real Wami on a real SQLite file in a temp folder, torn down with the test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { Store, type SqliteStore } from '../../server/store/index.js';
import { PostgresStore } from '../../server/store/pg-store.js';
import { freshDatabase } from './postgres.js';

export interface TestApp {
  app: FastifyInstance;
  store: SqliteStore;
  config: Config;
  dataDir: string;
  /**
   * Another store on the same database, as a second instance, a restart or the CLI would open it (on
   * SQLite each of its writes committed by itself); closed with the test.
   */
  reopen(): Promise<SqliteStore>;
  /** The settings another process (the CLI) needs to open this store: WAMI_DATA, and WAMI_DATABASE_URL on PostgreSQL. */
  storeEnv: Record<string, string>;
}

/**
 * A store alone (no app) on the engine under test: SQLite in a temp folder, or (WAMI_TEST_STORE=postgres)
 * a fresh PostgreSQL database; closed and removed with the test.
 */
export async function storeUnderTest(t: Test): Promise<Store> {
  if (!onPostgres) return tempStore(t).store;
  const store = await PostgresStore.connect(await freshDatabase());
  t.teardown(() => store.close());
  return store;
}

/** A store alone (no app) on a real SQLite file in a temp folder, closed and removed with the test. */
export function tempStore(t: Test): { store: SqliteStore; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-store-'));
  const store = Store.open(dir);
  t.teardown(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { store, dir };
}

/**
 * The store a test app runs on: SQLite in its data folder, or with WAMI_TEST_STORE=postgres a fresh
 * database in a PostgreSQL started for the test process (the suite on the second engine). Such a run has
 * no `store.db`: a test that reads SQLite directly fails there, and says so.
 */
async function testStore(config: Config): Promise<{ store: SqliteStore; open(): Promise<SqliteStore>; env: Record<string, string> }> {
  if (!onPostgres) {
    // another opener commits each write by itself, as the CLI does: its writes are on disk once answered
    const open = async () => Store.open(config.dataDir, { groupCommit: false });
    return { store: Store.open(config.dataDir, { groupCommit: config.groupCommit }), open, env: { WAMI_DATA: config.dataDir } };
  }
  const url = await freshDatabase();
  const open = async () => await PostgresStore.connect(url) as unknown as SqliteStore;
  return { store: await open(), open, env: { WAMI_DATA: config.dataDir, WAMI_DATABASE_URL: url } };
}

/** The suite runs on PostgreSQL (WAMI_TEST_STORE=postgres): tests of SQLite's own machinery skip. */
export const onPostgres = process.env.WAMI_TEST_STORE === 'postgres';

export async function startApp(t: Test, env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-test-'));
  const config = loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: process.env.TEST_LOG ?? 'false', ...env });
  const { store, open, env: storeEnv } = await testStore(config);
  const app = await buildApp({ config, store });
  t.teardown(async () => {
    await app.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const reopen = async () => {
    const other = await open();
    t.teardown(() => other.close());
    return other;
  };
  return { app, store, config, dataDir, reopen, storeEnv };
}

/** The same, listening on a loopback port, for tests that speak raw HTTP or drive real browsers.
 *  `prepare` may add hooks before the server starts (a request log, say). */
export async function listenApp(t: Test, env: Record<string, string> = {}, prepare?: (app: FastifyInstance) => void)
  : Promise<TestApp & { url: string }> {
  const started = await startApp(t, env);
  prepare?.(started.app);
  await started.app.listen({ port: 0, host: '127.0.0.1' });
  const address = started.app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  return { ...started, url: `http://127.0.0.1:${address.port}` };
}

/** `items.map(make)` for asynchronous `make`, one after another (store writes keep their order). */
export async function inOrder<T, R>(items: readonly T[], make: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const made: R[] = [];
  for (const [index, item] of items.entries()) made.push(await make(item, index));
  return made;
}
