// Attachments: uploads as real browsers send them, streamed to sharded files; downloads with byte
// ranges; and every way an upload can go wrong leaving nothing behind.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import t from 'tap';
import type { Store } from '../server/store/index.js';
import type { Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { listenApp, onPostgres, startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp, type Browser, type Page } from './helpers/browser.js';
import { multipart } from './helpers/multipart.js';
import { validateHtml } from './helpers/validate.js';

/** alice's board with one card; her browser on the card page. */
async function cardWithUploadForm(app: FastifyInstance, name = 'alice') {
  const alice = await signUp(app, name);
  let board = await createBoard(alice, 'Files');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Report' });
  const cardUrl = board.$('div.card a').filter((_, a) => board.$(a).text() === 'Report').attr('href')!;
  return { alice, boardUrl: boardPath(board), cardUrl, card: await alice.get(cardUrl) };
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Files in the data folder's temp and attachments folders (what a failed upload must not leave). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function attachmentRows(store: Store) {
  return await store.sql.all('SELECT * FROM attachments') as { id: string; name: string; type: string; size: number; sha256: string; width: number | null }[];
}

async function nothingLeft(t: Test, dataDir: string, store: Parameters<typeof attachmentRows>[0]) {
  t.same(filesUnder(path.join(dataDir, 'tmp')), [], 'no temp file left');
  t.same(filesUnder(path.join(dataDir, 'attachments')), [], 'no attachment file');
  t.same(await attachmentRows(store), [], 'no row');
}

t.test('a file uploaded from the card page is stored sharded by id, listed on the card, and downloads whole', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  const { alice, cardUrl, card } = await cardWithUploadForm(app);
  const content = Buffer.from('%PDF-1.4\n' + 'quarterly figures\n'.repeat(500));
  const page = await alice.upload(card, '/attachments', [{ filename: 'report.pdf', content, type: 'application/pdf' }]);
  t.equal(page.status, 200);
  t.equal(page.url, cardUrl, 'back on the card page (303)');
  const [row] = await attachmentRows(store);
  t.ok(row);
  t.equal(row!.name, 'report.pdf');
  t.equal(row!.type, 'application/pdf');
  t.equal(row!.size, content.length);
  t.equal(row!.sha256, sha256(content));
  const stored = filesUnder(path.join(dataDir, 'attachments'));
  t.equal(stored.length, 1);
  t.match(path.relative(dataDir, stored[0]!), new RegExp(`^attachments/[0-9a-f]{2}/[0-9a-f]{2}/${row!.id}$`));
  t.same(fs.readFileSync(stored[0]!), content);
  const listed = page.$('table.attachments tr').filter((_, tr) => page.$(tr).text().includes('report.pdf'));
  t.equal(listed.length, 1, 'the card lists the file');
  t.match(listed.text(), '8.8 KB');
  t.match(listed.text(), 'application/pdf');
  t.match(listed.text(), 'by alice');
  t.match(page.text, 'attached "report.pdf"', 'and its history says so');
  t.equal((await validateHtml(page.body, 'card-with-attachments')).valid, true);

  const href = listed.find('a').first().attr('href')!;
  t.equal(href, `${cardUrl}/attachments/${row!.id}/report.pdf`);
  const download = await app.inject({ url: href, headers: { cookie: alice.cookieHeader() } });
  t.equal(download.statusCode, 200);
  t.same(download.rawPayload, content);
  t.equal(download.headers['content-type'], 'application/pdf');
  t.equal(download.headers['content-length'], String(content.length));
  t.equal(download.headers['accept-ranges'], 'bytes');
  t.equal(download.headers.etag, `"${Buffer.from(row!.sha256, 'hex').toString('base64url')}"`, 'a strong ETag from the hash');
  t.ok(download.headers['last-modified']);
  t.equal(download.headers['content-disposition'], 'inline; filename="report.pdf"', 'PDFs open in the browser (an ASCII name needs no filename*)');
  const head = await app.inject({ method: 'HEAD', url: href, headers: { cookie: alice.cookieHeader() } });
  t.equal(head.statusCode, 200);
  t.equal(head.headers['content-length'], String(content.length));
  t.equal(head.rawPayload.length, 0);
});

