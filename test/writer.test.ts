// Group commit (store/writer.ts, web/commit-gate.ts): the writes of one turn of the event loop share a
// commit; a failing operation is undone alone; nothing is answered before it is on disk, as a second
// connection to the file sees it; a lost batch fails every request in it and leaves nothing behind; a client
// that sends its form slowly holds up no one.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { Store } from '../server/store/index.js';
import { CommitFailed } from '../server/store/writer.js';
import { listenApp, startApp } from './helpers/app.js';
import { createBoard, encode, formValues, signUp } from './helpers/browser.js';

function tempStore(t: Test, groupCommit = true) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-writer-'));
  const store = Store.open(dir, { groupCommit });
  const reader = new Database(path.join(dir, 'wami.db'), { readonly: true });
  t.teardown(() => {
    reader.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const usernames = () => reader.prepare('SELECT username FROM users ORDER BY username').pluck().all();
  return { store, usernames };
}

const user = (username: string) => ({ username, email: null, passwordHash: 'x' });

t.test('writes in one turn share one commit; a failing operation is undone alone', async (t) => {
  const { store, usernames } = tempStore(t);
  await store.writer.pending();
  const before = { ...store.writer.stats };
  await store.users.create(user('ann'));
  await t.rejects(store.sql.transaction(async () => {
    await store.users.create(user('carl'));
    throw new Error('changed my mind');
  }), /changed my mind/);
  await t.rejects(store.users.create(user('ann')), 'a second "ann" is refused');
  await store.users.create(user('bea'));
  t.same(usernames(), [], 'another connection sees nothing before the commit');
  t.ok(store.writer.pending(), 'a commit is pending');
  await store.writer.pending();
  t.same(usernames(), ['ann', 'bea'], 'after it: the two good writes, not the undone ones');
  t.equal(store.writer.stats.commits - before.commits, 1, 'one commit for all of them');
  t.equal(store.writer.pending(), null);
});

t.test('without grouping (WAMI_GROUP_COMMIT=false), every write commits by itself', async (t) => {
  const { store, usernames } = tempStore(t, false);
  await store.users.create(user('ann'));
  t.same(usernames(), ['ann'], 'visible at once');
  t.equal(store.writer.pending(), null);
});

t.test('a batch SQLite cannot keep (disk full) fails whole: nothing of it is stored', async (t) => {
  const { store, usernames } = tempStore(t);
  await store.writer.pending();
  const pages = store.db.pragma('page_count', { simple: true }) as number;
  store.db.pragma(`max_page_count = ${pages + 2}`);
  await store.users.create(user('dan'));
  // A table without triggers: with none, SQLite has no statement journal and undoes the whole transaction
  // (a write with triggers would be undone alone, and the batch go on).
  t.throws(() => store.db.prepare("INSERT INTO settings (key, value) VALUES ('fat', ?)").run('x'.repeat(200_000)),
    { code: 'SQLITE_FULL' });
  await t.rejects(store.users.create(user('eve')), { name: 'CommitFailed' }, 'a later write in the same turn is refused too');
  await t.rejects(store.writer.pending()!, CommitFailed);
  t.same(usernames(), [], 'dan, whose write came first, is not stored either');
  store.db.pragma('max_page_count = 1073741823');
  await store.users.create(user('fay'));
  await store.writer.pending();
  t.same(usernames(), ['fay'], 'the next batch commits');
});

t.test('over HTTP: no answer leaves before its write is on disk', async (t) => {
  const onDisk: boolean[] = [];
  let reader: Database.Database | undefined;
  const { app, store, url, dataDir } = await listenApp(t, { WAMI_GROUP_COMMIT: 'true' }, (app) => {
    // Runs after the commit gate: by now a second connection must see the card the request made.
    app.addHook('onSend', async (request, reply, payload) => {
      const title = (request.body as { title?: unknown } | undefined)?.title;
      if (request.method === 'POST' && reply.statusCode === 303 && typeof title === 'string' && title.startsWith('Burst ')) {
        onDisk.push(reader!.prepare('SELECT count(*) FROM cards WHERE title = ?').pluck().get(title) === 1);
      }
      return payload;
    });
  });
  reader = new Database(path.join(dataDir, 'wami.db'), { readonly: true });
  t.teardown(() => reader!.close());
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Burst');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  const { form, values } = formValues(board, '/cards');
  // How many writes share a commit depends on when requests arrive (a client in this very process waits
  // while the server commits): npm run bench measures it with separate clients.
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${url}${form.attr('action')}`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: alice.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    body: encode({ ...values, title: `Burst ${i}` }),
  })));
  t.same(answers.map((a) => a.status), Array(40).fill(303));
  t.equal(onDisk.length, 40);
  t.ok(onDisk.every(Boolean), 'each card was on disk before its 303 left');
  t.equal(store.db.prepare("SELECT count(*) FROM cards WHERE title LIKE 'Burst %'").pluck().get(), 40);
});

t.test('over HTTP: a database another process holds gives 503, then works again; reads go on', async (t) => {
  const { app, store, dataDir } = await startApp(t, { WAMI_GROUP_COMMIT: 'true' });
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Busy');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  store.db.pragma('busy_timeout = 100');
  const other = new Database(path.join(dataDir, 'wami.db'));
  t.teardown(() => other.close());
  other.exec('BEGIN IMMEDIATE');
  const { form, values } = formValues(board, '/cards');
  const post = (title: string) => app.inject({ method: 'POST', url: form.attr('action')!,
    headers: { cookie: alice.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, payload: encode({ ...values, title }) });
  const refused = await post('While busy');
  t.equal(refused.statusCode, 503);
  t.equal(refused.headers['retry-after'], '5');
  t.match(refused.body, 'Nothing was saved');
  t.equal((await alice.get(board.url)).status, 200, 'the board page is still served');
  other.exec('ROLLBACK');
  t.equal((await post('After')).statusCode, 303);
  t.same(store.db.prepare('SELECT title FROM cards').pluck().all(), ['After'], 'only the second card is stored');
});

t.test('over HTTP and the API: a full disk gives 507 and stores nothing; reads go on', async (t) => {
  const { app, store } = await startApp(t, { WAMI_GROUP_COMMIT: 'true' });
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Full');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  const card = await alice.submit(board, '/cards', { title: 'Notes' });
  const login = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'correct horse battery' } });
  const token = login.json<{ token: string }>().token;
  await store.writer.pending();
  const pages = store.db.pragma('page_count', { simple: true }) as number;
  store.db.pragma(`max_page_count = ${pages}`);

  const cardPage = await alice.get(card.$('div.card > a').attr('href')!);
  const answer = await alice.submit(cardPage, '/comments', { comment: 'long '.repeat(3_000) });
  t.equal(answer.status, 507);
  t.match(answer.text, 'Server disk full');
  t.equal(store.db.prepare('SELECT count(*) FROM comments').pluck().get(), 0, 'no comment stored');
  t.equal((await alice.get(board.url)).status, 200, 'the board page is still served');

  const boardId = store.db.prepare('SELECT id FROM boards').pluck().get() as string;
  const listId = store.db.prepare('SELECT id FROM lists').pluck().get() as string;
  const api = await app.inject({ method: 'POST', url: `/api/boards/${boardId}/lists/${listId}/cards`,
    headers: { authorization: `Bearer ${token}` }, payload: { title: 'Big', description: 'x'.repeat(60_000) } });
  t.equal(api.statusCode, 507);
  t.equal(api.json<{ statusCode: number }>().statusCode, 507, 'in WeKan\'s error body');
  t.same(store.db.prepare('SELECT title FROM cards').pluck().all(), ['Notes'], 'no card half-made');
  store.db.pragma('max_page_count = 1073741823');
});

t.test('a client that sends its form slowly holds no write: others are answered meanwhile', async (t) => {
  const { app, store, url } = await listenApp(t, { WAMI_GROUP_COMMIT: 'true' });
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Slow');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  const { form, values } = formValues(board, '/cards');
  const body = (title: string) => encode({ ...values, title });
  const slowBody = body('Slow card');
  // Half the body now, the rest later: the request cannot write until it has all of it.
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`POST ${form.attr('action')} HTTP/1.1\r\nHost: x\r\nCookie: ${alice.cookieHeader()}\r\n`
    + `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(slowBody)}\r\n\r\n${slowBody.slice(0, 20)}`);
  const answered: string[] = [];
  socket.on('data', (chunk) => answered.push(chunk.toString('latin1')));
  const quick = await Promise.all([1, 2, 3].map((i) => fetch(`${url}${form.attr('action')}`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: alice.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, body: body(`Quick ${i}`),
  })));
  t.same(quick.map((a) => a.status), [303, 303, 303], 'the other posts are answered while the slow one is still sending');
  t.equal(store.writer.pending(), null, 'and committed: no batch waits for the slow client');
  t.same(answered, [], 'the slow client has no answer yet');
  socket.write(slowBody.slice(20));
  for (let i = 0; i < 50 && !answered.join('').includes('\r\n\r\n'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  t.match(answered.join(''), /^HTTP\/1\.1 303/, 'once its body is all there, it is answered too');
  socket.destroy();
  t.same(store.db.prepare('SELECT title FROM cards ORDER BY title').pluck().all(), ['Quick 1', 'Quick 2', 'Quick 3', 'Slow card']);
});
