// npm run test:crash: the server as its own process under a load of card creates, moves and uploads over
// HTTP, killed with SIGKILL at random moments, several times. After each kill: every write that got its
// 303 is in the database (a move: its card is where the last answered move put it, or where a later move
// whose answer the kill cut off was taking it), every answered upload has its file with its bytes, the database
// passes PRAGMA integrity_check, and once the server is back no upload temp file is left. Last, a graceful
// stop: SIGTERM under the same load answers the held long polls at once and loses nothing either.
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { Store } from '../../server/store/index.js';
import { freePort } from '../helpers/ports.js';
import { hashToken, newToken, SESSION_COOKIE } from '../../server/web/session.js';
import { inOrder } from '../helpers/app.js';
import { startServerProcess } from '../helpers/server-process.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 4);

interface Site {
  dataDir: string;
  cookie: string;
  boardPath: string;
  listIds: string[];
  swimlaneId: string;
  /** Cards made beforehand, a few for each mover, and one to upload onto. */
  moverCards: string[][];
  uploadCard: string;
}

/** The data folder, made with the store directly: a user with a session, a board with three lists, cards. */
async function prepare(t: Test): Promise<Site> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-crash-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const store = Store.open(dataDir);
  const user = await store.users.create({ username: 'crash', email: null, passwordHash: 'x' });
  const board = await store.boards.create(user.id, 'Crash');
  const swimlaneId = (await store.swimlanes.forBoard(board.id, false))[0]!.id;
  const listIds = await inOrder(['A', 'B', 'C'], async (title) => (await store.lists.create(user.id, board.id, title)).id);
  const card = async (title: string) => (await store.cards.create(user.id, { boardId: board.id, listId: listIds[0]!, swimlaneId, title })).id;
  const moverCards = await inOrder([0, 1, 2], (m) => inOrder([0, 1, 2], (i) => card(`mover ${m} card ${i}`)));
  const uploadCard = await card('uploads');
  const token = newToken();
  await store.sessions.create(hashToken(token), user.id, new Date(Date.now() + 86400_000).toISOString());
  store.close();
  return { dataDir, cookie: `${SESSION_COOKIE}=${token}`, boardPath: `/b/${board.id}/${board.slug}`, listIds, swimlaneId, moverCards, uploadCard };
}

/** Starts `npm start`'s server (through tsx) on the site's data, on `port` each time; resolves once it answers. */
async function startServer(site: Site, port: number, groupCommit: boolean): Promise<ChildProcess> {
  const server = await startServerProcess({ WAMI_DATA: site.dataDir, WAMI_PORT: String(port), WAMI_GROUP_COMMIT: String(groupCommit) });
  return server.process;
}

/** What the load was told was stored, and what was in flight when the server died. */
interface Acknowledged {
  created: Set<string>;
  /** A card's last answered move, and those sent since whose answers never came (any may have landed). */
  moved: Map<string, { answered?: string; unanswered: string[] }>;
  uploaded: Map<string, string>;
}

/** Runs the load until `stop` is set: two creators, three movers (each its own cards), one uploader. */
function runLoad(base: string, site: Site, csrf: string, ack: Acknowledged, round: number, stop: { now: boolean }): Promise<void> {
  const post = (url: string, body: URLSearchParams | FormData) => fetch(`${base}${url}`, {
    method: 'POST', redirect: 'manual', headers: { cookie: site.cookie }, body,
  });
  const form = (fields: Record<string, string>) => new URLSearchParams({ csrf, ...fields });
  const loop = async (step: (n: number) => Promise<void>) => {
    for (let n = 0; !stop.now; n++) {
      try {
        await step(n);
      } catch { /* the server died under the request: not acknowledged */ }
    }
  };
  const creator = (c: number) => loop(async (n) => {
    const title = `round ${round} creator ${c} card ${n}`;
    const answer = await post(`${site.boardPath}/cards`, form({ title, listId: site.listIds[1]!, swimlaneId: site.swimlaneId }));
    if (answer.status === 303) ack.created.add(title);
  });
  const mover = (m: number) => loop(async (n) => {
    const cardId = site.moverCards[m]![n % 3]!;
    const listId = site.listIds[(n + m + round) % 3]!;
    const state = ack.moved.get(cardId) ?? { unanswered: [] };
    ack.moved.set(cardId, { ...state, unanswered: [...state.unanswered, listId] });
    const answer = await post(`${site.boardPath}/${cardId}/move`, form({ listId, swimlaneId: site.swimlaneId, position: 'bottom' }));
    if (answer.status === 303) ack.moved.set(cardId, { answered: listId, unanswered: [] });
  });
  const uploader = loop(async (n) => {
    const name = `r${round}-u${n}.bin`;
    const bytes = randomBytes(20_000 + n * 97);
    const body = new FormData();
    body.set('csrf', csrf);
    body.append('file', new Blob([bytes]), name);
    const answer = await post(`${site.boardPath}/${site.uploadCard}/attachments`, body);
    if (answer.status === 303) ack.uploaded.set(name, createHash('sha256').update(bytes).digest('hex'));
  });
  return Promise.all([creator(0), creator(1), mover(0), mover(1), mover(2), uploader]).then(() => {});
}