t.test('several files in one upload; empty file boxes are skipped; types come from the name', async (t) => {
  const { app, store } = await startApp(t);
  const { alice, card } = await cardWithUploadForm(app);
  t.equal(card.$('form[enctype="multipart/form-data"] input[type=file]').length, 3, 'three file boxes (no "multiple" in HTML 4.01)');
  const page = await alice.upload(card, '/attachments', [
    { filename: 'notes.txt', content: 'hello', type: 'text/plain' },
    { filename: '', content: '' },
    { filename: 'photo.gif', content: fs.readFileSync('static/wami.gif'), type: 'text/plain' },
  ]);
  t.equal(page.status, 200);
  const rows = await attachmentRows(store);
  t.same(rows.map((r) => [r.name, r.type]).sort(), [['notes.txt', 'text/plain'], ['photo.gif', 'image/gif']],
    'old browsers label every file text/plain: the type comes from the extension');
  t.ok(rows.find((r) => r.name === 'photo.gif')!.width! > 0, 'an image is measured');
  const uploadPage = await alice.get(`${card.url}/attachments`);
  t.equal(uploadPage.status, 200, 'the upload form also has a page of its own');
  t.equal((await validateHtml(uploadPage.body, 'attachments-upload')).valid, true);
  t.equal((await alice.upload(uploadPage, '/attachments', [{ filename: 'more.txt', content: 'more' }])).status, 200);
  const nothing = await alice.upload(card, '/attachments', [{ filename: '', content: '' }]);
  t.equal(nothing.status, 422);
  t.match(nothing.text, 'Choose a file to attach.');
});

t.test('what real browsers send: Dillo\'s quoted boundary and missing final CRLF, full local paths, name charsets', async (t) => {
  const { app, store } = await startApp(t);
  const { alice, card } = await cardWithUploadForm(app);
  const cases: [string | Buffer, string, { quotedBoundary?: boolean; finalCrlf?: boolean }][] = [
    ['dillo.txt', 'dillo.txt', { quotedBoundary: true, finalCrlf: false }],
    ['/home/u/docs/lynx.pdf', 'lynx.pdf', {}],
    ['Work:docs/amiga.pdf', 'amiga.pdf', {}],
    ['C:\\Users\\u\\windows.pdf', 'windows.pdf', {}],
    ['Jäätelö €.txt', 'Jäätelö €.txt', {}],
    [Buffer.from([0x4b, 0xe4, 0x73, 0x65, 0x2e, 0x74, 0x78, 0x74]), 'Käse.txt', {}], // Latin-1 bytes from a Latin-1 page
  ];
  for (const [sent, kept, style] of cases) {
    const page = await alice.upload(card, '/attachments', [{ filename: sent, content: `content of ${kept}` }], style);
    t.equal(page.status, 200, `${kept}: accepted`);
  }
  t.same((await attachmentRows(store)).map((r) => r.name).sort(), cases.map((c) => c[1]).sort());
  const withEuro = (await attachmentRows(store)).find((r) => r.name === 'Jäätelö €.txt')!;
  const card2 = await alice.get(card.url);
  const href = card2.$('a').filter((_, a) => card2.$(a).text() === 'Jäätelö €.txt').attr('href')!;
  const download = await app.inject({ url: href, headers: { cookie: alice.cookieHeader() } });
  t.equal(download.body, 'content of Jäätelö €.txt');
  t.equal(download.headers['content-disposition'],
    `attachment; filename="Jaatelo .txt"; filename*=UTF-8''J%C3%A4%C3%A4tel%C3%B6%20%E2%82%AC.txt`,
    'text files download; an ASCII name for old browsers, the real one in filename*');
  t.equal(withEuro.type, 'text/plain');
});

