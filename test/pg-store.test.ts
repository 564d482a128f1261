// Wami on PostgreSQL (Step 9): two instances on one database, each with its own change bus connection,
// as behind a load balancer. A session made on one works on the other; a change made through one wakes
// a page held on the other; both show the same board. PostgreSQL down at start: a clear message, exit 3.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { PostgresBus } from '../server/live/pg-bus.js';
import { PostgresStore } from '../server/store/pg-store.js';
import { Browser, boardPath, createBoard, signUp } from './helpers/browser.js';
import { freePort } from './helpers/ports.js';
import { startPostgres } from './helpers/postgres.js';

async function instance(t: Test, url: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-pg-app-'));
  const store = await PostgresStore.connect(url);
  const bus = new PostgresBus(url);
  await bus.start();
  const app = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: process.env.TEST_LOG ?? 'false' }), store, bus });
  t.teardown(async () => {
    await app.close();
    await bus.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { app, store };
}

const waitUrl = (html: string) => /http-equiv="refresh" content="\d+;url=([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';

t.test('two instances on one PostgreSQL share sessions, boards and live pages', async (t) => {
  const postgres = await startPostgres(t);
  const a = await instance(t, postgres.url);
  const b = await instance(t, postgres.url);

  const alice = await signUp(a.app, 'alice');
  let board = await createBoard(alice, 'Shared');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  const where = boardPath(board);
  const onB = new Browser(b.app);
  for (const [name, value] of alice.cookies) onB.cookies.set(name, value);
  const seenOnB = await onB.get(where);
  t.equal(seenOnB.status, 200, 'the session made on A works on B');
  t.match(seenOnB.text, 'Signed in as alice');
  t.match(seenOnB.text, 'To do', 'B shows the list made through A');

  const held = onB.get(waitUrl(seenOnB.body));
  await new Promise((resolve) => setTimeout(resolve, 200)); // the wait is held on B
  const started = Date.now();
  await alice.submit(await alice.get(where), '/cards', { title: 'Made on A' });
  const woken = await held;
  t.ok(Date.now() - started < 1000, `B's held page answered within a second of A's change (${Date.now() - started} ms)`);
  t.match(woken.text, 'Made on A', 'with the card made through A');

  const card = (await b.store.cards.faces((await b.store.boards.byId(where.split('/')[2]!))!.id)).find((c) => c.title === 'Made on A');
  t.ok(card, 'B reads the card from the shared database');
  t.match((await a.app.inject({ url: '/healthz' })).body, 'ok');
});

t.test('PostgreSQL down at start: the server says so, without the password, and exits 3', async (t) => {
  const port = await freePort(); // nothing listens there
  const entry = path.resolve('server/main.ts');
  const child = spawn(process.execPath, ['--import=tsx', entry], {
    env: { ...process.env, WAMI_DATABASE_URL: `postgres://wami:s3cret@127.0.0.1:${port}/wami`, WAMI_PORT: '0', WAMI_LOG: 'false',
      WAMI_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'wami-pg-down-')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.equal(code, 3);
  t.match(output, `wami: cannot reach PostgreSQL at postgres://wami:***@127.0.0.1:${port}/wami`);
  t.notMatch(output, 's3cret');
});
