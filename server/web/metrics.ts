// What an operator watches: /healthz (the process lives and its database answers) and /metrics in
// Prometheus text (prom-client): requests by route and status with their latency, held long polls, write
// batches and their commit time, cache sizes, attachment bytes, SQLite's size and cache limit, and the
// process's own figures (memory, event-loop delay, GC).
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, register as processRegistry, Registry } from 'prom-client';
import { SqliteStore } from '../store/index.js';

/** A bounded in-memory cache, as /metrics reports it. */
export interface SizedCache {
  readonly size: number;
  readonly max: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every bounded cache of this app by name, registered by its owner. */
    caches: Map<string, SizedCache>;
  }
}

// Process figures belong to the process, not to an app: registered once, even when tests build many apps.
let processFiguresOn = false;

/** Seconds: from a cached page (under 5 ms) to a long poll held to its end (up to WAMI_WAIT_SECONDS). */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export function installMetrics(app: FastifyInstance): void {
  if (!processFiguresOn) {
    collectDefaultMetrics({ prefix: 'wami_' });
    processFiguresOn = true;
  }
  const registry = new Registry();
  const requests = new Counter({
    name: 'wami_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const, registers: [registry],
  });
  const latency = new Histogram({
    name: 'wami_http_request_duration_seconds', help: 'Time from request to the last byte handed to the socket, by route pattern',
    labelNames: ['route', 'method'] as const, buckets: LATENCY_BUCKETS, registers: [registry],
  });
  app.addHook('onResponse', (request, reply, done) => {
    // The pattern, not the URL, so that ids do not make a series each; unknown URLs share one.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    latency.observe({ route, method: request.method }, reply.elapsedTime / 1000);
    done();
  });

  const { store, files } = app;
  const batchSize = new Histogram({
    name: 'wami_write_batch_operations', help: 'Write operations per committed batch (group commit)',
    buckets: BATCH_BUCKETS, registers: [registry],
  });
  const commitTime = new Histogram({
    name: 'wami_write_commit_seconds', help: 'Time COMMIT took, the fsync included, per batch',
    buckets: COMMIT_BUCKETS, registers: [registry],
  });
  const lostBatches = new Counter({
    name: 'wami_write_batches_lost_total', help: 'Write batches that could not be committed (every request in them got 503 or 507)',
    registers: [registry],
  });
  store.writer?.onCommitted(({ operations, seconds }) => {
    batchSize.observe(operations);
    commitTime.observe(seconds);
  });
  store.writer?.onFailed(() => lostBatches.inc());

  new Gauge({
    name: 'wami_waiters_held', help: 'Long polls held open, waiting for a board to change', registers: [registry],
    collect() { this.set(app.waiters.size); },
  });
  new Gauge({
    name: 'wami_cache_entries', help: 'Entries in each bounded in-memory cache', labelNames: ['cache'] as const, registers: [registry],
    collect() { for (const [name, cache] of app.caches) this.set({ cache: name }, cache.size); },
  });
  new Gauge({
    name: 'wami_cache_capacity', help: 'Most entries each in-memory cache keeps (least recently used go first)',
    labelNames: ['cache'] as const, registers: [registry],
    collect() { for (const [name, cache] of app.caches) this.set({ cache: name }, cache.max); },
  });
  new Counter({
    name: 'wami_attachment_bytes_total', help: 'Attachment bytes received (whole uploads) and read out to clients',
    labelNames: ['direction'] as const, registers: [registry],
    collect() {
      this.reset();
      this.inc({ direction: 'in' }, files.traffic.bytesIn);
      this.inc({ direction: 'out' }, files.traffic.bytesOut);
    },
  });
  // PostgreSQL's own sizes come from PostgreSQL (pg_stat_*, postgres_exporter)
  if (store instanceof SqliteStore) sqliteSizes(store, app.wamiConfig.dataDir, registry);

  const merged = Registry.merge([processRegistry, registry]);
  app.get('/metrics', { config: { csrf: false } }, async (request, reply) => {
    const refusal = metricsRefusal(request, app.wamiConfig.metricsToken);
    if (refusal) return reply.code(refusal.status).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send(`${refusal.text}\n`);
    reply.type(merged.contentType).header('Cache-Control', 'no-store');
    return merged.metrics();
  });

  app.get('/healthz', { config: { csrf: false } }, async (_request, reply) => {
    let answers: boolean;
    try {
      answers = await store.answers();
    } catch {
      answers = false; // closed, locked, or the file is gone
    }
    reply.type('text/plain; charset=utf-8').header('Cache-Control', 'no-store');
    return answers ? reply.send('ok\n') : reply.code(503).header('Retry-After', '5').send('the database does not answer\n');
  });
}

function sqliteSizes(store: SqliteStore, dataDir: string, registry: Registry): void {
  new Gauge({
    name: 'wami_sqlite_bytes', help: 'SQLite: the database file, its write-ahead log, and the page cache limit per connection',
    labelNames: ['part'] as const, registers: [registry],
    collect() {
      const database = path.join(dataDir, 'wami.db');
      this.set({ part: 'database' }, sizeOf(database));
      this.set({ part: 'wal' }, sizeOf(`${database}-wal`));
      this.set({ part: 'page_cache_limit' }, store.pageCacheLimitBytes());
    },
  });
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Who may read /metrics: with WAMI_METRICS_TOKEN set, whoever sends it as a Bearer token; without, only
 * this machine, and not through a proxy (Caddy on the same machine adds X-Forwarded-For).
 */
function metricsRefusal(request: FastifyRequest, token: string): { status: number; text: string } | null {
  if (token) {
    const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(sent);
    const b = Buffer.from(token);
    if (a.length === b.length && timingSafeEqual(a, b)) return null;
    return { status: 401, text: 'Metrics need the token of WAMI_METRICS_TOKEN (Authorization: Bearer …).' };
  }
  const peer = request.socket.remoteAddress ?? '';
  const local = peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
  if (local && request.headers['x-forwarded-for'] === undefined) return null;
  return { status: 403, text: 'Metrics are served to this machine only. Set WAMI_METRICS_TOKEN to read them from elsewhere.' };
}