t.test('byte ranges: single, suffix, open, several (multipart/byteranges), unsatisfiable, If-Range, 304', async (t) => {
  const { app, store } = await startApp(t);
  const { alice, card } = await cardWithUploadForm(app);
  const content = Buffer.from(Array.from({ length: 10000 }, (_, i) => String.fromCharCode(65 + (i % 26))).join(''));
  await alice.upload(card, '/attachments', [{ filename: 'big.pdf', content }]);
  const row = (await attachmentRows(store))[0]!;
  const url = `${card.url}/attachments/${row.id}/big.pdf`;
  const get = (headers: Record<string, string>) => app.inject({ url, headers: { cookie: alice.cookieHeader(), ...headers } });

  const single = await get({ range: 'bytes=100-199' });
  t.equal(single.statusCode, 206);
  t.equal(single.headers['content-range'], 'bytes 100-199/10000');
  t.equal(single.headers['content-length'], '100');
  t.same(single.rawPayload, content.subarray(100, 200));

  const suffix = await get({ range: 'bytes=-500' });
  t.equal(suffix.headers['content-range'], 'bytes 9500-9999/10000');
  t.same(suffix.rawPayload, content.subarray(9500));
  const open = await get({ range: 'bytes=9000-' });
  t.equal(open.headers['content-range'], 'bytes 9000-9999/10000');
  t.same(open.rawPayload, content.subarray(9000));

  const several = await get({ range: 'bytes=0-9,5000-5009,9990-' });
  t.equal(several.statusCode, 206);
  const boundary = /^multipart\/byteranges; boundary=(\w+)$/.exec(String(several.headers['content-type']))?.[1];
  t.ok(boundary, 'multipart/byteranges with a boundary');
  t.equal(Number(several.headers['content-length']), several.rawPayload.length, 'the length is known in advance (no chunking)');
  const parts = several.rawPayload.toString('latin1').split(`--${boundary}`).slice(1, -1);
  t.equal(parts.length, 3);
  const expected = [[0, 9], [5000, 5009], [9990, 9999]] as const;
  parts.forEach((part, i) => {
    const [start, end] = expected[i]!;
    const [head, body] = part.split('\r\n\r\n') as [string, string];
    t.match(head, `Content-Range: bytes ${start}-${end}/10000`);
    t.match(head, 'Content-Type: application/pdf');
    t.equal(body, `${content.subarray(start, end + 1).toString('latin1')}\r\n`);
  });
  t.match(several.rawPayload.toString('latin1'), new RegExp(`--${boundary}--\\r\\n$`));

  const merged = await get({ range: 'bytes=0-99,50-149' });
  t.equal(merged.headers['content-range'], 'bytes 0-149/10000', 'overlapping ranges are merged into one');

  const beyond = await get({ range: 'bytes=20000-30000' });
  t.equal(beyond.statusCode, 416);
  t.equal(beyond.headers['content-range'], 'bytes */10000');
  const malformed = await get({ range: 'bytes=abc' });
  t.equal(malformed.statusCode, 200, 'a malformed Range is ignored: the whole file');
  t.equal(malformed.rawPayload.length, 10000);

  const etag = String(single.headers.etag);
  t.equal((await get({ range: 'bytes=0-9', 'if-range': etag })).statusCode, 206, 'If-Range with the current tag: the range');
  t.equal((await get({ range: 'bytes=0-9', 'if-range': '"another-version"' })).statusCode, 200, 'a stale tag: the whole file');
  t.equal((await get({ range: 'bytes=0-9', 'if-range': String(single.headers['last-modified']) })).statusCode, 206, 'or its date');
  const notModified = await get({ 'if-none-match': etag });
  t.equal(notModified.statusCode, 304);
  t.equal(notModified.rawPayload.length, 0);
  t.equal((await get({ 'if-none-match': '"other"' })).statusCode, 200);
});

