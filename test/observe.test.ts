// What an operator watches: /healthz and /metrics (Prometheus text, checked with promtool, the
// Prometheus project's own linter: Debian package `prometheus`).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { Store } from '../server/store/index.js';
import { onPostgres, startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp } from './helpers/browser.js';

/** The value of one sample line of the exposition (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** promtool's findings for the text (its exit status: 0 clean, 3 lint findings, 1 not parsable). */
function promtool(text: string): { status: number; findings: string[] } {
  try {
    execFileSync('promtool', ['check', 'metrics'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
    return { status: 0, findings: [] };
  } catch (error) {
    const failed = error as { status: number; stdout: Buffer; stderr: Buffer };
    const findings = `${failed.stdout}${failed.stderr}`.split('\n').filter(Boolean);
    return { status: failed.status, findings };
  }
}

t.test('/healthz answers ok while the database answers, and 503 when it does not', {
  skip: onPostgres && 'closes SQLite under the server; on PostgreSQL test/pg-store.test.ts stops the server',
}, async (t) => {
  const { app, store } = await startApp(t);
  const healthy = await app.inject('/healthz');
  t.equal(healthy.statusCode, 200);
  t.equal(healthy.body, 'ok\n');
  t.equal(healthy.headers['cache-control'], 'no-store');
  store.db.close();
  const broken = await app.inject('/healthz');
  t.equal(broken.statusCode, 503);
  t.equal(broken.headers['retry-after'], '5');
  t.match(broken.body, 'database');
});

t.test('/metrics: Prometheus text with requests, latency, write batches, waiters, caches and attachment bytes', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Watched');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Report' });
  const cardUrl = board.$('div.card a').first().attr('href')!;
  const content = Buffer.from('figures\n'.repeat(1000));
  await alice.upload(await alice.get(cardUrl), '/attachments', [{ filename: 'figures.txt', content, type: 'text/plain' }]);
  const card = await alice.get(cardUrl);
  const download = await app.inject({ url: card.$('table.attachments a').first().attr('href')!, headers: { cookie: alice.cookieHeader() } });
  t.equal(download.statusCode, 200);
  const range = await app.inject({ url: card.$('table.attachments a').first().attr('href')!, headers: { cookie: alice.cookieHeader(), range: 'bytes=0-99' } });
  t.equal(range.statusCode, 206);
  // a long poll held while /metrics is read
  const current = await alice.get(boardPath(board));
  const waitUrl = (current.$('meta[http-equiv=refresh]').attr('content') ?? '').replace(/^\d+;url=/, '');
  const held = app.inject({ url: waitUrl, headers: { cookie: alice.cookieHeader() } });
  await new Promise((resolve) => setTimeout(resolve, 50));

  const answer = await app.inject('/metrics');
  t.equal(answer.statusCode, 200);
  t.match(answer.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  const text = answer.body;
  t.equal(sample(text, `wami_http_requests_total{route="/b/:boardId/:slug",method="GET",status="200"}`)! >= 1, true,
    'board pages counted by their route pattern, not their URL');
  t.notMatch(text, boardPath(board), 'no board id in any series');
  t.ok(sample(text, `wami_http_request_duration_seconds_count{route="/b/:boardId/:slug",method="GET"}`)! >= 1);
  if (!onPostgres) { // SQLite's group commit; PostgreSQL gathers commits itself
    t.ok(sample(text, 'wami_write_batch_operations_count')! >= 4, 'each write batch counted');
    t.ok(sample(text, 'wami_write_commit_seconds_count')! >= 4);
    t.equal(sample(text, 'wami_write_batches_lost_total'), 0);
  }
  t.equal(sample(text, 'wami_waiters_held'), 1, 'the held long poll');
  t.ok(sample(text, 'wami_cache_entries{cache="pages"}')! >= 1, 'the board page is cached');
  t.equal(sample(text, 'wami_cache_capacity{cache="pages"}'), 300);
  for (const cache of ['sessions', 'basic_auth', 'csrf_tokens', 'page_keys', 'board_access']) {
    t.ok(sample(text, `wami_cache_capacity{cache="${cache}"}`)! > 0, `${cache} has a cap`);
  }
  t.equal(sample(text, 'wami_attachment_bytes_total{direction="in"}'), content.length);
  t.equal(sample(text, 'wami_attachment_bytes_total{direction="out"}'), content.length + 100, 'the whole file and one range');
  if (onPostgres) {
    t.equal(sample(text, 'wami_sqlite_bytes{part="database"}'), undefined, 'no SQLite figures on PostgreSQL');
  } else {
    t.ok(sample(text, 'wami_sqlite_bytes{part="database"}')! > 0);
    t.ok(sample(text, 'wami_sqlite_bytes{part="page_cache_limit"}')! > 0);
  }
  t.ok(sample(text, 'wami_process_resident_memory_bytes')! > 0, "the process's own figures");
  t.notMatch(text, /cookie|password|token=/i);

  const checked = promtool(text);
  t.not(checked.status, 1, `promtool parses it (${checked.findings.join('; ')})`);
  // prom-client's own Node figures name three gauges *_total; ours must have no finding at all
  t.same(checked.findings.filter((f) => !/^wami_nodejs_active_(handles|requests|resources)_total /.test(f)), []);

  await alice.submit(board, '/cards', { title: 'Wakes the poll' });
  t.equal((await held).statusCode, 200);
});

