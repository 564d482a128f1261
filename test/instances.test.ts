// Step 9 as it is deployed: two Wami processes on one PostgreSQL, behind a real Caddy on deploy/Caddyfile
// (both listed in WAMI_UPSTREAM), their attachments in one shared folder. People on either instance see
// each other's changes, a form from one is taken by the other, a file uploaded through one is served (by
// byte ranges) by the other, a page held on one wakes for a change made through the other, and killing
// one instance (SIGKILL) under a load of card creates loses no write that was answered: Caddy sends what
// follows to the other instance.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import t, { type Test } from 'tap';
import { projectRoot } from '../server/paths.js';
import { hashPassword } from '../server/passwords.js';
import { PostgresStore } from '../server/store/pg-store.js';
import { hashToken, newToken, SESSION_COOKIE } from '../server/web/session.js';
import { freePort } from './helpers/ports.js';
import { encode, formValues, type Page } from './helpers/browser.js';
import { startPostgres } from './helpers/postgres.js';
import { startServerProcess, until, type ServerProcess } from './helpers/server-process.js';

/** A Wami process on its own data folder (its temp files), removed with the test. */
async function startInstance(t: Test, env: Record<string, string>): Promise<ServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-instance-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServerProcess({ ...env, WAMI_DATA: dataDir });
  t.teardown(() => server.process.kill('SIGKILL'));
  return server;
}

