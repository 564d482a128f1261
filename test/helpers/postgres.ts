// A throwaway PostgreSQL for a test: Debian's server binaries (package `postgresql`), a cluster made by
// initdb in a temp folder, listening on a free loopback port only, stopped and removed with the test.
// initdb and postgres refuse to run as root, so as root they run as the `postgres` user.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import pg from 'pg';
import { PostgresStore } from '../../server/store/pg-store.js';
import { freePort } from './ports.js';

export interface TestPostgres {
  /** postgres://… for the cluster's superuser and its `wami` database. */
  url: string;
  port: number;
  /** Stops the server, as a crash or an operator would (immediate mode); `start` brings it back. */
  stop(): void;
  start(): void;
}

/** The newest installed PostgreSQL's bin folder. */
function binaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('PostgreSQL is not installed: apt-get install postgresql (test/install.sh does)');
  return path.join(root, versions[0]!, 'bin');
}

export async function startPostgres(t: Test): Promise<TestPostgres> {
  const postgres = await startPostgresCluster();
  t.teardown(() => postgres.remove());
  return postgres;
}

/**
 * A cluster for the whole test process (WAMI_TEST_STORE=postgres), started once and removed at exit,
 * with `wami_template` migrated in it once.
 */
let shared: Promise<TestPostgres & { remove(): void }> | null = null;
let databases = 0;

/**
 * A new database in the process's cluster, migrated: each test app gets its own. It is a copy of the
 * template (CREATE DATABASE … TEMPLATE), which takes a fraction of the time migrating each one would.
 */
export async function freshDatabase(): Promise<string> {
  shared ??= startPostgresCluster({ durable: false }).then(async (postgres) => {
    process.once('exit', () => postgres.remove());
    await admin(postgres.url, 'CREATE DATABASE wami_template');
    const template = await PostgresStore.connect(postgres.url.replace(/\/wami$/, '/wami_template'), 1);
    await template.close();
    return postgres;
  });
  const postgres = await shared;
  const name = `wami_${++databases}`;
  await admin(postgres.url, `CREATE DATABASE ${name} TEMPLATE wami_template`);
  return postgres.url.replace(/\/wami$/, `/${name}`);
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A cluster of its own, for a benchmark or a test that manages it; `remove` stops it and deletes its
 * files, and so does a watcher when this process dies without removing it (killed by a test timeout).
 * `durable: false` turns fsync off, for the suite run on PostgreSQL, which checks behaviour, not crashes.
 */
export async function startPostgresCluster({ durable = true } = {}): Promise<TestPostgres & { remove(): void }> {
  const bin = binaries();
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]] as const : [path.join(bin, tool), args] as const;
    const result = spawnSync(command[0], command[1], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-pg-'));
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const start = () => run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=${durable ? 'on' : 'off'}`, 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  watchForOrphan(dir, asRoot ? `runuser -u postgres -- ${path.join(bin, 'pg_ctl')}` : path.join(bin, 'pg_ctl'));
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'wami']);
  const remove = () => {
    try {
      stop();
    } catch { /* already stopped */ }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/wami`, port, stop, start, remove };
}

/**
 * A shell that outlives this process only to stop the cluster in `dir` and delete it once this process
 * is gone without having done so (SIGKILL skips 'exit' handlers). Checks once a second.
 */
function watchForOrphan(dir: string, pgCtl: string): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; `
    + `[ -d ${dir}/data ] && ${pgCtl} -D ${dir}/data -m immediate stop >/dev/null 2>&1; rm -rf ${dir}`;
  spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}
