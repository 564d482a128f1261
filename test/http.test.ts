// HTTP as old clients speak it: HTTP/1.0 without chunking, Content-Length everywhere, absolute
// Location headers, clear error pages for bodies we cannot take, static files and settings.
import net from 'node:net';
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
  t.equal(redirect.headers.location, 'http://kanban.example:5500/sign-in?next=%2F', 'an absolute Location (RFC 1945)');
});

t.test('pages may not be framed by other sites, and a trailing slash is the same page', async (t) => {
  const { app } = await startApp(t);
  const page = await app.inject({ url: '/sign-in/' });
  t.equal(page.statusCode, 200);
  t.equal(page.headers['x-frame-options'], 'DENY');
  t.equal(page.headers['x-content-type-options'], 'nosniff');
  t.match(page.headers['cache-control'], 'private');
});

t.test('HEAD works on pages', async (t) => {
  const { app } = await startApp(t);
  const response = await app.inject({ method: 'HEAD', url: '/sign-in' });
  t.equal(response.statusCode, 200);
  t.equal(response.body, '');
});

t.test('WAMI_BASE_URL makes redirects point at the public origin', async (t) => {
  const { app } = await startApp(t, { WAMI_BASE_URL: 'https://kanban.example.org' });
  const response = await app.inject({ url: '/' });
  t.equal(response.headers.location, 'https://kanban.example.org/sign-in?next=%2F');
});

t.test('a body over the limit is a 413 page; nothing is stored', async (t) => {
  const { app, store } = await startApp(t, { WAMI_BODY_LIMIT: '2048' });
  const alice = await signUp(app, 'alice');
  const token = (await alice.get('/')).$('input[name=csrf]').attr('value')!;
  const response = await alice.post('/boards', { csrf: token, title: 'x'.repeat(5000) });
  t.equal(response.status, 413);
  t.match(response.text, 'Too large');
  t.equal(store.db.prepare('SELECT count(*) FROM boards').pluck().get(), 0);
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
  t.throws(() => loadConfig({ WAMI_BASE_URL: 'https://example.org/kanban' }), /without a path/);
  t.throws(() => loadConfig({ WAMI_ALLOW_SIGN_UP: 'maybe' }), /true or false/);
  t.equal(loadConfig({ WAMI_BASE_URL: 'https://example.org/' }).baseUrl, 'https://example.org');
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
  t.match(same.headers.location, new RegExp(`^http://wami\\.test${path}\\?updated=[0-9a-z]+$`));
  const again = await post(`http://wami.test${path}`);
  t.not(again.headers.location, same.headers.location, 'a new one each time');
  t.equal((await post()).headers.location, `http://wami.test${path}`, 'no Referer (a script): the plain URL');
  t.match((await post('http://wami.test/')).headers.location, /\?updated=/, 'the origin alone (Dillo sends no more): it may be that page, so a fresh URL too');
  t.equal((await post('http://wami.test/b/other/page')).headers.location, `http://wami.test${path}`, 'another of our pages: the plain URL');
  t.equal((await post('http://elsewhere.example/x')).headers.location, `http://wami.test${path}`, 'another site\'s page: the plain URL');
  t.equal((await alice.get(same.headers.location as string)).status, 200, 'the board page takes it');
});
