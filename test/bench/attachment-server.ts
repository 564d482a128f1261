// The server side of the attachment benchmark, in its own process so that its memory is measured alone.
// Prints {port, pid, cardPath, cookie, csrf, dataDir} on stdout, then serves the app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { Store } from '../../server/store/index.js';
import { hashToken, newToken, SESSION_COOKIE } from '../../server/web/session.js';
import { signToken } from '../../server/web/csrf.js';

const dataDir = process.env.BENCH_DATA ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wami-files-'));
const store = Store.open(dataDir);
const user = await store.users.create({ username: 'bench', email: null, passwordHash: 'x' });
const board = await store.boards.create(user.id, 'Files board');
const list = await store.lists.create(user.id, board.id, 'Files');
const swimlane = (await store.swimlanes.forBoard(board.id, false))[0]!;
const card = await store.cards.create(user.id, { boardId: board.id, listId: list.id, swimlaneId: swimlane.id, title: 'Big files' });
const token = newToken();
const sessionHash = hashToken(token);
await store.sessions.create(sessionHash, user.id, new Date(Date.now() + 86400_000).toISOString());
const app = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false' }), store });
// The ceiling for an upload in this process: a bare route that reads the same body and keeps nothing
// (no multipart parsing, no hash, no disk).
app.post('/bench/receive', async (request, reply) => {
  for await (const chunk of request.raw) void chunk;
  return reply.code(303).header('location', '/').send();
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({
  port: typeof address === 'object' && address ? address.port : 0,
  pid: process.pid,
  cardPath: `/b/${board.id}/${board.slug}/${card.id}`,
  cookie: `${SESSION_COOKIE}=${token}`,
  csrf: signToken(app.secret, `session:${sessionHash}`),
  dataDir,
})}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  store.close();
  process.exit(0);
});