t.test('over the size limit: 413, no temp file, no row; too many files: 413', async (t) => {
  const { app, store, dataDir } = await startApp(t, { WAMI_MAX_FILE_BYTES: '1000', WAMI_MAX_FILES_PER_UPLOAD: '2' });
  const { alice, card } = await cardWithUploadForm(app);
  const tooBig = await alice.upload(card, '/attachments', [{ filename: 'big.bin', content: Buffer.alloc(1001) }]);
  t.equal(tooBig.status, 413);
  t.match(tooBig.text, 'Files may be at most 1000 bytes');
  t.equal(tooBig.headers.connection, 'close', 'the rest of a big body is not read');
  await nothingLeft(t, dataDir, store);
  const twoThenBig = await alice.upload(card, '/attachments', [
    { filename: 'ok.txt', content: 'fine' }, { filename: 'big.bin', content: Buffer.alloc(2000) }]);
  t.equal(twoThenBig.status, 413, 'one file too large: the whole upload fails');
  await nothingLeft(t, dataDir, store);
  const three = await alice.upload(card, '/attachments', [
    { filename: 'a.txt', content: 'a' }, { filename: 'b.txt', content: 'b' }, { filename: 'c.txt', content: 'c' }]);
  t.equal(three.status, 413);
  t.match(three.text, 'at most 2 files');
  await nothingLeft(t, dataDir, store);
  const exactly = await alice.upload(card, '/attachments', [{ filename: 'exact.bin', content: Buffer.alloc(1000) }]);
  t.equal(exactly.status, 200, 'a file of exactly the limit is fine');
});

t.test('a per-user quota counts what the user has stored', async (t) => {
  const { app, store } = await startApp(t, { WAMI_USER_QUOTA_BYTES: '1500' });
  const { alice, card } = await cardWithUploadForm(app);
  t.equal((await alice.upload(card, '/attachments', [{ filename: 'one.bin', content: Buffer.alloc(1000) }])).status, 200);
  const over = await alice.upload(card, '/attachments', [{ filename: 'two.bin', content: Buffer.alloc(600) }]);
  t.equal(over.status, 413);
  t.match(over.text, 'storage quota');
  t.equal((await attachmentRows(store)).length, 1);
});

