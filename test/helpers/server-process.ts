// Wami as its own process, as `npm start` runs it: for tests that kill it, put it behind Caddy, or run
// several, and for benchmarks. Compiled code (dist/, the benchmarks) starts dist/server/main.js; the
// tests start server/main.ts through tsx.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../server/paths.js';
import { freePort } from './ports.js';
import { until as waitUntil } from './wait.js';

export interface ServerProcess {
  process: ChildProcess;
  origin: string;
  port: number;
}

const compiled = fileURLToPath(import.meta.url).endsWith('.js');

/**
 * Starts the server with these settings (WAMI_PORT and WAMI_HOST chosen here unless given) and resolves
 * once `/healthz` answers 200; rejects (and kills it) if it exits first or takes over 30 s.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = Number(env.WAMI_PORT ?? await freePort());
  const args = compiled ? [path.join(projectRoot, 'dist', 'server', 'main.js')] : ['--import', 'tsx', path.join(projectRoot, 'server', 'main.ts')];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, WAMI_LOG: 'false', ...env, WAMI_PORT: String(port), WAMI_HOST: env.WAMI_HOST ?? '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await until(async () => (await fetch(`${origin}/healthz`)).ok, `the server on ${origin} did not start`, () => child.exitCode === null);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { process: child, origin, port };
}

/** Asks `ready` (a thrown error counts as not yet) for up to 30 s, while `alive` holds; else fails with `failure`. */
export async function until(ready: () => Promise<boolean>, failure: string, alive: () => boolean = () => true): Promise<void> {
  const answered = async () => {
    if (!alive()) throw new Error(failure);
    return ready().catch(() => false); // not listening yet
  };
  await waitUntil(answered, 30_000).catch(() => { throw new Error(failure); });
}
