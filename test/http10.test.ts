// HTTP/1.0 clients (Lynx, w3m, old Amiga stacks) over a raw socket: every answer carries Content-Length,
// none is chunked, the server closes the connection after it; gzip only when asked; the long poll works
// for them; a request without Host still gets absolute redirects that lead somewhere.
import t from 'tap';
import net from 'node:net';
import zlib from 'node:zlib';
import { listenApp } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';

interface RawAnswer { status: number; headers: Map<string, string>; body: Buffer; closedByServer: boolean }

/** Sends `request` as written and reads until the server closes the connection. */
function raw(url: string, request: string, body = ''): Promise<RawAnswer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`the server kept the connection open: ${request.split('\r\n')[0]}`)); }, 5000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split).toString('latin1').split('\r\n');
      const headers = new Map(head.slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(head[0]!.split(' ')[1]), headers, body: all.subarray(split + 4), closedByServer: true });
    });
    socket.on('error', reject);
    socket.write(request + body);
  });
}

t.test('every answer to an HTTP/1.0 request has Content-Length, no chunks, and the connection closed', async (t) => {
  const { app, url, store } = await listenApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Old school');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Typed in Lynx' });
  const path = boardPath(board);
  const cardUrl = board.$('div.card > a').first().attr('href')!;
  await alice.upload(await alice.get(cardUrl), '/attachments', [{ filename: 'notes.txt', content: 'plain old text\n' }]);
  const attachment = await store.sql.value('SELECT id FROM attachments') as string;
  const version = (await store.boards.byId(path.split('/')[2]!))!.version;
  const cookie = `Cookie: ${alice.cookieHeader()}\r\n`;
  const get = (target: string, extra = '') => raw(url, `GET ${target} HTTP/1.0\r\nHost: wami.test\r\nUser-Agent: Lynx/2.9.0dev.12\r\n${cookie}${extra}\r\n`);

  const targets = ['/sign-in', '/', path, cardUrl, `${path}/settings`, `${path}/wait?since=${version - 1}`, '/static/wami.css', '/static/wami.gif',
    `${cardUrl}/attachments/${attachment}/notes.txt`, '/nowhere', '/api/user'];
  for (const target of targets) {
    const answer = await get(target);
    t.ok(answer.headers.has('content-length'), `${target}: Content-Length`);
    t.equal(Number(answer.headers.get('content-length')), answer.body.length, `${target}: the whole body, as announced`);
    t.notOk(answer.headers.has('transfer-encoding'), `${target}: not chunked`);
    t.equal(answer.headers.get('connection')?.toLowerCase(), 'close', `${target}: Connection: close`);
  }
  const ranged = await get(`${cardUrl}/attachments/${attachment}/notes.txt`, 'Range: bytes=0-4\r\n');
  t.equal(ranged.status, 206);
  t.equal(ranged.body.toString(), 'plain');

  const plain = await get(path);
  t.notOk(plain.headers.has('content-encoding'), 'no gzip unless asked');
  const zipped = await get(path, 'Accept-Encoding: gzip, compress, bzip2\r\n');
  t.equal(zipped.headers.get('content-encoding'), 'gzip', 'gzip when asked, as Lynx does');
  t.equal(Number(zipped.headers.get('content-length')), zipped.body.length);
  t.equal(zlib.gunzipSync(zipped.body).toString(), plain.body.toString());

  const posted = await raw(url, `POST ${path}/cards HTTP/1.0\r\nHost: wami.test\r\n${cookie}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\n`, 'title=Odd');
  t.equal(posted.status, 403, 'a post without its form token is refused, framed all the same');
  t.ok(posted.headers.has('content-length'));

  // the long poll: held until the board changes, then answered whole
  const held = get(`${path}/wait?since=${(await store.boards.byId(path.split('/')[2]!))!.version}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  board = await alice.submit(await alice.get(path), '/cards', { title: 'Seen by the poll' });
  const woken = await held;
  t.equal(woken.status, 200);
  t.match(woken.body.toString(), 'Seen by the poll');
  t.equal(Number(woken.headers.get('content-length')), woken.body.length);
});

t.test('no Host header (HTTP/1.0): redirects use the base URL, else a relative path', async (t) => {
  const configured = await listenApp(t, { WAMI_BASE_URL: 'http://kanban.example.org:8080' });
  const withBase = await raw(configured.url, 'GET / HTTP/1.0\r\n\r\n');
  t.equal(withBase.status, 303);
  t.equal(withBase.headers.get('location'), 'http://kanban.example.org:8080/sign-in?next=%2F');
  const bare = await listenApp(t);
  const without = await raw(bare.url, 'GET / HTTP/1.0\r\n\r\n');
  t.equal(without.headers.get('location'), '/sign-in?next=%2F');
  const cookies = await raw(bare.url, 'GET /cookies?next=/ HTTP/1.0\r\n\r\n');
  t.equal(cookies.status, 200);
  t.match(cookies.body.toString(), '127.0.0.1', 'the cookie advice names the host too');
});
