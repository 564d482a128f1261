// Wami on PostgreSQL (Step 9): two instances on one database, each with its own change bus connection,
// as behind a load balancer. A session made on one works on the other; a change made through one wakes
// a page held on the other; both show the same board. PostgreSQL going away while they run: 503 pages
// that retry, then back by themselves with nothing half-written. Writes that decide from what they read
// wait for each other; a write stuck behind a lock is given up. The command line there. PostgreSQL down
// at start: a clear message, exit 3. (test/instances.test.ts runs them as processes behind Caddy.)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import t, { type Test } from 'tap';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { PostgresBus } from '../server/live/pg-bus.js';
import { openConfiguredStore } from '../server/store/open.js';
import { PostgresStore } from '../server/store/pg-store.js';
import { DatabaseUnavailable } from '../server/store/sql.js';
import { storageFailure } from '../server/web/errors.js';
import { hashToken } from '../server/web/session.js';
import { Browser, boardPath, createBoard, signUp } from './helpers/browser.js';
import { wami } from './helpers/cli.js';
import { freePort } from './helpers/ports.js';
import { startPostgres } from './helpers/postgres.js';
import { validateHtml } from './helpers/validate.js';

async function instance(t: Test, url: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-pg-app-'));
  const store = await openConfiguredStore(loadConfig({ WAMI_DATABASE_URL: url, WAMI_DATABASE_POOL: '4' })) as PostgresStore;
  const bus = new PostgresBus(url);
  await bus.start();
  const app = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: process.env.TEST_LOG ?? 'false' }), store, bus });
  t.teardown(async () => {
    await app.close();
    await bus.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { app, store, bus };
}

const waitUrl = (html: string) => /http-equiv="refresh" content="\d+;url=([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';

t.test('two instances on one PostgreSQL share sessions, boards and live pages', async (t) => {
  const postgres = await startPostgres(t);
  const a = await instance(t, postgres.url);
  const b = await instance(t, postgres.url);
  t.equal(a.store.pg.pool.options.max, 4, 'the pool has WAMI_DATABASE_POOL connections');

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

/** Asks `check` every 100 ms until it holds, for at most `ms`; answers whether it came to hold. */
async function eventually(check: () => Promise<boolean> | boolean, ms = 15000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

t.test('PostgreSQL down while running: 503 pages that retry by themselves, then back with nothing half-written', async (t) => {
  const postgres = await startPostgres(t);
  const a = await instance(t, postgres.url);
  const b = await instance(t, postgres.url);
  const alice = await signUp(a.app, 'alice');
  let board = await createBoard(alice, 'Weather');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Before the outage' });
  const where = boardPath(board);
  const login = await a.app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'correct horse battery' } });
  const token = login.json().token as string;
  const boardId = where.split('/')[2]!;

  // A transaction between two statements when PostgreSQL goes: its connection's error must not end the process.
  let resume = () => {};
  const paused = new Promise<void>((resolve) => { resume = resolve; });
  const cutOff = a.store.atomically(async () => {
    await a.store.sql.run('UPDATE boards SET title = ? WHERE id = ?', 'Half-written', boardId);
    await paused;
    await a.store.sql.value('SELECT 1');
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  postgres.stop();
  await new Promise((resolve) => setTimeout(resolve, 200));
  resume();
  await t.rejects(cutOff, DatabaseUnavailable, 'a transaction cut off between two statements fails as DatabaseUnavailable');
  const down = await alice.get(where);
  t.equal(down.status, 503, 'a board page while PostgreSQL is down: 503');
  t.match(down.text, 'Database unavailable');
  t.equal(down.headers['retry-after'], '5');
  t.match(down.body, /<meta http-equiv="refresh" content="5">/, 'the page tries again by itself');
  t.equal(down.$(`a[href="${where}"]`).text(), 'Try again', 'and links to itself');
  const validation = await validateHtml(down.body, 'database-unavailable');
  t.ok(validation.valid, `the 503 page is valid HTML 4.01 ${validation.report}`);
  const refused = await alice.submit(board, '/cards', { title: 'During the outage' });
  t.equal(refused.status, 503, 'a new card while PostgreSQL is down: 503');
  t.notMatch(refused.body, 'http-equiv="refresh"', 'a refused form post is not sent again by itself');
  const api = await a.app.inject({ url: `/api/boards/${boardId}/lists`, headers: { authorization: `Bearer ${token}` } });
  t.equal(api.statusCode, 503, 'the API answers 503 too');
  t.equal(api.json().statusCode, 503);
  t.equal((await a.app.inject({ url: '/healthz' })).statusCode, 503, 'the health check says so');
  t.ok(await eventually(() => !b.bus.listening, 5000), 'the change bus noticed the connection is gone');

  postgres.start();
  t.ok(await eventually(async () => (await alice.get(where)).status === 200), 'the board page comes back by itself');
  const back = await alice.get(where);
  t.match(back.text, 'Before the outage', 'what was stored before is there');
  t.notMatch(back.text, 'During the outage', 'the refused card was not stored');
  t.match(back.text, 'Weather', 'the cut-off transaction was undone: the board keeps its title');
  t.ok(await eventually(() => b.bus.listening), 'the change bus reconnected by itself');

  const onB = new Browser(b.app);
  for (const [name, value] of alice.cookies) onB.cookies.set(name, value);
  const held = onB.get(waitUrl((await onB.get(where)).body));
  await new Promise((resolve) => setTimeout(resolve, 200));
  await alice.submit(back, '/cards', { title: 'After the outage' });
  t.match((await held).text, 'After the outage', "a page held on B wakes for A's change again");
});

t.test('concurrent writes on PostgreSQL decide from what they read one after another, as on SQLite', async (t) => {
  const postgres = await startPostgres(t);
  const store = await PostgresStore.connect(postgres.url, 20);
  t.teardown(() => store.close());

  const firsts = await Promise.all(['ann', 'ben', 'cat', 'dan'].map((username) =>
    store.users.create({ username, email: `${username}@example.org`, passwordHash: 'x' })));
  t.equal(firsts.filter((user) => user.isAdmin).length, 1, 'four first sign-ups at once: exactly one becomes site admin');

  const [ann, ben] = firsts as [typeof firsts[0], typeof firsts[0]];
  const board = await store.boards.create(ann.id, 'Race');
  const list = await store.lists.create(ann.id, board.id, 'To do');
  const swimlaneId = (await store.swimlanes.forBoard(board.id, false))[0]!.id;
  const cards = [];
  for (let i = 0; i < 20; i++) cards.push(await store.cards.create(ann.id, { boardId: board.id, listId: list.id, swimlaneId, title: `card ${i}` }));
  // Each of 20 moves at once puts its card on top: each must see the others' moves, or two get one sort.
  await Promise.all(cards.map((card) =>
    store.cards.move(ann.id, board.id, [card.id], { listId: list.id, swimlaneId, placement: { at: 'top' } })));
  const sorts = await store.sql.column<number>('SELECT sort FROM cards WHERE board_id = ?', board.id);
  t.equal(new Set(sorts).size, 20, '20 cards moved to the top at once: 20 different places');

  await store.members.add(ann.id, board.id, 'ben', 'admin');
  const demotions = await Promise.allSettled([
    store.members.setRole(ann.id, board.id, ben.id, 'normal'),
    store.members.setRole(ben.id, board.id, ann.id, 'normal'),
  ]);
  t.equal(demotions.filter((d) => d.status === 'rejected').length, 1, 'two admins demoting each other at once: one is refused');
  const admins = (await store.members.forBoard(board.id)).filter((m) => m.role === 'admin');
  t.equal(admins.length, 1, 'the board keeps an admin');
});

t.test('a write stuck behind a lock nobody releases is cancelled at the time limit: 503, nothing written', async (t) => {
  const postgres = await startPostgres(t);
  const store = await PostgresStore.connect(postgres.url, 2, 300);
  t.teardown(() => store.close());
  const user = await store.users.create({ username: 'ann', email: null, passwordHash: 'x' });
  const board = await store.boards.create(user.id, 'Stuck');
  const list = await store.lists.create(user.id, board.id, 'To do');
  const swimlaneId = (await store.swimlanes.forBoard(board.id, false))[0]!.id;
  // Another session holds the board's row, as a hung client's open transaction would.
  const holder = new pg.Client({ connectionString: postgres.url });
  await holder.connect();
  t.teardown(() => holder.end());
  await holder.query('BEGIN');
  await holder.query('SELECT 1 FROM boards WHERE id = $1 FOR UPDATE', [board.id]);
  const started = Date.now();
  const stuck = await store.cards.create(user.id, { boardId: board.id, listId: list.id, swimlaneId, title: 'Never' }).catch((error: unknown) => error);
  t.ok(Date.now() - started < 5000, `given up after the limit (${Date.now() - started} ms)`);
  t.equal(storageFailure(stuck)?.status, 503, 'answered 503 (server busy)');
  await holder.query('ROLLBACK');
  t.equal(await store.sql.value('SELECT count(*) FROM cards'), 0, 'nothing of it was written');
});

t.test('the command line on PostgreSQL: accounts and check work there, backup and restore point to pg_dump', async (t) => {
  const postgres = await startPostgres(t);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-pg-cli-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = { WAMI_DATABASE_URL: postgres.url };
  t.equal((await wami(dataDir, ['create-admin', 'root', 'root@example.org'], 'a long password\n', env)).code, 0, 'create-admin');
  const store = await PostgresStore.connect(postgres.url);
  t.teardown(() => store.close());
  t.equal((await store.users.byUsername('root'))?.isAdmin, 1, 'the admin is in PostgreSQL');
  t.notOk(fs.existsSync(path.join(dataDir, 'wami.db')), 'and no SQLite file was made');
  const made = await wami(dataDir, ['create-token', 'root'], '', env);
  t.equal(made.code, 0);
  t.equal(await store.apiTokens.userOf(hashToken(made.stdout.trim())).then((user) => user?.username), 'root', 'create-token');
  const checked = await wami(dataDir, ['check'], '', env);
  t.equal(checked.code, 0, 'check');
  t.match(checked.stdout, 'PostgreSQL checks its own pages');
  for (const command of ['backup', 'restore']) {
    const refused = await wami(dataDir, [command, path.join(dataDir, 'copy')], '', env);
    t.equal(refused.code, 2, `${command} is refused`);
    t.match(refused.stderr, 'pg_dump');
  }
  postgres.stop();
  const down = await wami(dataDir, ['create-token', 'root'], '', env);
  t.equal(down.code, 3, 'PostgreSQL down: exit 3');
  t.match(down.stderr, 'cannot reach PostgreSQL');
  postgres.start();
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
