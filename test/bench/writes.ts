// npm run bench, part: durable card moves per second over HTTP (the form post a browser sends, answered
// 303 once on disk), with group commit and with one commit per request, side by side in this process,
// at 1 and at 64 connections. The load is wrk in a second process, no pipelining (old browsers never
// pipeline). Also: how many writes shared a commit, and board-page reads while writes go on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { Store, type SqliteStore } from '../../server/store/index.js';
import { csrfOf, seedMoveBoard } from './move-board.js';
import { wrk, type FormPost } from './wrk.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 3);
/** Rounds per comparison, interleaved; the median round is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

interface Served {
  app: FastifyInstance;
  store: SqliteStore;
  base: string;
  cookie: string;
  /** Move form posts that, taken in turn, each really move a card (none is a no-op). */
  movePosts: FormPost[];
  boardUrl: string;
}

/** A server on its own data folder with the move board (move-board.ts). */
async function serve(groupCommit: boolean): Promise<Served> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-bench-writes-'));
  const config = loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false', WAMI_GROUP_COMMIT: String(groupCommit) });
  const store = Store.open(dataDir, { groupCommit });
  const board = await seedMoveBoard(store);
  const app = await buildApp({ config, store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  return { app, store, base, cookie: board.cookie, movePosts: board.movePosts(await csrfOf(base, board)), boardUrl: board.boardUrl };
}

async function moves(served: Served, connections: number) {
  const before = { ...served.store.writer.stats };
  const result = await wrk(served.base, { connections, seconds: DURATION_S, headers: { cookie: served.cookie }, formPosts: served.movePosts });
  const after = served.store.writer.stats;
  const commits = after.commits - before.commits;
  const perCommit = commits ? (after.operations - before.operations) / commits : NaN;
  // COMMIT runs on the main thread: while SQLite waits for the fsync, no other request is served.
  const commitMs = commits ? (after.commitMs - before.commitMs) / commits : NaN;
  return { ...result, commits, perCommit, commitMs };
}

async function main() {
  const grouped = await serve(true);
  const single = await serve(false);
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}; data in ${os.tmpdir()}`);
  console.log(`durable card moves over HTTP (303 after the commit), wrk -p none, ${DURATION_S} s each\n`);
  console.log('| commit | connections | moves/s | p50 ms | p99 ms | write operations per commit | ms per COMMIT (fsync) | vs one commit per request | errors |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const connections of (process.env.BENCH_CONNECTIONS ?? '1,64').split(",").map(Number)) {
    await moves(grouped, connections); // warm-up
    await moves(single, connections);
    // Interleaved rounds, so that a noisy spell on a shared machine hits both; the median round is shown.
    const rounds: { one: Awaited<ReturnType<typeof moves>>; group: Awaited<ReturnType<typeof moves>> }[] = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push({ one: await moves(single, connections), group: await moves(grouped, connections) });
    const ratios = rounds.map((r) => r.group.rps / r.one.rps);
    const middle = rounds[ratios.indexOf([...ratios].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!)]!;
    const row = (name: string, r: typeof middle.one, ratio: string) =>
      console.log(`| ${name} | ${connections} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${Number.isNaN(r.perCommit) ? '1' : r.perCommit.toFixed(1)} | ${Number.isNaN(r.commitMs) ? '-' : r.commitMs.toFixed(2)} | ${ratio} | ${r.errors} |`);
    row('one per request', middle.one, '1.00');
    row('group commit', middle.group, `${(middle.group.rps / middle.one.rps).toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(', ')})`);
  }

  // Reads while 16 connections move cards: board page latency, against the same page with no writes.
  const page = { connections: 8, seconds: DURATION_S, headers: { cookie: grouped.cookie } };
  const quiet = await wrk(`${grouped.base}${grouped.boardUrl}`, page);
  const writing = wrk(grouped.base, { ...page, connections: 16, formPosts: grouped.movePosts });
  const busy = await wrk(`${grouped.base}${grouped.boardUrl}`, page);
  const writes = await writing;
  console.log('\n| board page (200 cards), 8 connections | pages/s | p50 ms | p99 ms |');
  console.log('|---|---|---|---|');
  console.log(`| no writes | ${quiet.rps.toFixed(0)} | ${quiet.p50.toFixed(2)} | ${quiet.p99.toFixed(2)} |`);
  console.log(`| while 16 connections move cards (${writes.rps.toFixed(0)} moves/s) | ${busy.rps.toFixed(0)} | ${busy.p50.toFixed(2)} | ${busy.p99.toFixed(2)} |`);

  for (const served of [grouped, single]) {
    await served.app.close();
    served.store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