/** Caddy on deploy/Caddyfile, its LAN listener in front of the given instances; answers that listener's origin. */
async function startCaddy(t: Test, upstreams: string[]): Promise<string> {
  const [httpsPort, httpPort, lanPort] = [await freePort(), await freePort(), await freePort()];
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-caddy-'));
  const caddy = spawn('caddy', ['run', '--config', path.join(projectRoot, 'deploy', 'Caddyfile'), '--adapter', 'caddyfile'], {
    env: {
      ...process.env, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home, WAMI_DOMAIN: 'localhost',
      WAMI_HTTPS_PORT: String(httpsPort), WAMI_HTTP_PORT: String(httpPort), WAMI_LAN_PORT: String(lanPort),
      WAMI_UPSTREAM: upstreams.map((origin) => origin.replace('http://', '')).join(' '), WAMI_CADDY_ADMIN: 'off',
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  t.teardown(() => {
    caddy.kill('SIGTERM');
    fs.rmSync(home, { recursive: true, force: true });
  });
  const origin = `http://127.0.0.1:${lanPort}`;
  await until(async () => (await fetch(`${origin}/healthz`)).ok, 'Caddy did not start', () => caddy.exitCode === null);
  return origin;
}

/** A person made in the shared database: a signed-in browser cookie, and a Bearer token from /users/login. */
async function person(store: PostgresStore, origin: string, username: string) {
  const user = await store.users.create({ username, email: `${username}@example.org`, passwordHash: await hashPassword('a long passphrase') });
  const cookieToken = newToken();
  await store.sessions.create(hashToken(cookieToken), user.id, new Date(Date.now() + 86400_000).toISOString());
  const login = await fetch(`${origin}/users/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'a long passphrase' }),
  });
  const { token } = await login.json() as { token: string };
  return { user, cookie: `${SESSION_COOKIE}=${cookieToken}`, bearer: `Bearer ${token}` };
}

t.test('two instances behind Caddy on one PostgreSQL: shared changes, and one killed under load loses nothing answered', async (t) => {
  const postgres = await startPostgres(t);
  // The attachments folder both mount (here: one folder on this machine).
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-shared-files-'));
  t.teardown(() => fs.rmSync(shared, { recursive: true, force: true }));
  const env = { WAMI_DATABASE_URL: postgres.url, WAMI_WAIT_SECONDS: '20', WAMI_ATTACHMENTS_DIR: shared };
  // Both start at once: the second waits on the migration lock, then finds nothing to do.
  const [a, b] = await Promise.all([startInstance(t, env), startInstance(t, env)]);
  const balancer = await startCaddy(t, [a.origin, b.origin]);
  const store = await PostgresStore.connect(postgres.url, 2);
  t.teardown(() => store.close());

  const alice = await person(store, balancer, 'alice');
  const bob = await person(store, balancer, 'bob');
  const board = await store.boards.create(alice.user.id, 'Two instances');
  await store.members.add(alice.user.id, board.id, 'bob', 'normal');
  const list = await store.lists.create(alice.user.id, board.id, 'To do');
  const boardPath = `/b/${board.id}/${board.slug}`;
  const api = (origin: string, who: { bearer: string }, title: string) => fetch(`${origin}/api/boards/${board.id}/lists/${list.id}/cards`, {
    method: 'POST', headers: { authorization: who.bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ title, authorId: alice.user.id }),
  });
  const page = async (origin: string, who: { cookie: string }) => (await fetch(`${origin}${boardPath}`, { headers: { cookie: who.cookie } })).text();

  t.equal((await api(a.origin, alice, 'Made on A by alice')).status, 200, 'alice adds a card through A');
  t.equal((await api(b.origin, bob, 'Made on B by bob')).status, 200, 'bob adds one through B');
  for (const [name, origin] of [['A', a.origin], ['B', b.origin]] as const) {
    const seen = await page(origin, bob);
    t.ok(seen.includes('Made on A by alice') && seen.includes('Made on B by bob'), `bob sees both cards on instance ${name}`);
    t.ok((await page(origin, alice)).includes('Made on B by bob'), `alice sees bob's card on instance ${name}`);
  }
  const throughCaddy = await Promise.all([0, 1, 2, 3].map(() => page(balancer, bob)));
  t.ok(throughCaddy.every((html) => /Signed in as <a [^>]+><strong>bob</.test(html)), "bob's session holds on whichever instance Caddy picks");

  // Behind a balancer the form comes from one instance and its post goes to the other.
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page(a.origin, bob))![1]!;
  const posted = await fetch(`${b.origin}${boardPath}/cards`, {
    method: 'POST', redirect: 'manual', headers: { cookie: bob.cookie },
    body: new URLSearchParams({ csrf, title: 'Form from A posted to B', listId: list.id, swimlaneId: (await store.swimlanes.forBoard(board.id, false))[0]!.id }),
  });
  t.equal(posted.status, 303, "a form served by A is taken by B (the CSRF secret is shared)");
  t.ok((await page(a.origin, alice)).includes('Form from A posted to B'), 'and its card shows on A');

  // A file uploaded through A is downloaded through B, byte ranges and all.
  const made = await (await api(a.origin, alice, 'With a file')).json() as { _id: string };
  const upload = new FormData();
  upload.set('csrf', csrf);
  const bytes = Buffer.from(Array.from({ length: 50_000 }, (_, i) => i % 251));
  upload.append('file', new Blob([bytes]), 'figures.bin');
  const uploaded = await fetch(`${a.origin}${boardPath}/${made._id}/attachments`, {
    method: 'POST', redirect: 'manual', headers: { cookie: bob.cookie }, body: upload,
  });
  t.equal(uploaded.status, 303, 'bob uploads a file through A');
  const cardOnB = await (await fetch(`${b.origin}${boardPath}/${made._id}`, { headers: { cookie: bob.cookie } })).text();
  const fileUrl = /href="([^"]+\/attachments\/[^"/]+\/[^"]*figures\.bin)"/.exec(cardOnB)?.[1] ?? '';
  t.ok(fileUrl, "B's card page links the file");
  const ranged = await fetch(`${b.origin}${fileUrl.replace(/&amp;/g, '&')}`, { headers: { cookie: bob.cookie, range: 'bytes=1000-1999' } });
  t.equal(ranged.status, 206, 'B serves a byte range of it');
  t.same(Buffer.from(await ranged.arrayBuffer()), bytes.subarray(1000, 2000), 'the right bytes, from the shared folder');

  // An import through Caddy: its preview and its job live in the instance that took the upload, and
  // Caddy's "lb" cookie keeps the browser there (round robin would send the confirmation elsewhere).
  let jar = bob.cookie;
  const keepCookie = (answer: Response) => {
    const lb = answer.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!).find((cookie) => cookie.startsWith('lb='));
    if (lb) jar = `${bob.cookie}; ${lb}`;
    return answer;
  };
  const importPage = await (keepCookie(await fetch(`${balancer}/import`, { headers: { cookie: jar } }))).text();
  t.match(jar, /; lb=/, 'Caddy gives the browser its instance cookie');
  const exported = await (await fetch(`${a.origin}/api/boards/${board.id}/export`, { headers: { authorization: alice.bearer } })).text();
  const importUpload = new FormData();
  importUpload.set('csrf', /name="csrf" value="([^"]+)"/.exec(importPage)![1]!);
  importUpload.append('file', new Blob([exported]), 'export.json');
  const preview = await (keepCookie(await fetch(`${balancer}/import`, { method: 'POST', headers: { cookie: jar }, body: importUpload }))).text();
  // the confirmation form as the browser fills it in: the title and people as proposed
  const { values } = formValues({ $: cheerio.load(preview), url: '/import' } as Page, '/import/confirm');
  let answer = await fetch(`${balancer}/import/confirm`, {
    method: 'POST', redirect: 'manual', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' }, body: encode(values),
  });
  const statuses = [answer.status];
  // its job page reloads itself until the board is made: each reload through Caddy, as the browser's
  for (let i = 0; i < 100 && (answer.status === 200 || new URL(answer.headers.get('location') ?? '/', balancer).pathname.startsWith('/import/jobs/')); i++) {
    const next = answer.status === 200 ? answer.url : new URL(answer.headers.get('location')!, balancer).href;
    if (answer.status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await fetch(next, { redirect: 'manual', headers: { cookie: jar } });
    statuses.push(answer.status);
  }
  t.same(statuses.filter((status) => status !== 200 && status !== 303), [], `every step of the import answered (${statuses.join(' ')})`);
  t.match(new URL(answer.headers.get('location') ?? '', balancer).pathname, /^\/b\//, 'and it ends on the new board');

  const onA = await page(a.origin, bob);
  const waitUrl = /http-equiv="refresh" content="\d+;url=([^"]+)"/.exec(onA)![1]!.replace(/&amp;/g, '&');
  const held = fetch(`${a.origin}${waitUrl}`, { headers: { cookie: bob.cookie } }).then((answer) => answer.text());
  await new Promise((resolve) => setTimeout(resolve, 300));
  const changed = Date.now();
  await api(b.origin, alice, 'Wakes A');
  t.ok((await held).includes('Wakes A'), "bob's page held on A shows alice's card made through B");
  t.ok(Date.now() - changed < 1000, `within a second (${Date.now() - changed} ms)`);

  // The load: eight writers through Caddy, each card titled uniquely; an answered create is a 200 with an id.
  const answered: string[] = [];
  const failed: number[] = [];
  let answeredAfterKill = 0;
  let killed = false;
  let stop = false;
  const writer = async (w: number) => {
    for (let n = 0; !stop; n++) {
      const title = `load ${w}.${n}`;
      try {
        const answer = await api(balancer, alice, title);
        const body = await answer.json() as { _id?: string };
        if (answer.status === 200 && body._id) {
          answered.push(title);
          if (killed) answeredAfterKill++;
        } else {
          failed.push(answer.status);
        }
      } catch {
        failed.push(0);
      }
    }
  };
  const load = Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  a.process.kill('SIGKILL');
  killed = true;
  const answeredBeforeKill = answered.length;
  await new Promise((resolve) => setTimeout(resolve, 2500));
  stop = true;
  await load;

  const stored = await store.sql.column<string>("SELECT title FROM cards WHERE board_id = ? AND title LIKE 'load %'", board.id);
  const storedSet = new Set(stored);
  t.ok(answeredBeforeKill > 20, `the load ran on both instances before the kill (${answeredBeforeKill} answered)`);
  t.ok(answeredAfterKill > 20, `and went on through the one left (${answeredAfterKill} answered after the kill)`);
  t.same(answered.filter((title) => !storedSet.has(title)), [], `every one of the ${answered.length} answered creates is stored`);
  t.equal(stored.length, storedSet.size, 'no create was made twice (Caddy resends only what never reached an instance)');
  t.ok(failed.length <= 8, `at most the requests in flight on the killed instance failed (${failed.length}: ${failed.join(' ')})`);
  const listed = await fetch(`${balancer}/api/boards/${board.id}/lists/${list.id}/cards`, { headers: { authorization: bob.bearer } });
  const titles = new Set((await listed.json() as { title: string }[]).map((card) => card.title));
  t.ok(answered.every((title) => titles.has(title)), 'the API through Caddy lists every answered card');
});