t.test('/metrics is for this machine, or for whoever has WAMI_METRICS_TOKEN', async (t) => {
  const open = (await startApp(t)).app;
  t.equal((await open.inject({ url: '/metrics', remoteAddress: '192.0.2.7' })).statusCode, 403, 'another machine');
  const proxied = await open.inject({ url: '/metrics', headers: { 'x-forwarded-for': '192.0.2.7' } });
  t.equal(proxied.statusCode, 403, 'through a proxy on this machine (Caddy)');
  t.match(proxied.body, 'WAMI_METRICS_TOKEN');

  const locked = (await startApp(t, { WAMI_METRICS_TOKEN: 'scrape-me-0123456789' })).app;
  t.equal((await locked.inject('/metrics')).statusCode, 401, 'no token, even from this machine');
  t.equal((await locked.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
  const scraped = await locked.inject({ url: '/metrics', remoteAddress: '192.0.2.7', headers: { authorization: 'Bearer scrape-me-0123456789' } });
  t.equal(scraped.statusCode, 200);
  t.match(scraped.body, 'wami_http_requests_total');
});

t.test('the log: one JSON line per request, and no password, cookie or token in any of them', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-log-'));
  const lines: string[] = [];
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  const store = Store.open(dataDir);
  const app = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'true' }), store, logStream });
  t.teardown(async () => {
    await app.close();
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const password = 'secret-horse-battery';
  await signUp(app, 'alice', password);
  const browser = new Browser(app);
  await browser.submit(await browser.get('/sign-in'), '/sign-in', { username: 'alice', password });
  const login = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password } });
  const token = (login.json() as { token: string }).token;
  await app.inject({ url: '/api/user', headers: { authorization: `Bearer ${token}` } });
  await app.inject({ url: '/api/user', headers: { authorization: `Basic ${Buffer.from(`alice:${password}`).toString('base64')}` } });
  await app.inject({ url: '/reset-password/single-use-secret-0123456789' });
  await app.inject({ url: '/sign-up?invite=invitation-secret-0123456789' });
  await app.inject({ url: '/enroll-account/enrolment-secret-0123456789' });
  await app.inject({ method: 'POST', url: '/enroll-account/enrolment-secret-9876543210/join' });
  await app.inject({ url: `/sign-in?next=${encodeURIComponent('/enroll-account/enrolment-secret-5555555555')}` });
  const before = lines.length;
  await app.inject({ url: '/sign-in' });
  t.equal(lines.length - before, 1, 'exactly one line for one request');

  const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const requests = records.filter((r) => r.msg === 'request');
  t.ok(requests.length >= 8);
  t.match(requests.find((r) => r.route === '/users/login'), { method: 'POST', url: '/users/login', status: 200, ip: '127.0.0.1' });
  t.match(requests.find((r) => r.url === '/api/user'), { status: 200, user: 'alice' });
  t.ok(requests.every((r) => typeof r.ms === 'number' && typeof r.reqId === 'string'), 'each with its time and request id');
  const cookies = [...(browser.cookieHeader().matchAll(/=([^;]+)/g))].map((m) => m[1]!);
  for (const secret of [password, token, 'single-use-secret', 'invitation-secret', 'enrolment-secret', ...cookies]) {
    t.notOk(lines.some((line) => line.includes(secret)), `${secret.slice(0, 12)}… is in no log line`);
  }
  t.notOk(lines.some((line) => /cookie|authorization/i.test(line)), 'no header is logged');
});
