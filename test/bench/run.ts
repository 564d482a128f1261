// npm run bench: speed measured as ratios in one process, side by side, so a noisy shared machine
// moves both numbers together. Not a test: it prints figures for the README.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { Store } from '../../server/store/index.js';
import { hashToken, newToken, SESSION_COOKIE } from '../../server/web/session.js';
import { wrk, type LoadResult } from './wrk.js';
import { inOrder } from '../helpers/app.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** The routes compared with the bare route are measured this many times, interleaved; medians are reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** The route under load from wrk, with this run's connections and duration. */
function load(url: string, headers: Record<string, string> = {}): Promise<LoadResult> {
  return wrk(url, { connections: CONNECTIONS, seconds: DURATION_S, headers });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs each load once per round, interleaved, so that a noisy spell hits all of them; the median round's figures. */
async function interleaved(loads: Record<string, () => Promise<LoadResult>>): Promise<Record<string, LoadResult[]>> {
  const results: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(loads).map((name) => [name, []]));
  for (const run of Object.values(loads)) await run(); // warm-up: JIT, caches, TCP
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(loads)) results[name]!.push(await run());
  }
  return results;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-bench-'));
  const config = loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false' });
  const store = Store.open(dataDir);
  const user = await store.users.create({ username: 'bench', email: null, passwordHash: 'x' });
  /** A board like a team's: five lists, two labels per card, a member on each. */
  const makeBoard = async (title: string, cards: number) => {
    const board = await store.boards.create(user.id, title);
    const swimlane = (await store.swimlanes.forBoard(board.id, false))[0]!;
    const lists = await inOrder(['Backlog', 'To do', 'Doing', 'Review', 'Done'], async (t) => await store.lists.create(user.id, board.id, t));
    const labels = await store.labels.forBoard(board.id);
    await store.sql.transaction(async () => {
      for (let i = 0; i < cards; i++) {
        const card = await store.cards.create(user.id, { boardId: board.id, listId: lists[i % 5]!.id, swimlaneId: swimlane.id, title: `Card ${i}: a typical title of some length` });
        await store.labels.setOnCard(user.id, card, [labels[i % 6]!.id, labels[(i + 1) % 6]!.id]);
        await store.members.setOnCard(user.id, card, 'members', [user.id]);
      }
    });
    return board;
  };
  const board = await makeBoard('Bench board', 200);
  const big = await makeBoard('Big board', 500);
  const token = newToken();
  await store.sessions.create(hashToken(token), user.id, new Date(Date.now() + 86400_000).toISOString());

  const app = await buildApp({ config, store });
  // The same data served with the page cache off, side by side: what caching saves. Same store: one
  // connection per process, as the server has (a second one would wait on the first one's open batch).
  const uncached = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false', WAMI_PAGE_CACHE: '0' }), store });
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
  console.log(`load: wrk, ${CONNECTIONS} connections, ${DURATION_S} s each`);
  const gzipBytes = (await app.inject({ url: `/b/${board.id}/${board.slug}`, headers: { ...cookie, 'accept-encoding': 'gzip' } })).rawPayload.length;
  console.log(`board page with 200 cards: ${(Buffer.byteLength(boardPage) / 1024).toFixed(1)} KB (gzip: ${(gzipBytes / 1024).toFixed(1)} KB)`);
  console.log(`board page with 500 cards: ${(Buffer.byteLength(bigPage) / 1024).toFixed(1)} KB`);

  const etag = (await fetch(`${base}/b/${board.id}/${board.slug}`, { headers: cookie })).headers.get('etag') ?? '';
  const rounds = await interleaved({
    bare: () => load(`${base}/__bare`),
    barePage: () => load(`${base}/__bare-page`),
    page: () => load(`${base}/b/${board.id}/${board.slug}`, cookie),
    pageGzip: () => load(`${base}/b/${board.id}/${board.slug}`, { ...cookie, 'accept-encoding': 'gzip, deflate' }),
    revalidated: () => load(`${base}/b/${board.id}/${board.slug}`, { ...cookie, 'if-none-match': etag }),
  });
  const pageUncached = await load(`${uncachedBase}/b/${board.id}/${board.slug}`, cookie);
  const bigLoad = await load(`${base}/b/${big.id}/${big.slug}`, cookie);
  const bigUncached = await load(`${uncachedBase}/b/${big.id}/${big.slug}`, cookie);
  const signIn = await load(`${base}/sign-in`);
  const bareRps = median(rounds['bare']!.map((r) => r.rps));
  const row = (name: string, r: LoadResult) =>
    `| ${name} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.rps / bareRps).toFixed(2)} | ${r.errors} |`;
  /** A route measured in every round: its median figures, and its ratio to the bare route of the same round. */
  const roundRow = (name: string, results: LoadResult[]) => {
    const ratios = results.map((r, i) => r.rps / rounds['bare']![i]!.rps);
    const mid = (pick: (r: LoadResult) => number) => median(results.map(pick));
    return `| ${name} | ${Math.round(mid((r) => r.rps))} | ${mid((r) => r.p50).toFixed(2)} | ${mid((r) => r.p99).toFixed(2)} | ` +
      `${median(ratios).toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(', ')}) | ${results.reduce((n, r) => n + r.errors, 0)} |`;
  };
  console.log(`\nrounds: ${ROUNDS}, interleaved; "vs bare route" is the median of each round's ratio (every round's in brackets)`);
  console.log('\n| route | req/s | p50 ms | p99 ms | vs bare route | errors |');
  console.log('|---|---|---|---|---|---|');
  console.log(roundRow('bare fastify route', rounds['bare']!));
  console.log(roundRow('bare fastify route sending the 200-card page as fixed bytes', rounds['barePage']!));
  console.log(roundRow('board page, 200 cards, cached', rounds['page']!));
  console.log(roundRow('board page, 200 cards, cached, gzip (as browsers ask: Accept-Encoding)', rounds['pageGzip']!));
  console.log(roundRow('board page, 200 cards, revalidated (If-None-Match: 304)', rounds['revalidated']!));
  console.log(row('board page, 200 cards, uncached', pageUncached));
  console.log(row('board page, 500 cards, cached', bigLoad));
  console.log(row('board page, 500 cards, uncached', bigUncached));
  console.log(row('sign-in page', signIn));
  // Server time of one render, without the network: the budget is "well under 100 ms".
  const started = process.hrtime.bigint();
  const renders = 50;
  for (let i = 0; i < renders; i++) await uncached.inject({ url: `/b/${big.id}/${big.slug}`, headers: cookie });
  console.log(`\n500-card board, server time per render (inject, ${renders} runs): ${(Number(process.hrtime.bigint() - started) / 1e6 / renders).toFixed(1)} ms`);

  await app.close();
  await uncached.close();
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