t.test('bad uploads: no token, token after the file, not multipart, malformed body', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  const { alice, card } = await cardWithUploadForm(app);
  const action = card.$('form[enctype="multipart/form-data"]').attr('action')!;
  const token = String(card.$('form[enctype="multipart/form-data"] input[name=csrf]').val());
  const send = (body: Buffer, contentType: string) =>
    app.inject({ method: 'POST', url: action, payload: body, headers: { cookie: alice.cookieHeader(), 'content-type': contentType } });

  const unsigned = multipart([], [{ filename: 'x.txt', content: 'x' }]);
  t.equal((await send(unsigned.body, unsigned.contentType)).statusCode, 403, 'no CSRF token');
  await nothingLeft(t, dataDir, store);
  const late = multipart([['csrf', token]], [{ filename: 'x.txt', content: 'x' }], { fieldsLast: true });
  t.equal((await send(late.body, late.contentType)).statusCode, 403, 'the token must come before the files, as the form sends it');
  await nothingLeft(t, dataDir, store);
  const form = await app.inject({ method: 'POST', url: action, payload: `csrf=${token}`,
    headers: { cookie: alice.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' } });
  t.equal(form.statusCode, 415);
  const cut = multipart([['csrf', token]], [{ filename: 'x.txt', content: 'x'.repeat(1000) }]);
  const malformed = await send(cut.body.subarray(0, cut.body.length - 40), cut.contentType);
  t.equal(malformed.statusCode, 400, 'a body that ends inside a file');
  t.match(malformed.body, 'did not arrive whole');
  await nothingLeft(t, dataDir, store);
  const garbage = await send(Buffer.from('this is not multipart at all'), 'multipart/form-data; boundary=nothing');
  t.equal(garbage.statusCode, 400, 'no parts at all: a malformed body');
  await nothingLeft(t, dataDir, store);
});

t.test('a client that stops mid-upload leaves no temp file and no row', async (t) => {
  const { app, store, dataDir, url } = await listenApp(t);
  const { alice, card } = await cardWithUploadForm(app);
  const action = card.$('form[enctype="multipart/form-data"]').attr('action')!;
  const token = String(card.$('form[enctype="multipart/form-data"] input[name=csrf]').val());
  const { body, contentType } = multipart([['csrf', token]], [{ filename: 'half.bin', content: Buffer.alloc(2_000_000, 7) }]);
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`POST ${action} HTTP/1.1\r\nHost: test\r\nCookie: ${alice.cookieHeader()}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`);
  socket.write(body.subarray(0, 1_000_000));
  // wait until the server has begun the temp file, then vanish
  for (let i = 0; i < 100 && filesUnder(path.join(dataDir, 'tmp')).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  t.equal(filesUnder(path.join(dataDir, 'tmp')).length, 1, 'the upload was streaming to a temp file');
  socket.destroy();
  for (let i = 0; i < 100 && filesUnder(path.join(dataDir, 'tmp')).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  await nothingLeft(t, dataDir, store);
});

t.test('a full disk: 507, no partial file, the database intact', async (t) => {
  const mountPoint = fs.mkdtempSync('/tmp/wami-full-');
  const { execFileSync } = await import('node:child_process');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint], { stdio: 'ignore' });
  } catch {
    fs.rmdirSync(mountPoint);
    t.comment('cannot mount a small tmpfs here (needs root): the disk-full case is not exercised'); t.pass('skipped');
    return;
  }
  t.teardown(() => {
    execFileSync('umount', [mountPoint]);
    fs.rmdirSync(mountPoint);
  });
  const dataDir = path.join(mountPoint, 'data');
  const { app, store } = await startApp(t, { WAMI_DATA: dataDir });
  const { alice, card } = await cardWithUploadForm(app);
  const page = await alice.upload(card, '/attachments', [{ filename: 'huge.bin', content: Buffer.alloc(4 * 1024 * 1024, 1) }]);
  t.equal(page.status, 507);
  t.match(page.text, 'no room');
  await nothingLeft(t, dataDir, store);
  if (!onPostgres) t.equal(store.db.pragma('integrity_check', { simple: true }), 'ok'); // PostgreSQL's own files are elsewhere
  t.equal((await alice.upload(card, '/attachments', [{ filename: 'small.txt', content: 'fits' }])).status, 200, 'and small files still work');
});

t.test('ids decide: another card\'s or board\'s attachment is 404, and the name in the URL changes nothing', async (t) => {
  const { app, store } = await startApp(t);
  const { alice, card, cardUrl, boardUrl } = await cardWithUploadForm(app);
  await alice.upload(card, '/attachments', [{ filename: 'secret.txt', content: 'alice only' }]);
  const row = (await attachmentRows(store))[0]!;
  const bob = await signUp(app, 'bob');
  const bobBoard = await bob.submit(await bob.submit(await createBoard(bob, 'Bob'), '/lists', { title: 'L' }), '/cards', { title: 'Mine' });
  const bobCard = bobBoard.$('div.card a').attr('href')!;
  t.equal((await bob.get(`${cardUrl}/attachments/${row.id}/secret.txt`)).status, 404, 'a board bob cannot see');
  t.equal((await bob.get(`${bobCard}/attachments/${row.id}/secret.txt`)).status, 404, 'through a card of his own');
  const otherCard = await alice.submit(await alice.get(boardUrl), '/cards', { title: 'Other' });
  const otherUrl = otherCard.$('div.card a').filter((_, a) => otherCard.$(a).text() === 'Other').attr('href')!;
  t.equal((await alice.get(`${otherUrl}/attachments/${row.id}/secret.txt`)).status, 404, 'another card of the same board');
  for (const name of ['..%2F..%2F..%2F..%2Fwami.db', 'x%2F..%2F..%2Fetc%2Fpasswd']) {
    const page = await app.inject({ url: `${cardUrl}/attachments/${row.id}/${name}`, headers: { cookie: alice.cookieHeader() } });
    t.equal(page.body, 'alice only', `${name}: still the attachment's own file`);
  }
  const dotted = await app.inject({ url: `${cardUrl}/attachments/${row.id}/../../../../wami.db`, headers: { cookie: alice.cookieHeader() } });
  t.notMatch(dotted.body, 'SQLite format', 'a literal .. path reaches nothing outside');
  t.equal((await app.inject({ url: `${cardUrl}/attachments/${row.id}/x` })).statusCode, 303, 'signed out: sign in first');
});

