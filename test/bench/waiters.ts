// npm run bench (second part): 10,000 held waiters on one board. Memory per waiter beside a bare
// fastify handler that holds its request, in the same server process; and how long until all 10,000
// have their fresh page after one change.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const COUNT = Number(process.env.BENCH_WAITERS ?? 10_000);

interface Held {
  socket: net.Socket;
  done: Promise<{ at: number; answer: Buffer }>;
}

/** A held request on its own connection; its answer is read whole (the server closes the connection). */
function open(port: number, target: string, gzip: boolean): Held {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const done = new Promise<{ at: number; answer: Buffer }>((resolve) => {
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => resolve({ at: performance.now(), answer: Buffer.concat(chunks) }));
    socket.on('error', () => undefined);
  });
  socket.write(`GET ${target} HTTP/1.1\r\nHost: bench\r\n${gzip ? 'Accept-Encoding: gzip\r\n' : ''}Connection: close\r\n\r\n`);
  return { socket, done };
}

/** Status line and page of an answer, gzip undone: read after the timing, so it costs the server nothing. */
function readAnswer(answer: Buffer): { status: string; page: string } {
  const split = answer.indexOf('\r\n\r\n');
  const head = answer.subarray(0, split).toString('latin1');
  const body = answer.subarray(split + 4);
  const page = /content-encoding: gzip/i.test(head) ? zlib.gunzipSync(body).toString('utf8') : body.toString('utf8');
  return { status: head.split('\r\n')[0] ?? '', page };
}

async function main() {
  // The server half runs as this file does: compiled next to it (npm run bench), or through tsx.
  const serverScript = fileURLToPath(new URL(`waiter-server${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  const loader = serverScript.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/wprof'] : []), '--expose-gc', ...loader, serverScript],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once('line', resolve));
  const { port, path: boardPath } = JSON.parse(first) as { port: number; path: string };
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
  const openMany = async (target: string, gzip: boolean, count: (h: Record<string, number>) => number) => {
    const all: Held[] = [];
    for (let i = 0; i < COUNT; i += 500) {
      for (let j = i; j < Math.min(COUNT, i + 500); j++) all.push(open(port, target, gzip));
      await until((h) => count(h) >= all.length);
    }
    return all;
  };

  /** 10,000 bare held handlers released at once, then 10,000 waiters woken by one change; memory of each. */
  const scenario = async (gzip: boolean) => {
    const base = await memory();
    const bare = await openMany(`/__hold${gzip ? '?gzip=1' : ''}`, gzip, (h) => h.bare!);
    const withBare = await memory();
    const releasedAt = performance.now();
    await get('/__release');
    const bareLast = Math.max(...(await Promise.all(bare.map((h) => h.done))).map((a) => a.at)) - releasedAt;

    const before = await memory();
    const { version } = await get('/__version');
    const waiters = await openMany(`${boardPath}/wait?since=${version}`, gzip, (h) => h.waiters!);
    const withWaiters = await memory();
    const changedAt = performance.now();
    await get('/__change');
    const answers = await Promise.all(waiters.map((h) => h.done));
    const lastAt = Math.max(...answers.map((a) => a.at));
    const serverDone = await get('/__answered');
    const fresh = answers.map((a) => readAnswer(a.answer))
      .filter((a) => a.status === 'HTTP/1.1 200 OK' && a.page.includes('The change everyone waits for')).length;
    return {
      memory: { base, withBare, before, withWaiters }, fresh, bytes: answers[0]?.answer.length ?? 0,
      bareServer: serverDone['holds']!, bareClient: bareLast, waitServer: serverDone['waits']!, waitClient: lastAt - changedAt,
    };
  };

  const plain = await scenario(false);
  const gzipped = await scenario(true);
  child.kill('SIGTERM');

  const { base, withBare, before, withWaiters } = plain.memory;
  const perKb = (a: number, b: number) => ((b - a) / COUNT / 1024).toFixed(2);
  console.log(`\n${COUNT} held requests on one board, server in its own process (memory after a full GC):`);
  console.log('| held request | JS heap + external per request | RSS per request |');
  console.log('|---|---|---|');
  console.log(`| bare fastify handler holding the request | ${perKb(base.heap, withBare.heap)} KB | ${perKb(base.rss, withBare.rss)} KB |`);
  console.log(`| Wami waiter (long poll on a board) | ${perKb(before.heap, withWaiters.heap)} KB | ${perKb(before.rss, withWaiters.rss)} KB |`);
  console.log(`\nAll ${COUNT} answered at once: when the server had sent the last answer, and when the client (same two cores) had it.`);
  console.log('| answers | bytes each (headers included) | server sent the last | client had the last |');
  console.log('|---|---|---|---|');
  for (const [name, r] of [['plain', plain], ['gzip (Accept-Encoding: gzip)', gzipped]] as const) {
    console.log(`| bare handlers released, sending the board page's bytes, ${name} | ${r.bytes} | ${r.bareServer} ms | ${r.bareClient.toFixed(0)} ms |`);
    console.log(`| Wami waiters woken by one change (${r.fresh} of ${COUNT} fresh), ${name} | ${r.bytes} | ${r.waitServer} ms | ${r.waitClient.toFixed(0)} ms |`);
  }
  process.exit(plain.fresh === COUNT && gzipped.fresh === COUNT ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
