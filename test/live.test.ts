// Live boards without sockets: the long poll behind every board page's meta refresh.
import net from 'node:net';
import zlib from 'node:zlib';
import t from 'tap';
import { listenApp, startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

async function sharedBoard(app: Parameters<typeof signUp>[0]) {
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  let board = await createBoard(alice, 'Live');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: 'bob', role: 'normal' });
  return { alice, bob, path: boardPath(board) };
}

const refreshOf = (page: Page) => page.$('meta[http-equiv=refresh]').attr('content') ?? '';
const waitUrl = (page: Page) => refreshOf(page).replace(/^\d+;url=/, '');
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until the app holds `count` waits (each needs its session and board read first: on PostgreSQL, round trips). */
async function held(app: { waiters: { size: number } }, count: number): Promise<void> {
  for (let i = 0; i < 250 && app.waiters.size < count; i++) await settle(20);
}

/** Starts a request and reports whether it has answered yet. */
function pending(promise: Promise<Page>) {
  const state = { done: false, page: promise };
  promise.then(() => { state.done = true; }, () => { state.done = true; });
  return state;
}

t.test('a board page ends in a meta refresh into its wait URL with the version it shows', async (t) => {
  const { app, store } = await startApp(t);
  const { alice, path } = await sharedBoard(app);
  const page = await alice.get(path);
  const version = (await store.boards.byId(path.split('/')[2]!))!.version;
  t.equal(refreshOf(page), `2;url=${path}/wait?since=${version}`);
  t.match(page.text, /Refresh \(updated \d\d:\d\d:\d\d UTC\)/, 'a visible Refresh link and the time, for browsers without meta refresh');
  t.equal((await validateHtml(page.body, 'live-board')).valid, true);
});

t.test('a wait is held until another user changes the board, then shows the new card marked', async (t) => {
  const { app } = await startApp(t);
  const { alice, bob, path } = await sharedBoard(app);
  const waiting = pending(alice.get(waitUrl(await alice.get(path))));
  await settle(300);
  t.notOk(waiting.done, 'still held while nothing changes');
  t.equal(app.waiters.size, 1);
  await bob.submit(await bob.get(path), '/cards', { title: 'Fresh from bob' });
  const page = await waiting.page;
  t.equal(page.status, 200);
  const card = page.$('div.card').filter((_, d) => page.$(d).find('a').text() === 'Fresh from bob');
  t.equal(card.length, 1, 'the new card is there');
  t.ok(card.hasClass('changed'));
  t.equal(card.find('img').attr('alt'), '*', 'the mark reads as * in text browsers');
  t.match(card.text(), '(changed by bob)');
  t.match(refreshOf(page), /wait\?since=\d+$/, 'and the page again ends in a meta refresh');
  t.equal(app.waiters.size, 0);
  t.equal((await validateHtml(page.body, 'live-changed')).valid, true);
});

t.test('a wait with nothing happening answers with the same page after the timeout', async (t) => {
  const { app } = await startApp(t, { WAMI_WAIT_SECONDS: '1' });
  const { alice, path } = await sharedBoard(app);
  const before = await alice.get(path);
  const started = Date.now();
  const page = await alice.get(waitUrl(before));
  t.ok(Date.now() - started >= 900, 'held about the timeout');
  t.equal(page.status, 200);
  t.equal(refreshOf(page), refreshOf(before), 'the same version again');
  t.equal(page.$('div.card.changed').length, 0);
});

t.test('bad since values are answered at once; a wait on a board you cannot see is 404', async (t) => {
  const { app } = await startApp(t);
  const { alice, path } = await sharedBoard(app);
  for (const since of ['', 'abc', '-3', '1.5', '999999999999', '99999999999999999999']) {
    const started = Date.now();
    const page = await alice.get(`${path}/wait?since=${since}`);
    t.equal(page.status, 200, `since=${since}`);
    t.ok(Date.now() - started < 500, `since=${since} is not held`);
  }
  t.equal((await alice.get(`${path}/wait`)).status, 200, 'no since at all');
  const carol = await signUp(app, 'carol');
  t.equal((await carol.get(`${path}/wait?since=1`)).status, 404);
  t.equal(app.waiters.size, 0);
});

