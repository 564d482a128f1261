// npm run bench, part: Step 9's figures. The board page (200 cards) and durable card moves (the form
// post, answered 303 once committed) on one board and spread over eight, on SQLite, on PostgreSQL with
// one instance and with two, side by
// side in one run: every server is its own process as `npm start` runs it, all live at once, measured in
// interleaved rounds (the median round is shown) so a noisy spell on this shared machine hits them all.
// With two instances the load is split between them (two wrk processes, half the connections and half
// the moving cards each), as a load balancer would. PostgreSQL runs on this machine with fsync on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../../server/store/index.js';
import { PostgresStore } from '../../server/store/pg-store.js';
import { startPostgresCluster } from '../helpers/postgres.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { csrfOf, interleaved, MOVING_CARDS, seedMoveBoards, type MoveBoard } from './move-board.js';
import { wrk, type LoadResult } from './wrk.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE_CONNECTIONS = 10;
const MOVE_CONNECTIONS = 64;
/** Boards the spread moves go to (the board page and the one-board moves use the first). */
const BOARDS = 8;

/** One way of running Wami: its instances and the board they serve. */
interface Setup {
  name: string;
  instances: ServerProcess[];
  boards: MoveBoard[];
  /** Each instance's CSRF token for the boards' forms (the same secret: any instance takes any). */
  csrf: string[];
}

/** The load split evenly over the instances (wrk processes at once); their figures combined. */
async function spread(setup: Setup, load: (instance: ServerProcess, index: number, share: number) => Promise<LoadResult>): Promise<LoadResult> {
  const results = await Promise.all(setup.instances.map((instance, i) => load(instance, i, 1 / setup.instances.length)));
  return {
    rps: results.reduce((sum, r) => sum + r.rps, 0),
    p50: results.reduce((sum, r) => sum + r.p50, 0) / results.length,
    p99: Math.max(...results.map((r) => r.p99)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

const boardPage = (setup: Setup) => spread(setup, (instance, _i, share) =>
  wrk(`${instance.origin}${setup.boards[0]!.boardUrl}`, { connections: PAGE_CONNECTIONS * share, seconds: DURATION_S, headers: { cookie: setup.boards[0]!.cookie } }));

/** Moves on the first `boards` boards, their posts taken in turn (consecutive requests go to different boards). */
const moves = (setup: Setup, boards: number) => spread(setup, (instance, i, share) => {
  const cards = MOVING_CARDS * share; // each instance moves its own cards: no two posts race for one card
  return wrk(instance.origin, {
    connections: MOVE_CONNECTIONS * share, seconds: DURATION_S, headers: { cookie: setup.boards[0]!.cookie },
    formPosts: interleaved(setup.boards.slice(0, boards).map((board) => board.movePosts(setup.csrf[i]!, i * cards, (i + 1) * cards))),
  });
});

async function main() {
  const cleanup: (() => void)[] = [];
  try {
    const postgres = await startPostgresCluster();
    cleanup.push(() => postgres.remove());
    const folder = () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-bench-pg-'));
      cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      return dir;
    };
    const start = async (env: Record<string, string>) => {
      const instance = await startServerProcess(env);
      cleanup.unshift(() => instance.process.kill('SIGKILL'));
      return instance;
    };

    const sqliteDir = folder();
    const sqliteStore = Store.open(sqliteDir);
    const sqliteBoards = await seedMoveBoards(sqliteStore, BOARDS);
    sqliteStore.close();
    const pgStore = await PostgresStore.connect(postgres.url);
    const pgBoards = await seedMoveBoards(pgStore, BOARDS);
    await pgStore.close();

    const sqlite = await start({ WAMI_DATA: sqliteDir });
    const [pgA, pgB] = await Promise.all([0, 1].map(() => start({ WAMI_DATA: folder(), WAMI_DATABASE_URL: postgres.url })));
    const setups: Setup[] = [
      { name: 'SQLite (group commit)', instances: [sqlite], boards: sqliteBoards, csrf: [] },
      { name: 'PostgreSQL, 1 instance', instances: [pgA!], boards: pgBoards, csrf: [] },
      { name: 'PostgreSQL, 2 instances', instances: [pgA!, pgB!], boards: pgBoards, csrf: [] },
    ];
    for (const setup of setups) setup.csrf = await Promise.all(setup.instances.map((instance) => csrfOf(instance.origin, setup.boards[0]!)));

    const loads = { page: boardPage, oneBoard: (setup: Setup) => moves(setup, 1), spread: (setup: Setup) => moves(setup, BOARDS) };
    type Figures = Record<keyof typeof loads, LoadResult[]>;
    const figures = new Map<string, Figures>(setups.map((setup) => [setup.name, { page: [], oneBoard: [], spread: [] }]));
    for (const setup of setups) for (const load of Object.values(loads)) await load(setup); // warm-up: JIT, caches, pools
    for (let round = 0; round < ROUNDS; round++) {
      for (const setup of setups) {
        for (const [name, load] of Object.entries(loads)) figures.get(setup.name)![name as keyof Figures].push(await load(setup));
      }
    }
    const median = (results: LoadResult[]) => [...results].sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)]!;
    const base = figures.get(setups[0]!.name)!;

    console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}; every server its own process, PostgreSQL on this machine (fsync on)`);
    console.log(`board page (200 cards): ${PAGE_CONNECTIONS} connections; durable card moves (303 after the commit): ${MOVE_CONNECTIONS} connections, on one board and spread over ${BOARDS}; ${DURATION_S} s each, median of ${ROUNDS} interleaved rounds\n`);
    console.log(`| store | board pages/s (p99 ms) | vs SQLite | moves/s on one board (p99 ms) | vs SQLite | moves/s over ${BOARDS} boards (p99 ms) | vs SQLite | errors |`);
    console.log('|---|---|---|---|---|---|---|---|');
    for (const setup of setups) {
      const mine = figures.get(setup.name)!;
      const cells = (Object.keys(loads) as (keyof Figures)[]).map((name) => {
        const figure = median(mine[name]);
        return `${figure.rps.toFixed(0)} (${figure.p99.toFixed(1)}) | ${(figure.rps / median(base[name]).rps).toFixed(2)}`;
      });
      const errors = Object.values(mine).flat().reduce((sum, r) => sum + r.errors, 0);
      console.log(`| ${setup.name} | ${cells.join(' | ')} | ${errors} |`);
    }
  } finally {
    for (const step of cleanup) step();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