t.test('rename, cover on the board, delete (the file goes too), and deleting the card removes its files', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  const { alice, card, cardUrl, boardUrl } = await cardWithUploadForm(app);
  await alice.upload(card, '/attachments', [
    { filename: 'logo.gif', content: fs.readFileSync('static/wami.gif') }, { filename: 'notes.txt', content: 'n' }]);
  const rows = await attachmentRows(store);
  const gif = rows.find((r) => r.name === 'logo.gif')!;
  const txt = rows.find((r) => r.name === 'notes.txt')!;

  let page = await alice.get(`${cardUrl}/attachments/${gif.id}`);
  t.equal(page.status, 200);
  t.equal((await validateHtml(page.body, 'attachment')).valid, true);
  page = await alice.submit(page, '/rename', { name: 'Team logo.gif' });
  t.equal((await attachmentRows(store)).find((r) => r.id === gif.id)!.name, 'Team logo.gif');
  const unnamed = await alice.submit(page, '/rename', { name: '   ' });
  t.equal(unnamed.status, 422, 'an empty name is refused');
  t.equal((await validateHtml(unnamed.body, 'attachment-422')).valid, true);

  page = await alice.submit(page, '/cover');
  const board = await alice.get(boardUrl);
  const cover = board.$('img.cover');
  t.equal(cover.length, 1, 'the board shows the cover');
  t.equal(cover.attr('src'), `${cardUrl}/attachments/${gif.id}/Team%20logo.gif`);
  t.ok(Number(cover.attr('width')) > 0 && Number(cover.attr('height')) > 0, 'with width and height, for old browsers');
  t.equal((await validateHtml(board.body, 'board-with-cover')).valid, true);
  const txtPage = await alice.get(`${cardUrl}/attachments/${txt.id}`);
  t.equal(txtPage.$('form[action$="/cover"]').length, 0, 'a text file offers no cover');
  const refused = await alice.post(`${cardUrl}/attachments/${txt.id}/cover`, { cover: 'show', csrf: String(txtPage.$('input[name=csrf]').first().val()) });
  t.equal(refused.status, 422);

  const gifPage = await alice.get(`${cardUrl}/attachments/${gif.id}`);
  t.equal((await alice.submit(gifPage, '/delete')).status, 422, 'delete needs the box ticked');
  await alice.submit(gifPage, '/delete', { confirm: 'yes' });
  t.same((await attachmentRows(store)).map((r) => r.id), [txt.id]);
  t.equal((await alice.get(boardUrl)).$('img.cover').length, 0, 'the cover went with it');
  t.equal(filesUnder(path.join(dataDir, 'attachments')).length, 1, 'its file is gone');

  const confirm = await alice.get(`${cardUrl}/delete`);
  t.match(confirm.text, '1 attached file');
  await alice.submit(confirm, '/delete');
  t.same(await attachmentRows(store), []);
  t.same(filesUnder(path.join(dataDir, 'attachments')), [], 'deleting the card deleted its files');
});

