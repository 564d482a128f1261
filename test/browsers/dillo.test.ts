// Dillo (FLTK, no JavaScript, cookies refused by default; the driver accepts them) uploads a file
// from a card's upload page: it quotes the multipart boundary and sends no CRLF after the closing
// one. Checked on the server (the stored bytes), then downloaded and compared. A screenshot is kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import t from 'tap';
import { listenApp } from '../helpers/app.js';
import { boardPath, createBoard, signUp } from '../helpers/browser.js';
import { runTool } from '../helpers/retro.js';
import { projectRoot } from '../../server/paths.js';

const screenshots = path.join(projectRoot, 'test', 'browsers', 'screenshots');

t.test('Dillo: sign in, add a card, attach a file on the card\'s upload page, and the same bytes come back', async (t) => {
  const contentTypes: string[] = [];
  const { app, store, url } = await listenApp(t, {}, (app) => {
    app.addHook('onRequest', async (request) => {
      if (request.method === 'POST' && request.url.endsWith('/attachments')) contentTypes.push(String(request.headers['content-type']));
    });
  });
  const dora = await signUp(app, 'dora', 'password123');
  let board = await createBoard(dora, 'Dillo board');
  board = await dora.submit(board, '/lists', { title: 'Inbox' });
  board = await dora.submit(board, '/cards', { title: 'Scan' });
  const cardPath = board.$('div.card > a').attr('href')!;
  t.ok(boardPath(board));

  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-dillo-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  const local = path.join(home, 'scan.txt');
  const content = `Scanned in Dillo ${'0123456789'.repeat(300)}\n`;
  fs.writeFileSync(local, content);
  fs.mkdirSync(screenshots, { recursive: true });
  const shot = path.join(screenshots, 'dillo-uploaded.png');
  fs.rmSync(shot, { force: true });

  // Sign in (Tab to the button, then Enter: Dillo does not submit two-field forms on Enter), open the
  // upload page, click its first file button (where Tab starts after typing a URL varies), choose the
  // file, click Upload. The page is the same at 1024x768 every time: the buttons sit at those points.
  const run = await runTool('dillo-form.sh', ['--timeout', '60', '--fail-shot', path.join(screenshots, 'dillo-fail.png'), `${url}/sign-in`,
    'wait', 'field 1', 'type dora', 'tab', 'type password123', 'tab', 'enter', 'wait-title All boards',
    `goto ${url}${boardPath(board)}`, 'wait-title Dillo board', 'field 1', 'type Added in Dillo', 'enter', 'wait-change',
    `goto ${url}${cardPath}/attachments`, 'wait-title Attach', 'click 52 261', `choose-file ${local}`,
    'click 34 330', 'wait-change', `shot ${shot}`], 150_000);
  t.equal(run.code, 0, 'Dillo ran every step', { stdout: run.stdout, stderr: run.stderr });
  t.same(store.db.prepare('SELECT title FROM cards ORDER BY sort').pluck().all(), ['Scan', 'Added in Dillo'],
    'a card typed on the board (Enter in its one text box sends the form)');
  t.match(contentTypes[0] ?? '', /boundary="/, 'Dillo quoted the boundary (and the parser took it)');
  const row = store.db.prepare('SELECT id, name, size, sha256 FROM attachments').get() as { id: string; name: string; size: number; sha256: string } | undefined;
  t.equal(row?.name, 'scan.txt');
  t.equal(row?.sha256, createHash('sha256').update(content).digest('hex'), 'the stored bytes are the file\'s');
  const download = await app.inject({ url: `${cardPath}/attachments/${row!.id}/scan.txt`, headers: { cookie: dora.cookieHeader() } });
  t.equal(download.body, content, 'and download as they were');
  t.ok(fs.existsSync(shot), `screenshot at ${path.relative(projectRoot, shot)}`);
});
