// deploy/: the Caddyfile and the systemd unit pass their tools' own checks, and a real Caddy started on
// the real Caddyfile (high ports, Caddy's internal certificate for "localhost") serves Wami as a browser
// needs it: the TLS site and the LAN's plain-HTTP listener each with their own origin and cookies, long
// polls held, byte ranges untouched, /metrics kept in. Needs `caddy` and `systemd-analyze` (test/install.sh).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { listenApp } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { freePort } from './helpers/ports.js';
import { FORM_COOKIE, SESSION_COOKIE } from '../server/web/session.js';

const deploy = path.resolve('deploy');

// Caddy's certificate for localhost is signed by its own CA, which this test does not install anywhere.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

/** Runs a checker; its exit status and everything it printed. */
function check(command: string, args: string[], env: Record<string, string> = {}): { status: number; output: string } {
  try {
    const output = execFileSync(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

t.test('caddy validate accepts deploy/Caddyfile, as written and formatted', async (t) => {
  const validated = check('caddy', ['validate', '--config', path.join(deploy, 'Caddyfile'), '--adapter', 'caddyfile'], { WAMI_CADDY_ADMIN: 'off' });
  t.equal(validated.status, 0, validated.output);
  t.match(validated.output, 'Valid configuration');
  const formatted = execFileSync('caddy', ['fmt', path.join(deploy, 'Caddyfile')], { encoding: 'utf8' });
  t.equal(formatted, fs.readFileSync(path.join(deploy, 'Caddyfile'), 'utf8'), 'caddy fmt would change nothing');
});

t.test('systemd-analyze verify finds nothing to say about deploy/wami.service', async (t) => {
  // It exits 0 even for unknown keys and bad values, and only prints them: so nothing may be printed.
  const verified = check('systemd-analyze', ['verify', path.join(deploy, 'wami.service')]);
  t.equal(verified.status, 0);
  t.equal(verified.output.trim(), '', 'no warnings');
  const unit = fs.readFileSync(path.join(deploy, 'wami.service'), 'utf8');
  for (const line of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/wami', 'User=wami', 'Restart=on-failure', 'KillSignal=SIGTERM']) {
    t.match(unit, new RegExp(`^${line}$`, 'm'), line);
  }
  t.ok(Number(/^LimitNOFILE=(\d+)$/m.exec(unit)?.[1]) >= 65536, 'descriptors for tens of thousands of held long polls');
});

t.test('deploy/sysctl.conf: every setting exists on this kernel and is explained', async (t) => {
  const lines = fs.readFileSync(path.join(deploy, 'sysctl.conf'), 'utf8').split('\n');
  const settings = lines.map((line, i) => ({ line, i })).filter(({ line }) => /^[a-z]/.test(line));
  t.ok(settings.length >= 4);
  for (const { line, i } of settings) {
    const key = line.split('=')[0]!.trim();
    t.ok(fs.existsSync(path.join('/proc/sys', ...key.split('.'))), `${key} is a kernel setting`);
    t.match(lines[i - 1] ?? '', /^#/, `${key} has its why on the line above`);
  }
});

/** `name=value` of one of Wami's cookies in the answer (Caddy adds its own instance cookie, `lb`). */
function wamiCookie(answer: Response, name: string): string {
  return answer.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!).find((cookie) => cookie.startsWith(`${name}=`)) ?? '';
}

t.test('a real Caddy on deploy/Caddyfile in front of Wami: TLS site and LAN listener', async (t) => {
  const [httpsPort, httpPort, lanPort] = [await freePort(), await freePort(), await freePort()];
  const site = `https://localhost:${httpsPort}`;
  const lan = `http://127.0.0.1:${lanPort}`;
  const { app, url } = await listenApp(t, { WAMI_BASE_URL: `${site} ${lan}`, WAMI_WAIT_SECONDS: '20' });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-caddy-'));
  const caddy = spawn('caddy', ['run', '--config', path.join(deploy, 'Caddyfile'), '--adapter', 'caddyfile'], {
    env: {
      ...process.env, HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home,
      WAMI_DOMAIN: 'localhost', WAMI_HTTPS_PORT: String(httpsPort), WAMI_HTTP_PORT: String(httpPort),
      WAMI_LAN_PORT: String(lanPort), WAMI_UPSTREAM: url.replace('http://', ''), WAMI_CADDY_ADMIN: 'off',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let caddyLog = '';
  caddy.stderr.on('data', (chunk: Buffer) => { caddyLog += chunk.toString(); });
  t.teardown(() => {
    caddy.kill('SIGTERM');
    fs.rmSync(home, { recursive: true, force: true });
  });
  const ready = async (origin: string) => {
    for (let i = 0; i < 100; i++) {
      try {
        return await fetch(`${origin}/healthz`);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`Caddy did not answer on ${origin}: ${caddyLog}`);
  };
  t.equal((await ready(lan)).status, 200, 'the LAN listener proxies to Wami');
  t.equal((await ready(site)).status, 200, 'the TLS site too');

  const alice = await signUp(app, 'alice', 'password123');
  const signIn = async (origin: string) => {
    const form = await fetch(`${origin}/sign-in`);
    const formCookie = wamiCookie(form, FORM_COOKIE);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    return fetch(`${origin}/sign-in`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ csrf, username: 'alice', password: 'password123' }),
      headers: { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
  };
  const overLan = await signIn(lan);
  t.equal(overLan.status, 303);
  t.equal(overLan.headers.get('location'), `${lan}/`, 'the LAN browser stays on plain HTTP');
  t.notMatch(overLan.headers.get('set-cookie') ?? '', /Secure/, 'its cookies can come back over HTTP');
  t.equal(overLan.headers.get('strict-transport-security'), null);
  const overTls = await signIn(site);
  t.equal(overTls.status, 303);
  t.equal(overTls.headers.get('location'), `${site}/`);
  t.match(overTls.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '', /; Secure/);
  t.match(overTls.headers.get('strict-transport-security') ?? '', 'max-age=');
  const cookie = wamiCookie(overLan, SESSION_COOKIE);

  t.equal((await fetch(`${lan}/metrics`)).status, 404, '/metrics is not served to the outside');

  // A long poll through Caddy: held until the board changes (1.5 s here), then answered whole.
  let board = await createBoard(alice, 'Through Caddy');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  const page = await (await fetch(`${lan}${boardPath(board)}`, { headers: { cookie } })).text();
  const waitPath = (/http-equiv="refresh" content="\d+;url=([^"]+)"/.exec(page)?.[1] ?? '').replace(/&amp;/g, '&');
  t.match(waitPath, '/wait');
  const started = Date.now();
  const held = fetch(`${lan}${waitPath}`, { headers: { cookie } });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  board = await alice.submit(board, '/cards', { title: 'Seen through Caddy' });
  const woken = await held;
  t.equal(woken.status, 200);
  t.match(await woken.text(), 'Seen through Caddy');
  t.ok(Date.now() - started >= 1400, 'held, not answered at once');

  // A byte range of an attachment, asked for with gzip allowed: Caddy passes it as Wami sent it.
  const cardPath = board.$('div.card a').filter((_, a) => board.$(a).text() === 'Seen through Caddy').attr('href')!;
  const content = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join(''));
  const card = await alice.upload(await alice.get(cardPath), '/attachments', [{ filename: 'log.txt', content, type: 'text/plain' }]);
  const file = card.$('table.attachments a').first().attr('href')!;
  const range = await fetch(`${lan}${file}`, { headers: { cookie, range: 'bytes=1000-1999', 'accept-encoding': 'gzip' } });
  t.equal(range.status, 206);
  t.equal(range.headers.get('content-encoding'), null, 'not compressed on the way');
  t.equal(range.headers.get('content-range'), `bytes 1000-1999/${content.length}`);
  t.same(Buffer.from(await range.arrayBuffer()), content.subarray(1000, 2000));
});
