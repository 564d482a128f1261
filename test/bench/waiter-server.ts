// The server side of the waiter benchmark, in its own process so its memory is measured alone.
// Prints {port, path, version} on stdout, then serves the app plus a few bench-only routes:
// /__mem (memory after a full GC), /__held (waits held, bare holds), /__hold (a bare handler that
// holds the request until /__release), /__change (adds a card to the board).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { Store } from '../../server/store/index.js';
import { inOrder } from '../helpers/app.js';

const gc = (globalThis as { gc?: () => void }).gc;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-waiters-'));
const store = Store.open(dataDir);
const user = await store.users.create({ username: 'bench', email: null, passwordHash: 'x' });
const board = await store.boards.create(user.id, 'Team board');
store.db.prepare(`UPDATE boards SET permission = 'public' WHERE id = ?`).run(board.id);
const swimlane = (await store.swimlanes.forBoard(board.id, false))[0]!;
const lists = await inOrder(['To do', 'Doing', 'Done'], async (t) => await store.lists.create(user.id, board.id, t));
for (let i = 0; i < 30; i++) {
  await store.cards.create(user.id, { boardId: board.id, listId: lists[i % 3]!.id, swimlaneId: swimlane.id, title: `Card ${i}: a usual title` });
}
const app = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false', WAMI_MAX_WAITERS: '50000' }), store });
const held: (() => void)[] = [];
// When the server itself finished answering the held requests, apart from how fast the client reads them.
let changedAt = 0;
let releasedAt = 0;
let lastWaitAnswered = 0;
let lastHoldAnswered = 0;
app.addHook('onResponse', (request, _reply, done) => {
  if (request.url.includes('/wait?')) lastWaitAnswered = performance.now();
  else if (request.url.startsWith('/__hold')) lastHoldAnswered = performance.now();
  done();
});
app.get('/__answered', async () => ({
  waits: Math.round(lastWaitAnswered - changedAt),
  holds: Math.round(lastHoldAnswered - releasedAt),
}));
app.get('/__mem', async () => {
  gc?.();
  gc?.();
  return process.memoryUsage();
});
app.get('/__held', async () => ({ waiters: app.waiters.size, bare: held.length }));
/** What a bare held handler answers: the board page's own bytes, so both sides send as much. */
const pageBytes: { plain: Buffer; gzip: Buffer } = { plain: Buffer.alloc(0), gzip: Buffer.alloc(0) };
app.get<{ Querystring: { gzip?: string } }>('/__hold', (request, reply) => new Promise<void>((resolve) => {
  held.push(() => {
    reply.type('text/html; charset=utf-8');
    if (request.query.gzip) reply.header('Content-Encoding', 'gzip');
    reply.send(request.query.gzip ? pageBytes.gzip : pageBytes.plain);
    resolve();
  });
}));
app.get('/__version', async () => ({ version: (await store.boards.byId(board.id))!.version }));
app.get('/__release', async () => {
  releasedAt = performance.now();
  const count = held.length;
  held.splice(0).forEach((release) => release());
  return { released: count };
});
app.get('/__change', async () => {
  changedAt = performance.now();
  await store.cards.create(user.id, { boardId: board.id, listId: lists[0]!.id, swimlaneId: swimlane.id, title: 'The change everyone waits for' });
  return { ok: true };
});
await app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
pageBytes.plain = (await app.inject({ url: `/b/${board.id}/${board.slug}` })).rawPayload;
pageBytes.gzip = (await app.inject({ url: `/b/${board.id}/${board.slug}`, headers: { 'accept-encoding': 'gzip' } })).rawPayload;
const address = app.server.address();
const fresh = (await store.boards.byId(board.id))!;
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, path: `/b/${board.id}/${board.slug}`, version: fresh.version })}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
