// HTTP as old clients speak it: HTTP/1.0 without chunking, Content-Length everywhere, absolute
// Location headers, clear error pages for bodies we cannot take, static files and settings.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import t from 'tap';
import { listenApp, startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { loadConfig } from '../server/config.js';

/** Sends raw bytes, reads until the server closes the connection (as HTTP/1.0 expects). */
function raw(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.setTimeout(5000, () => reject(new Error('the server did not close the connection')));
  });
}

function head(response: string): { status: number; headers: Record<string, string>; body: string } {
  const [top, ...rest] = response.split('\r\n\r\n');
  const [statusLine, ...lines] = top!.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

t.test('an HTTP/1.0 client (Lynx, w3m) gets Content-Length, no chunking, and a closed connection', async (t) => {
  const { url } = await listenApp(t);
  for (const path of ['/sign-in', '/', '/nowhere', '/static/wami.css']) {
    const response = head(await raw(url, `GET ${path} HTTP/1.0\r\nHost: x\r\nUser-Agent: Lynx/2.9.0dev.12\r\n\r\n`));
    t.notOk(response.headers['transfer-encoding'], `${path}: not chunked`);
    t.ok(response.headers['content-length'], `${path}: Content-Length`);
    t.equal(Buffer.byteLength(response.body, 'latin1'), Number(response.headers['content-length']), `${path}: the length is right`);
  }
  const redirect = head(await raw(url, 'GET / HTTP/1.0\r\nHost: kanban.example:5500\r\n\r\n'));
  t.equal(redirect.status, 303);
  t.equal(redirect.headers.location, '/sign-in?next=%2F', 'without WAMI_BASE_URL a relative Location: the Host is what a client says');
});

t.test('pages may not be framed by other sites, and a trailing slash is the same page', async (t) => {
  const { app } = await startApp(t);
  const page = await app.inject({ url: '/sign-in/' });
  t.equal(page.statusCode, 200);
  t.equal(page.headers['x-frame-options'], 'DENY');
  t.equal(page.headers['x-content-type-options'], 'nosniff');
  t.match(page.headers['cache-control'], 'private');
  t.equal(page.headers['referrer-policy'], 'same-origin', 'reset and invitation tokens in URLs stay on the site');
  t.match(page.headers['content-security-policy'], "script-src 'none'", 'no script may run: Wami has none');
  t.match(page.headers['content-security-policy'], "frame-ancestors 'none'");
});

t.test('HEAD works on pages', async (t) => {
  const { app } = await startApp(t);
  const response = await app.inject({ method: 'HEAD', url: '/sign-in' });
  t.equal(response.statusCode, 200);
  t.equal(response.body, '');
});

t.test('WAMI_BASE_URL makes redirects point at the public origin, whatever Host or X-Forwarded-Host say', async (t) => {
  const { app } = await startApp(t, { WAMI_BASE_URL: 'https://kanban.example.org' });
  const response = await app.inject({ url: '/' });
  t.equal(response.headers.location, 'https://kanban.example.org/sign-in?next=%2F', 'an absolute Location (RFC 1945)');
  for (const headers of [{ host: 'evil.example' }, { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }]) {
    const asked = await app.inject({ url: '/boards', headers });
    t.equal(asked.headers.location, 'https://kanban.example.org/', `${Object.keys(headers).join(', ')}: still the public origin`);
  }
  const bare = (await startApp(t)).app;
  // a trusted proxy (inject comes from 127.0.0.1) passing on whatever Host it was sent: still no other site
  for (const headers of [{ host: 'evil.example' }, { 'x-forwarded-host': 'evil.example' }]) {
    for (const url of ['/', '/boards', '/boards/abc/some-title']) {
      const location = String((await bare.inject({ url, headers })).headers.location);
      t.ok(location.startsWith('/') && !location.startsWith('//'), `${url} with ${Object.keys(headers)[0]}: a path, not a link to the named host (${location})`);
    }
  }
});

t.test('a body over the limit is a 413 page; nothing is stored', async (t) => {
  const { app, store } = await startApp(t, { WAMI_BODY_LIMIT: '2048' });
  const alice = await signUp(app, 'alice');
  const token = (await alice.get('/')).$('input[name=csrf]').attr('value')!;
  const response = await alice.post('/boards', { csrf: token, title: 'x'.repeat(5000) });
  t.equal(response.status, 413);
  t.match(response.text, 'Too large');
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), 0);
});

