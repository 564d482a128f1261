// npm run bench (second part): 10,000 held waiters on one board. Memory per waiter beside a bare
// fastify handler that holds its request, in the same server process; and how long until all 10,000
// have their fresh page after one change.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { projectRoot } from '../../server/paths.js';

const COUNT = Number(process.env.BENCH_WAITERS ?? 10_000);

interface Held {
  socket: net.Socket;
  done: Promise<{ at: number; body: string }>;
}

function open(port: number, target: string): Held {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const done = new Promise<{ at: number; body: string }>((resolve) => {
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => resolve({ at: performance.now(), body: Buffer.concat(chunks).toString('utf8') }));
    socket.on('error', () => undefined);
  });
  socket.write(`GET ${target} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n`);
  return { socket, done };
}

async function main() {
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/wprof'] : []), '--expose-gc', '--import', 'tsx', path.join(projectRoot, 'test/bench/waiter-server.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once('line', resolve));
  const { port, path: boardPath, version } = JSON.parse(first) as { port: number; path: string; version: number };
  const get = async (url: string) => (await fetch(`http://127.0.0.1:${port}${url}`)).json() as Promise<Record<string, number>>;
  const memory = async () => { const m = await get('/__mem'); return { heap: m.heapUsed! + m.external!, rss: m.rss! }; };
  const until = async (what: (h: Record<string, number>) => boolean) => {
    for (;;) {
      const held = await get('/__held');
      if (what(held)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** Opens `COUNT` connections in batches, so the listen backlog never overflows. */
  const openMany = async (target: string, count: (h: Record<string, number>) => number) => {
    const all: Held[] = [];
    for (let i = 0; i < COUNT; i += 500) {
      for (let j = i; j < Math.min(COUNT, i + 500); j++) all.push(open(port, target));
      await until((h) => count(h) >= all.length);
    }
    return all;
  };

  const base = await memory();
  const bare = await openMany('/__hold', (h) => h.bare!);
  const withBare = await memory();
  const releasedAt = performance.now();
  await get('/__release');
  const bareAnswers = await Promise.all(bare.map((h) => h.done));
  const bareLast = Math.max(...bareAnswers.map((a) => a.at)) - releasedAt;

  const before = await memory();
  const waiters = await openMany(`${boardPath}/wait?since=${version}`, (h) => h.waiters!);
  const withWaiters = await memory();
  const changedAt = performance.now();
  await get('/__change');
  const answers = await Promise.all(waiters.map((h) => h.done));
  const lastAt = Math.max(...answers.map((a) => a.at));
  const fresh = answers.filter((a) => a.body.startsWith('HTTP/1.1 200') && a.body.includes('The change everyone waits for')).length;
  const serverDone = await get('/__answered');
  child.kill('SIGTERM');

  const perKb = (a: number, b: number) => ((b - a) / COUNT / 1024).toFixed(2);
  console.log(`\n${COUNT} held requests on one board, server in its own process (memory after a full GC):`);
  console.log('| held request | JS heap + external per request | RSS per request |');
  console.log('|---|---|---|');
  console.log(`| bare fastify handler holding the request | ${perKb(base.heap, withBare.heap)} KB | ${perKb(base.rss, withBare.rss)} KB |`);
  console.log(`| Wami waiter (long poll on a board) | ${perKb(before.heap, withWaiters.heap)} KB | ${perKb(before.rss, withWaiters.rss)} KB |`);
  console.log(`\nReleasing ${COUNT} bare held handlers at once, each sending the board page's bytes: the server had answered the last after ${serverDone['holds']} ms; the client had it after ${bareLast.toFixed(0)} ms.`);
  console.log(`One change: ${fresh} of ${COUNT} waiters got the fresh page (${Buffer.byteLength(answers[0]?.body ?? '') } bytes each); the server had sent the last after ${serverDone['waits']} ms; the client had it after ${(lastAt - changedAt).toFixed(0)} ms.`);
  process.exit(fresh === COUNT ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