t.test('who may: comment-only members download but do not upload; visitors of a public board download', async (t) => {
  const { app } = await startApp(t);
  const { alice, card, cardUrl, boardUrl } = await cardWithUploadForm(app);
  await alice.upload(card, '/attachments', [{ filename: 'plan.txt', content: 'the plan' }]);
  const href = (await alice.get(cardUrl)).$('table.attachments a').first().attr('href')!;
  const carol: Browser = await signUp(app, 'carol');
  await alice.submit(await alice.get(`${boardUrl}/members`), '/members', { username: 'carol', role: 'comment-only' });
  const carolCard: Page = await carol.get(cardUrl);
  t.equal(carolCard.$('form[enctype="multipart/form-data"]').length, 0, 'no upload form for her');
  t.equal((await carol.get(href)).body, 'the plan');
  const { body, contentType } = multipart([['csrf', String(carolCard.$('input[name=csrf]').first().val())]], [{ filename: 'x.txt', content: 'x' }]);
  const post = await app.inject({ method: 'POST', url: `${cardUrl}/attachments`, payload: body, headers: { cookie: carol.cookieHeader(), 'content-type': contentType } });
  t.equal(post.statusCode, 403);
  await alice.submit(await alice.get(`${boardUrl}/settings`), '/settings', { permission: 'public' });
  const visitor = await app.inject({ url: href });
  t.equal(visitor.statusCode, 200);
  t.equal(visitor.body, 'the plan');
});

t.test('copying a card copies its files (and its cover); moving it to another board takes them along', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  const { alice, card, cardUrl, boardUrl } = await cardWithUploadForm(app);
  await alice.upload(card, '/attachments', [
    { filename: 'logo.gif', content: fs.readFileSync('static/wami.gif') }, { filename: 'plan.txt', content: 'the plan' }]);
  const gif = (await attachmentRows(store)).find((r) => r.name === 'logo.gif')!;
  await alice.submit(await alice.get(`${cardUrl}/attachments/${gif.id}`), '/cover');
  const boardId = boardUrl.split('/')[2]!;
  const copyPage = await alice.get(`${cardUrl}/copy?boardId=${boardId}`);
  const copied = await alice.submit(copyPage, 'form[method=post][action$="/copy"]');
  t.equal(copied.status, 200);
  t.not(copied.url, cardUrl, 'on the copy\'s page');
  const rows = await attachmentRows(store);
  t.equal(rows.length, 4, 'two rows more');
  t.equal(new Set(rows.map((r) => r.id)).size, 4, 'with ids of their own');
  t.equal(filesUnder(path.join(dataDir, 'attachments')).length, 4, 'and files of their own');
  const planCopy = copied.$('table.attachments a').filter((_, a) => copied.$(a).text() === 'plan.txt').attr('href')!;
  t.equal((await alice.get(planCopy)).body, 'the plan');
  t.equal((await alice.get(boardUrl)).$('img.cover').length, 2, 'the copy shows the cover too');

  // delete the original: the copy keeps its files
  await alice.submit(await alice.get(`${cardUrl}/delete`), '/delete');
  t.equal((await attachmentRows(store)).length, 2);
  t.equal((await alice.get(planCopy)).body, 'the plan');

  // move the copy to another board: the files follow
  let other = await createBoard(alice, 'Archive');
  other = await alice.submit(other, '/lists', { title: 'Old' });
  const otherId = boardPath(other).split('/')[2]!;
  const copyUrl = copied.url;
  const moved = await alice.submit(await alice.get(`${copyUrl}/move-to-board?boardId=${otherId}`), 'form[method=post][action$="/move-to-board"]');
  t.equal(moved.status, 200);
  const movedLink = moved.$('table.attachments a').filter((_, a) => moved.$(a).text() === 'plan.txt').attr('href')!;
  t.match(movedLink, `/b/${otherId}/`);
  t.equal((await alice.get(movedLink)).body, 'the plan');
  t.same(new Set((await attachmentRows(store)).map((r) => (r as unknown as { board_id: string }).board_id)), new Set([otherId]));
});