t.test('an unknown body type is a 415 page', async (t) => {
  const { app } = await startApp(t);
  const unsupported = await app.inject({ method: 'POST', url: '/boards', headers: { 'content-type': 'application/x-unknown' }, payload: 'x' });
  t.equal(unsupported.statusCode, 415);
  t.match(unsupported.headers['content-type'], 'text/html');
  t.match(unsupported.body, 'Unsupported form encoding');
});

t.test('static files and the favicon are served with caching headers', async (t) => {
  const { app } = await startApp(t);
  const css = await app.inject({ url: '/static/wami.css' });
  t.equal(css.statusCode, 200);
  t.match(css.headers['content-type'], 'text/css');
  t.match(css.headers['cache-control'], 'max-age=');
  const icon = await app.inject({ url: '/favicon.ico' });
  t.equal(icon.statusCode, 200);
  const gif = await app.inject({ url: '/static/wami.gif' });
  t.equal(gif.headers['content-type'], 'image/gif');
  t.equal((await app.inject({ url: '/static/../package.json' })).statusCode, 404);
});

t.test('settings: defaults, and clear errors for bad values', async (t) => {
  const config = loadConfig({});
  t.equal(config.port, 5500);
  t.match(config.dataDir, /wekandata$/);
  t.equal(config.baseUrl, null);
  t.throws(() => loadConfig({ WAMI_PORT: 'eighty' }), /WAMI_PORT must be a whole number/);
  t.equal(loadConfig({}).databasePool, 10);
  t.throws(() => loadConfig({ WAMI_DATABASE_POOL: '0' }), /WAMI_DATABASE_POOL/);
  t.throws(() => loadConfig({ WAMI_BASE_URL: 'https://example.org/kanban' }), /without a path/);
  t.throws(() => loadConfig({ WAMI_ALLOW_SIGN_UP: 'maybe' }), /true or false/);
  t.equal(loadConfig({ WAMI_BASE_URL: 'https://example.org/' }).baseUrl, 'https://example.org');
  t.same(loadConfig({ WAMI_BASE_URL: 'https://example.org, http://kanban.lan:8080' }).origins, ['https://example.org', 'http://kanban.lan:8080']);
  t.throws(() => loadConfig({ WAMI_BASE_URL: 'https://example.org, kanban.lan' }), /WAMI_BASE_URL must be a URL/);
  t.equal(config.trustProxy, '127.0.0.1,::1', 'a proxy on this machine is trusted by default');
  t.equal(loadConfig({ WAMI_TRUST_PROXY: '10.0.0.0/8, fd00::/8' }).trustProxy, '10.0.0.0/8,fd00::/8');
  t.equal(loadConfig({ WAMI_TRUST_PROXY: 'false' }).trustProxy, false);
  t.throws(() => loadConfig({ WAMI_METRICS_TOKEN: 'short' }), /WAMI_METRICS_TOKEN must be at least 16 characters/);
  t.notMatch(String((() => { try { loadConfig({ WAMI_METRICS_TOKEN: 'short' }); } catch (e) { return e; } })()), 'short', 'the message does not repeat the secret');
  for (const bad of ['caddy', '10.0.0.0/33', '10.0.0.1/8/1']) {
    t.throws(() => loadConfig({ WAMI_TRUST_PROXY: bad }), /WAMI_TRUST_PROXY must list proxy addresses/, bad);
  }
});

