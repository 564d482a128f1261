// npm run bench: speed measured as ratios in one process, side by side, so a noisy shared machine
// moves both numbers together. Not a test: it prints figures for the README.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import type autocannon from 'autocannon';
import { projectRoot } from '../../server/paths.js';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { Store } from '../../server/store/index.js';
import { hashToken, newToken, SESSION_COOKIE } from '../../server/web/session.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

/** Load from a second process (autocannon's CLI), as a real client would: the server keeps its core. */
async function load(url: string, headers: Record<string, string> = {}) {
  const args = ['-j', '-c', String(CONNECTIONS), '-d', String(DURATION_S)];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  const output = await new Promise<string>((resolve, reject) => {
    execFile(path.join(projectRoot, 'node_modules', '.bin', 'autocannon'), [...args, url], { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
  const result = JSON.parse(output) as autocannon.Result;
  // 304s are answers, not errors (autocannon counts them as non-2xx)
  const failed = result.errors + (result as unknown as Record<string, number>)['4xx']! + (result as unknown as Record<string, number>)['5xx']!;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: failed };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-bench-'));
  const config = loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false' });
  const store = Store.open(dataDir);
  const user = store.users.create({ username: 'bench', email: null, passwordHash: 'x' });
  /** A board like a team's: five lists, two labels per card, a member on each. */
  const makeBoard = (title: string, cards: number) => {
    const board = store.boards.create(user.id, title);
    const swimlane = store.swimlanes.forBoard(board.id, false)[0]!;
    const lists = ['Backlog', 'To do', 'Doing', 'Review', 'Done'].map((t) => store.lists.create(user.id, board.id, t));
    const labels = store.labels.forBoard(board.id);
    store.db.transaction(() => {
      for (let i = 0; i < cards; i++) {
        const card = store.cards.create(user.id, { boardId: board.id, listId: lists[i % 5]!.id, swimlaneId: swimlane.id, title: `Card ${i}: a typical title of some length` });
        store.labels.setOnCard(user.id, card, [labels[i % 6]!.id, labels[(i + 1) % 6]!.id]);
        store.members.setOnCard(user.id, card, 'members', [user.id]);
      }
    })();
    return board;
  };
  const board = makeBoard('Bench board', 200);
  const big = makeBoard('Big board', 500);
  const token = newToken();
  store.sessions.create(hashToken(token), user.id, new Date(Date.now() + 86400_000).toISOString());

  const app = await buildApp({ config, store });
  // The same data served with the page cache off, side by side: what caching saves.
  const uncachedStore = Store.open(dataDir);
  const uncached = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false', WAMI_PAGE_CACHE: '0' }), store: uncachedStore });
  await uncached.listen({ port: 0, host: '127.0.0.1' });
  const uncachedAddress = uncached.server.address();
  const uncachedBase = typeof uncachedAddress === 'object' && uncachedAddress ? `http://127.0.0.1:${uncachedAddress.port}` : '';
  app.get('/__bare', (_request, reply) => reply.type('text/html; charset=utf-8').send('<p>bare</p>'));
  // A bare route that sends the board page's bytes, fixed: what the payload alone costs.
  let fixedPage = Buffer.alloc(0);
  app.get('/__bare-page', (_request, reply) => reply.type('text/html; charset=utf-8').send(fixedPage));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  const cookie = { cookie: `${SESSION_COOKIE}=${token}` };

  const boardPage = await (await fetch(`${base}/b/${board.id}/${board.slug}`, { headers: cookie })).text();
  const bigPage = await (await fetch(`${base}/b/${big.id}/${big.slug}`, { headers: cookie })).text();
  fixedPage = Buffer.from(boardPage);
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  console.log(`load: ${CONNECTIONS} connections, ${DURATION_S} s each, autocannon in a second process`);
  console.log(`board page with 200 cards: ${(Buffer.byteLength(boardPage) / 1024).toFixed(1)} KB`);
  console.log(`board page with 500 cards: ${(Buffer.byteLength(bigPage) / 1024).toFixed(1)} KB`);

  const bare = await load(`${base}/__bare`);
  const barePage = await load(`${base}/__bare-page`);
  const page = await load(`${base}/b/${board.id}/${board.slug}`, cookie);
  const pageUncached = await load(`${uncachedBase}/b/${board.id}/${board.slug}`, cookie);
  const etag = (await fetch(`${base}/b/${board.id}/${board.slug}`, { headers: cookie })).headers.get('etag') ?? '';
  const revalidated = await load(`${base}/b/${board.id}/${board.slug}`, { ...cookie, 'if-none-match': etag });
  const bigLoad = await load(`${base}/b/${big.id}/${big.slug}`, cookie);
  const bigUncached = await load(`${uncachedBase}/b/${big.id}/${big.slug}`, cookie);
  const signIn = await load(`${base}/sign-in`);
  const row = (name: string, r: typeof bare) =>
    `| ${name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${(r.rps / bare.rps).toFixed(3)} | ${r.errors} |`;
  console.log('\n| route | req/s | p50 ms | p99 ms | vs bare route | errors |');
  console.log('|---|---|---|---|---|---|');
  console.log(row('bare fastify route', bare));
  console.log(row('bare fastify route sending the 200-card page as fixed bytes', barePage));
  console.log(row('sign-in page', signIn));
  console.log(row('board page, 200 cards, cached', page));
  console.log(row('board page, 200 cards, uncached', pageUncached));
  console.log(row('board page, 200 cards, revalidated (If-None-Match: 304)', revalidated));
  console.log(row('board page, 500 cards, cached', bigLoad));
  console.log(row('board page, 500 cards, uncached', bigUncached));
  // Server time of one render, without the network: the budget is "well under 100 ms".
  const started = process.hrtime.bigint();
  const renders = 50;
  for (let i = 0; i < renders; i++) await uncached.inject({ url: `/b/${big.id}/${big.slug}`, headers: cookie });
  console.log(`\n500-card board, server time per render (inject, ${renders} runs): ${(Number(process.hrtime.bigint() - started) / 1e6 / renders).toFixed(1)} ms`);

  await app.close();
  await uncached.close();
  store.close();
  uncachedStore.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
