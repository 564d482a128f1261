// npm run bench, part: the server at a large site's size. 30,000 users, 2,000 boards, 100,000 cards; the
// server (its own process) serves 1,000 users who each open their board and then hold its long poll, as
// a browser left on a board does; its memory after a full GC is the figure (target: under 300 MB). Then
// the time of one uncached board render as a board grows from 10 to 2,000 cards: it must grow about
// linearly (time per card about flat).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { Store } from '../../server/store/index.js';
import { hashToken, newToken, SESSION_COOKIE } from '../../server/web/session.js';
import { inOrder } from '../helpers/app.js';

const USERS = Number(process.env.BENCH_USERS ?? 30_000);
const BOARDS = Number(process.env.BENCH_BOARDS ?? 2_000);
const CARDS = Number(process.env.BENCH_CARDS ?? 100_000);
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 1_000);

/** The site, made through the store: board i belongs to user i, its cards spread over four lists. */
async function seed(dataDir: string): Promise<{ cookies: string[]; boardPaths: string[] }> {
  const store = Store.open(dataDir, { groupCommit: false });
  const cookies: string[] = [];
  const boardPaths: string[] = [];
  const expires = new Date(Date.now() + 86400_000).toISOString();
  const users = await store.sql.transaction(async () => {
    const made = [];
    for (let i = 0; i < USERS; i++) made.push(await store.users.create({ username: `user${i}`, email: null, passwordHash: 'x' }));
    return made;
  });
  await store.sql.transaction(async () => {
    for (let b = 0; b < BOARDS; b++) {
      const owner = users[b % USERS]!;
      const board = await store.boards.create(owner.id, `Board ${b}`);
      boardPaths.push(`/b/${board.id}/${board.slug}`);
      const swimlaneId = (await store.swimlanes.forBoard(board.id, false))[0]!.id;
      const lists = await inOrder(['Backlog', 'To do', 'Doing', 'Done'], async (title) => await store.lists.create(owner.id, board.id, title));
      for (let c = 0; c < CARDS / BOARDS; c++) {
        await store.cards.create(owner.id, { boardId: board.id, listId: lists[c % 4]!.id, swimlaneId, title: `Card ${c} of board ${b}: a usual title` });
      }
    }
  });
  await store.sql.transaction(async () => {
    for (let w = 0; w < WATCHERS; w++) {
      const token = newToken();
      await store.sessions.create(hashToken(token), users[w % BOARDS]!.id, expires);
      cookies.push(`${SESSION_COOKIE}=${token}`);
    }
  });
  store.close();
  return { cookies, boardPaths };
}

/** A held long poll on its own connection (closed at the end). */
function hold(port: number, target: string, cookie: string): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(`GET ${target} HTTP/1.1\r\nHost: bench\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`);
  return socket;
}

async function siteMemory() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-scale-'));
  const started = performance.now();
  const { cookies, boardPaths } = await seed(dataDir);
  const seeded = (performance.now() - started) / 1000;
  const dbBytes = fs.statSync(path.join(dataDir, 'wami.db')).size;
  const serverScript = fileURLToPath(new URL(`scale-server${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  const loader = serverScript.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, ['--expose-gc', ...loader, serverScript, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once('line', resolve));
  const { port } = JSON.parse(first) as { port: number };
  const memory = async () => (await fetch(`http://127.0.0.1:${port}/__mem`)).json() as Promise<Record<string, number>>;
  const idle = await memory();
  const sockets: net.Socket[] = [];
  for (let w = 0; w < WATCHERS; w += 50) {
    await Promise.all(await inOrder(cookies.slice(w, w + 50), async (cookie, k) => {
      const boardPath = boardPaths[(w + k) % BOARDS]!;
      const page = await (await fetch(`http://127.0.0.1:${port}${boardPath}`, { headers: { cookie } })).text();
      const wait = /url=[^"]*?(\/b\/[^"]*\/wait\?since=\d+)/.exec(page)?.[1];
      if (!wait) throw new Error(`no wait URL on ${boardPath}`);
      sockets.push(hold(port, wait.replaceAll('&amp;', '&'), cookie));
    }));
  }
  let watching = await memory();
  for (let i = 0; i < 100 && watching.waiters! < WATCHERS; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    watching = await memory();
  }
  sockets.forEach((s) => s.destroy());
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  console.log(`site: ${USERS} users, ${BOARDS} boards, ${CARDS} cards (seeded in ${seeded.toFixed(0)} s; wami.db ${mb(dbBytes)} MB)\n`);
  console.log('| server process | RSS MB | JS heap MB | held long polls | pages cached |');
  console.log('|---|---|---|---|---|');
  console.log(`| started, no requests yet | ${mb(idle.rss!)} | ${mb(idle.heapUsed!)} | 0 | ${idle.pageCache} |`);
  console.log(`| ${WATCHERS} users each opened a board and hold its long poll | ${mb(watching.rss!)} | ${mb(watching.heapUsed!)} | ${watching.waiters} | ${watching.pageCache} |`);
}

async function pageTimes() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-scale-pages-'));
  const store = Store.open(dataDir, { groupCommit: false });
  const user = await store.users.create({ username: 'reader', email: null, passwordHash: 'x' });
  const token = newToken();
  await store.sessions.create(hashToken(token), user.id, new Date(Date.now() + 86400_000).toISOString());
  const sizes = [10, 100, 500, 1000, 2000];
  const boards = await inOrder(sizes, async (size) => {
    const board = await store.boards.create(user.id, `Board of ${size}`);
    const swimlaneId = (await store.swimlanes.forBoard(board.id, false))[0]!.id;
    const lists = await inOrder(['Backlog', 'To do', 'Doing', 'Review', 'Done'], async (title) => await store.lists.create(user.id, board.id, title));
    const labels = await store.labels.forBoard(board.id);
    await store.sql.transaction(async () => {
      for (let i = 0; i < size; i++) {
        const card = await store.cards.create(user.id, { boardId: board.id, listId: lists[i % 5]!.id, swimlaneId, title: `Card ${i}: a usual title` });
        await store.labels.setOnCard(user.id, card, [labels[i % 6]!.id]);
      }
    });
    return { size, path: `/b/${board.id}/${board.slug}` };
  });
  const app = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false', WAMI_PAGE_CACHE: '0' }), store });
  const headers = { cookie: `${SESSION_COOKIE}=${token}` };
  console.log('\n| board | uncached render, median of 15 (ms) | ms per card | page KB |');
  console.log('|---|---|---|---|');
  for (const board of boards) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 18; i++) {
      const started = performance.now();
      const answer = await app.inject({ url: board.path, headers });
      if (i >= 3) times.push(performance.now() - started);
      bytes = answer.rawPayload.length;
    }
    const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    console.log(`| ${board.size} cards | ${median.toFixed(1)} | ${(median / board.size).toFixed(3)} | ${(bytes / 1024).toFixed(0)} |`);
  }
  await app.close();
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await siteMemory();
await pageTimes();