t.test('a closed connection drops its waiter at once', async (t) => {
  const { app, url } = await listenApp(t);
  const { alice, path } = await sharedBoard(app);
  const target = waitUrl(await alice.get(path));
  const cookie = [...alice.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\n\r\n`));
  for (let i = 0; i < 50 && app.waiters.size === 0; i++) await settle(20);
  t.equal(app.waiters.size, 1, 'held');
  socket.destroy();
  for (let i = 0; i < 50 && app.waiters.size > 0; i++) await settle(20);
  t.equal(app.waiters.size, 0, 'gone with its connection');
});

t.test('who is here: the board names the people whose waits are held', async (t) => {
  const { app } = await startApp(t);
  const { alice, bob, path } = await sharedBoard(app);
  t.match((await alice.get(path)).text, 'Nobody else is watching.');
  const bobWaits = pending(bob.get(waitUrl(await bob.get(path))));
  await held(app, 1);
  t.match((await alice.get(path)).text, 'Also here now: bob.');
  t.match((await bob.get(path)).text, 'Nobody else is watching.', 'you are not listed to yourself');
  await alice.submit(await alice.get(path), '/lists', { title: 'Wake bob' });
  await bobWaits.page;
});

t.test('an unchanged board answers If-None-Match with 304; a change gives a new ETag', async (t) => {
  const { app } = await startApp(t);
  const { alice, path } = await sharedBoard(app);
  const cookie = [...alice.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const first = await app.inject({ url: path, headers: { cookie } });
  const etag = String(first.headers.etag);
  t.match(etag, /^"[\w.-]+"$/);
  const again = await app.inject({ url: path, headers: { cookie, 'if-none-match': etag } });
  t.equal(again.statusCode, 304);
  t.equal(again.body, '');
  await alice.submit(await alice.get(path), '/cards', { title: 'New' });
  const changed = await app.inject({ url: path, headers: { cookie, 'if-none-match': etag } });
  t.equal(changed.statusCode, 200);
  t.not(changed.headers.etag, etag);
  const bobCookie = (await signUp(app, 'bob2')).cookies;
  const other = await app.inject({ url: '/', headers: { cookie: [...bobCookie].map(([k, v]) => `${k}=${v}`).join('; '), 'if-none-match': etag } });
  t.equal(other.statusCode, 200, 'an ETag is never another page');
});

t.test('a browser that accepts gzip gets the board page compressed, with its own ETag', async (t) => {
  const { app, store } = await startApp(t);
  const { alice, path } = await sharedBoard(app);
  await alice.submit(await alice.get(path), '/cards', { title: 'Jäätelö € 100' });
  const boardId = path.split('/')[2]!;
  const [list] = await store.lists.forBoard(boardId, false);
  const [swimlane] = await store.swimlanes.forBoard(boardId, false);
  const owner = (await store.users.byUsername('alice'))!;
  for (let i = 0; i < 40; i++) await store.cards.create(owner.id, { boardId, listId: list!.id, swimlaneId: swimlane!.id, title: `Card ${i}` });
  const cookie = [...alice.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const plain = await app.inject({ url: path, headers: { cookie } });
  const gzipped = await app.inject({ url: path, headers: { cookie, 'accept-encoding': 'gzip, deflate' } });
  t.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: plain bytes, as old browsers need');
  t.equal(gzipped.headers['content-encoding'], 'gzip');
  t.match(gzipped.headers.vary, /^Accept-Encoding\b/);
  t.match(plain.headers.vary, /^Accept-Encoding\b/, 'caches keep the two apart');
  const unpacked = zlib.gunzipSync(gzipped.rawPayload).toString('utf8');
  const withoutTime = (html: string) => html.replace(/\d\d:\d\d:\d\d/g, 'HH:MM:SS');
  t.equal(withoutTime(unpacked), withoutTime(plain.body), 'the same page, the viewer\'s own name and token included');
  t.match(unpacked, 'Jäätelö € 100');
  t.ok(gzipped.rawPayload.length < plain.rawPayload.length / 2, 'and much smaller');
  t.not(gzipped.headers.etag, plain.headers.etag, 'each encoding has its own ETag');
  const revalidated = await app.inject({ url: path, headers: { cookie, 'accept-encoding': 'gzip', 'if-none-match': String(gzipped.headers.etag) } });
  t.equal(revalidated.statusCode, 304);
  const crossed = await app.inject({ url: path, headers: { cookie, 'if-none-match': String(gzipped.headers.etag) } });
  t.equal(crossed.statusCode, 200, 'a plain request never gets a 304 for the gzip variant');
  const refused = await app.inject({ url: path, headers: { cookie, 'accept-encoding': 'gzip;q=0, identity' } });
  t.equal(refused.headers['content-encoding'], undefined, 'gzip;q=0 means no gzip');
});

t.test('many waiters on one change: each distinct page is rendered once', async (t) => {
  const { app } = await startApp(t);
  const { alice, bob, path } = await sharedBoard(app);
  const target = waitUrl(await alice.get(path));
  const waits = Array.from({ length: 20 }, () => pending(alice.get(target)));
  await held(app, 20);
  t.equal(app.waiters.size, 20);
  const bobsPage = await bob.get(path);
  const misses = app.pageCache.misses;
  await bob.submit(bobsPage, '/cards', { title: 'One change' });
  const pages = await Promise.all(waits.map((w) => w.page));
  t.ok(pages.every((p) => p.status === 200 && p.text.includes('One change')));
  // bob's own page after his post, and the 20 waiters' shared page: two renders, not twenty-one
  t.ok(app.pageCache.misses - misses <= 2, `rendered ${app.pageCache.misses - misses} times`);
  const tokens = new Set(pages.map((p) => p.$('input[name=csrf]').first().attr('value')));
  t.equal(tokens.size, 1, 'the same viewer gets their own token in the shared page');
  t.equal(pages[0]!.$('input[name=csrf]').first().attr('value'), (await alice.get('/')).$('input[name=csrf]').attr('value'));
});

t.test('the page cache keeps WAMI_PAGE_CACHE pages, dropping the least recently used', async (t) => {
  const { app } = await startApp(t, { WAMI_PAGE_CACHE: '2' });
  const alice = await signUp(app, 'alice');
  const paths = [];
  for (const title of ['One', 'Two', 'Three']) paths.push(boardPath(await createBoard(alice, title)));
  const [one, two, three] = paths as [string, string, string];
  const rendersFor = async (path: string) => {
    const before = app.pageCache.misses;
    t.equal((await alice.get(path)).status, 200);
    return app.pageCache.misses - before;
  };
  await rendersFor(one);
  await rendersFor(two);
  t.equal(await rendersFor(one), 0, 'a cached page is not rendered again');
  await rendersFor(three); // the cache is full: Two, the least recently used, goes
  t.equal(app.pageCache.size, 2);
  t.equal(await rendersFor(one), 0, 'One stays: it was used more recently');
  t.equal(await rendersFor(two), 1, 'Two was dropped and is rendered again');
});

t.test('more waiters than allowed: 503 with Retry-After, and the page keeps its Refresh link', async (t) => {
  const { app } = await startApp(t, { WAMI_MAX_WAITERS: '1' });
  const { alice, bob, path } = await sharedBoard(app);
  const target = waitUrl(await alice.get(path));
  const first = pending(alice.get(target));
  await held(app, 1);
  const refused = await bob.get(target);
  t.equal(refused.status, 503);
  t.equal(refused.headers['retry-after'], '10');
  t.ok(refused.$('a').filter((_, a) => refused.$(a).text() === 'Refresh').length, 'a Refresh link');
  t.equal(refused.$('meta[http-equiv=refresh]').length, 0, 'no automatic retry storm');
  t.equal((await validateHtml(refused.body, 'live-503')).valid, true);
  await alice.submit(await alice.get(path), '/lists', { title: 'release' });
  await first.page;
});

t.test('card pages are live too; auto-refresh can be turned off', async (t) => {
  const { app } = await startApp(t);
  const { alice, bob, path } = await sharedBoard(app);
  const board = await alice.submit(await alice.get(path), '/cards', { title: 'Watched' });
  const cardUrl = board.$('div.card > a').attr('href')!;
  const card = await alice.get(cardUrl);
  t.match(refreshOf(card), new RegExp(`^2;url=${cardUrl}/wait\\?since=\\d+$`));
  const waiting = pending(alice.get(waitUrl(card)));
  await held(app, 1);
  await bob.submit(await bob.get(cardUrl), '/comments', { comment: 'seen it' });
  const fresh = await waiting.page;
  t.match(fresh.text, 'Changed just now by bob');
  t.match(fresh.text, 'seen it');
  t.equal((await validateHtml(fresh.body, 'live-card')).valid, true);
  const off = await alice.submit(await alice.get('/profile'), '/profile', { autoRefresh: [] as string[] });
  t.equal(off.status, 200);
  const quiet = await alice.get(path);
  t.equal(quiet.$('meta[http-equiv=refresh]').length, 0, 'no meta refresh when turned off');
  t.ok(quiet.$('a').filter((_, a) => quiet.$(a).text() === 'Refresh').length, 'the Refresh link stays');
});

t.test('stopping the server answers held waits at once', async (t) => {
  const { app } = await startApp(t);
  const { alice, path } = await sharedBoard(app);
  const waiting = pending(alice.get(waitUrl(await alice.get(path))));
  await held(app, 1);
  const started = Date.now();
  await app.close();
  await waiting.page.catch(() => undefined);
  t.ok(Date.now() - started < 2000, 'close did not wait for the long poll');
});