/** Opens the file as the next server would (recovering the WAL) and checks everything acknowledged is there. */
function check(t: Test, site: Site, ack: Acknowledged, what: string) {
  const db = new Database(path.join(site.dataDir, 'wami.db'));
  try {
    t.equal(db.pragma('integrity_check', { simple: true }), 'ok', `${what}: integrity_check ok`);
    const titles = new Set(db.prepare('SELECT title FROM cards').pluck().all() as string[]);
    const lost = [...ack.created].filter((title) => !titles.has(title));
    t.same(lost, [], `${what}: all ${ack.created.size} answered creates are stored`);
    const listOf = db.prepare('SELECT list_id FROM cards WHERE id = ?').pluck();
    const misplaced = [...ack.moved].filter(([cardId, state]) => state.answered !== undefined
      && ![state.answered, ...state.unanswered].includes(listOf.get(cardId) as string));
    t.same(misplaced, [], `${what}: every moved card is where its last answered move put it (or a later one whose answer was cut off)`);
    const files = db.prepare('SELECT sha256 FROM attachments WHERE name = ?').pluck();
    const missing = [...ack.uploaded].filter(([name, sha]) => files.get(name) !== sha);
    t.same(missing, [], `${what}: all ${ack.uploaded.size} answered uploads are recorded with their hash`);
    const ids = db.prepare('SELECT id, size FROM attachments').all() as { id: string; size: number }[];
    const shard = (id: string) => createHash('sha256').update(id).digest('hex');
    const noFile = ids.filter((a) => fs.statSync(path.join(site.dataDir, 'attachments', shard(a.id).slice(0, 2), shard(a.id).slice(2, 4), a.id),
      { throwIfNoEntry: false })?.size !== a.size);
    t.same(noFile, [], `${what}: each recorded attachment has its whole file`);
  } finally {
    db.close();
  }
}

for (const groupCommit of [true, false]) {
  t.test(`killed ${KILLS} times under load (group commit ${groupCommit ? 'on' : 'off'}): no answered write is lost`, async (t) => {
    const site = await prepare(t);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const ack: Acknowledged = { created: new Set(), moved: new Map(), uploaded: new Map() };
    let server = await startServer(site, port, groupCommit);
    t.teardown(() => { server.kill('SIGKILL'); });
    const cardPage = await (await fetch(`${base}${site.boardPath}/${site.uploadCard}`, { headers: { cookie: site.cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(cardPage)?.[1] ?? '';
    t.ok(csrf, 'a form token');
    for (let round = 1; round <= KILLS; round++) {
      const stop = { now: false };
      const load = runLoad(base, site, csrf, ack, round, stop);
      await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 1200));
      const died = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGKILL');
      await died;
      stop.now = true;
      await load;
      check(t, site, ack, `after kill ${round}`);
      server = await startServer(site, port, groupCommit);
      const leftovers = fs.readdirSync(path.join(site.dataDir, 'tmp')).filter((name) => name.startsWith('upload-'));
      t.same(leftovers, [], `after restart ${round}: no upload temp file left`);
    }
    t.ok(ack.created.size > 0 && ack.uploaded.size > 0 && [...ack.moved.values()].some((s) => s.answered), 'the load got answers of every kind',
      { created: ack.created.size, uploaded: ack.uploaded.size, moved: ack.moved.size });
  });
}

t.test('SIGTERM under load: held long polls answered at once, the last batch committed, exit 0', async (t) => {
  const site = await prepare(t);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const ack: Acknowledged = { created: new Set(), moved: new Map(), uploaded: new Map() };
  const server = await startServer(site, port, true);
  t.teardown(() => { server.kill('SIGKILL'); });
  const headers = { cookie: site.cookie };
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${base}${site.boardPath}`, { headers })).text())?.[1] ?? '';
  // A board nobody changes: its long polls are held (50 s by default) until something ends them.
  const made = await fetch(`${base}/boards`, {
    method: 'POST', redirect: 'manual', headers, body: new URLSearchParams({ csrf, title: 'Quiet' }),
  });
  const quiet = await (await fetch(new URL(made.headers.get('location') ?? '', base), { headers })).text();
  const waitPath = (/http-equiv="refresh" content="\d+;url=([^"]+)"/.exec(quiet)?.[1] ?? '').replace(/&amp;/g, '&');
  t.match(waitPath, '/wait');
  let settled = 0;
  const polls = Array.from({ length: 20 }, () => fetch(`${base}${waitPath}`, { headers })
    .then((answer) => answer.status, () => 0).finally(() => { settled++; }));
  const stop = { now: false };
  const load = runLoad(base, site, csrf, ack, 1, stop);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  t.equal(settled, 0, 'the 20 long polls are held');
  const stopping = Date.now();
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  server.kill('SIGTERM');
  const code = await exited;
  const took = Date.now() - stopping;
  stop.now = true;
  await load;
  t.equal(code, 0, 'a clean exit');
  t.ok(took < 10_000, `stopped in ${took} ms, without waiting for the long polls`);
  const wal = path.join(site.dataDir, 'wami.db-wal');
  t.equal(fs.existsSync(wal) ? fs.statSync(wal).size : 0, 0, 'SQLite was closed: its write-ahead log checkpointed and removed');
  const statuses = await Promise.all(polls);
  t.same([...new Set(statuses)], [200], 'every held poll was answered with its page before the exit');
  check(t, site, ack, 'after SIGTERM');
  t.ok(ack.created.size > 0, `the load got answers (${ack.created.size} creates)`);
});