t.test('every WAMI_ setting the server reads has its row in the settings table of the README', async (t) => {
  const read = new Set<string>();
  for (const entry of fs.readdirSync('server', { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      for (const name of fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8').match(/WAMI_[A-Z_]+/g) ?? []) read.add(name);
    }
  }
  const documented = new Set(fs.readFileSync('README.md', 'utf8').match(/^\| `WAMI_[A-Z_]+`/gm)?.map((row) => row.slice(3, -1)));
  t.ok(read.size >= 20);
  t.same([...read].filter((name) => !documented.has(name)).sort(), [], 'no setting without its row');
  t.same([...documented].filter((name) => !read.has(name)).sort(), [], 'no row for a setting that is gone');
});

t.test('one server, two listeners (TLS site and a LAN plain-HTTP one): each gets its own origin and cookie', async (t) => {
  const { app } = await startApp(t, { WAMI_BASE_URL: 'https://kanban.example.org http://kanban.lan' });
  await signUp(app, 'alice', 'password123');
  const signIn = async (host: string) => {
    const form = await app.inject({ url: '/sign-in', headers: { host } });
    const formCookie = String(form.headers['set-cookie']).split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    return app.inject({ method: 'POST', url: '/sign-in', headers: { host, cookie: formCookie },
      payload: { csrf, username: 'alice', password: 'password123' } });
  };
  const site = await signIn('kanban.example.org');
  t.equal(site.statusCode, 303);
  t.match(site.headers.location, /^https:\/\/kanban\.example\.org\//);
  t.match(String(site.headers['set-cookie']), /; Secure/, 'Secure on the TLS site');
  const lan = await signIn('kanban.lan');
  t.equal(lan.statusCode, 303);
  t.match(lan.headers.location, /^http:\/\/kanban\.lan\//, 'the LAN browser stays on plain HTTP');
  t.notMatch(String(lan.headers['set-cookie']), /Secure/, 'IBrowse would never send a Secure cookie back over HTTP');
  const other = await app.inject({ url: '/', headers: { host: '127.0.0.1:5500' } });
  t.match(other.headers.location, /^https:\/\/kanban\.example\.org\//, 'a Host we do not know (a proxy that rewrites it): the public origin');
});

t.test('X-Forwarded-For counts only from a trusted proxy: failed sign-ins are limited per real address', async (t) => {
  const { app } = await startApp(t);
  const login = (forwardedFor: string, remoteAddress = '127.0.0.1') => app.inject({
    method: 'POST', url: '/users/login', remoteAddress, headers: { 'x-forwarded-for': forwardedFor },
    payload: { username: `nobody-${Math.random()}`, password: 'wrong password' },
  });
  for (let i = 0; i < 10; i++) t.equal((await login('203.0.113.9')).statusCode, 401);
  t.equal((await login('203.0.113.9')).statusCode, 429, 'that address is paused');
  t.equal((await login('198.51.100.4')).statusCode, 401, 'another address behind the same proxy is not');
  for (let i = 0; i < 10; i++) await login('203.0.113.9', '192.0.2.7');
  t.equal((await login('198.51.100.4', '192.0.2.7')).statusCode, 429,
    'from a peer that is not a trusted proxy the header is ignored: all of it counts against 192.0.2.7');
});

t.test('a form that leads back to its own page gets a fresh URL (links2 would show its cached copy)', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const board = await createBoard(alice, 'Cached');
  const path = boardPath(board);
  const csrf = String(board.$('input[name=csrf]').first().val());
  const post = (referer?: string) => app.inject({ method: 'POST', url: `${path}/lists`, payload: `csrf=${csrf}&title=L`,
    headers: { cookie: alice.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', host: 'wami.test', ...(referer ? { referer } : {}) } });
  const same = await post(`http://wami.test${path}`);
  t.equal(same.statusCode, 303);
  t.match(same.headers.location, new RegExp(`^${path}\\?updated=[0-9a-z]+$`));
  const again = await post(`http://wami.test${path}`);
  t.not(again.headers.location, same.headers.location, 'a new one each time');
  t.equal((await post()).headers.location, path, 'no Referer (a script): the plain URL');
  t.match((await post('http://wami.test/')).headers.location, /\?updated=/, 'the origin alone (Dillo sends no more): it may be that page, so a fresh URL too');
  t.equal((await post('http://wami.test/b/other/page')).headers.location, path, 'another of our pages: the plain URL');
  t.equal((await post('http://elsewhere.example/x')).headers.location, path, 'another site\'s page: the plain URL');
  t.equal((await alice.get(same.headers.location as string)).status, 200, 'the board page takes it');
});
