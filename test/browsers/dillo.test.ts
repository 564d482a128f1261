// Dillo (FLTK, no JavaScript, no meta refresh, cookies refused by default; the driver accepts them) through
// the key flow in one session: sign in, add a card on the board, tick it and move it with the board's
// move form, tick checklist items and comment on a card's page, then upload a file from the card's upload
// page. Dillo quotes the multipart boundary and sends no CRLF after the closing one. Every step is checked
// in what the server stored; the file is downloaded again and compared. A screenshot is kept.
//
// Checkboxes, selects, text areas and buttons are clicked at points of the 1024x768 screen (Tab stays in a
// Dillo text area and its focus is not drawn). Each page is opened at a fragment (#done-…, #comment) so
// that only the part of the page below it decides where things are. After a layout change, run with the
// fail shot and read the new points off test/browsers/screenshots/dillo-fail.png.
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

t.test('Dillo: sign in, add a card, move it, tick items, comment and attach a file, all stored', async (t) => {
  const contentTypes: string[] = [];
  const { app, store, url } = await listenApp(t, {}, (app) => {
    app.addHook('onRequest', async (request) => {
      if (request.method === 'POST' && request.url.endsWith('/attachments')) contentTypes.push(String(request.headers['content-type']));
    });
  });
  // The board, its lists and a card with a checklist are made by a second session of the same user.
  const dora = await signUp(app, 'dora', 'password123');
  let board = await createBoard(dora, 'Dillo board');
  board = await dora.submit(board, '/lists', { title: 'Inbox' });
  board = await dora.submit(board, '/lists', { title: 'Done' });
  board = await dora.submit(board, '/cards', { title: 'Scan' });
  const cardPath = board.$('div.card > a').attr('href')!;
  const card = await dora.submit(await dora.get(cardPath), '/checklists', { title: 'Rooms' });
  const checklistId = store.db.prepare('SELECT id FROM checklists').pluck().get() as string;
  for (const title of ['Kitchen', 'Attic', 'Garage']) await dora.submit(card, `/checklists/${checklistId}/items`, { title });
  const itemId = (title: string) => store.db.prepare('SELECT id FROM checklist_items WHERE title = ?').pluck().get(title) as string;

  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-dillo-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  const local = path.join(home, 'scan.txt');
  const content = `Scanned in Dillo ${'0123456789'.repeat(300)}\n`;
  fs.writeFileSync(local, content);
  fs.mkdirSync(screenshots, { recursive: true });
  const shot = path.join(screenshots, 'dillo-uploaded.png');
  fs.rmSync(shot, { force: true });

  const run = await runTool('dillo-form.sh', ['--timeout', '60', '--fail-shot', path.join(screenshots, 'dillo-fail.png'), `${url}/sign-in`,
    // Sign in: Tab to the button, then Enter (Dillo does not submit a form with two text boxes on Enter).
    'wait', 'field 1', 'type dora', 'tab', 'type password123', 'tab', 'enter', 'wait-title All boards',
    // The board: Enter in its one text box sends the new card.
    `goto ${url}${boardPath(board)}`, 'wait-title Dillo board', 'field 1', 'type Added in Dillo', 'enter', 'wait-change',
    // Tick the new card (second in Inbox), open the move select, Down to "Done", Return, press Move.
    'click 25 535', 'click 225 593', 'sleep 0.5', 'key Down', 'key Return', 'click 391 593', 'wait-change',
    // The card page at its first checklist item: tick Kitchen and Garage, Save ticks.
    `goto ${url}${cardPath}#done-${itemId('Kitchen')}`, 'wait-title Scan', 'click 66 85', 'click 66 133', 'click 45 163', 'wait-change',
    // At the comment box (the page's end): click into it, type, press Comment. Dillo shows the copy of the
    // card page it fetched for the ticks (the 303 after them went to a fresh URL), so the history is as it was.
    `goto ${url}${cardPath}#comment`, 'wait-title Scan', 'click 280 490', 'type Scanned, see the file.', 'click 45 542', 'wait-change',
    // The upload page: its first file button, the file, Upload.
    `goto ${url}${cardPath}/attachments`, 'wait-title Attach', 'click 52 261', `choose-file ${local}`,
    'click 34 330', 'wait-change', `shot ${shot}`], 180_000);
  t.equal(run.code, 0, 'Dillo ran every step', { stdout: run.stdout, stderr: run.stderr });

  const cardsIn = (list: string) => store.db.prepare('SELECT c.title FROM cards c JOIN lists l ON l.id = c.list_id WHERE l.title = ? ORDER BY c.sort')
    .pluck().all(list);
  t.same(cardsIn('Inbox'), ['Scan'], 'the card typed on the board was added, then moved out of Inbox');
  t.same(cardsIn('Done'), ['Added in Dillo'], 'into Done, by the board\'s move form');
  t.same(store.db.prepare('SELECT title FROM checklist_items WHERE is_finished = 1 ORDER BY title').pluck().all(), ['Garage', 'Kitchen'],
    'the two ticked items are done, the third is not');
  t.same(store.db.prepare('SELECT text FROM comments').pluck().all(), ['Scanned, see the file.'], 'the comment is stored');
  t.match(contentTypes[0] ?? '', /boundary="/, 'Dillo quoted the boundary (and the parser took it)');
  const row = store.db.prepare('SELECT id, name, size, sha256 FROM attachments').get() as { id: string; name: string; size: number; sha256: string } | undefined;
  t.equal(row?.name, 'scan.txt');
  t.equal(row?.sha256, createHash('sha256').update(content).digest('hex'), 'the stored bytes are the file\'s');
  const download = await app.inject({ url: `${cardPath}/attachments/${row!.id}/scan.txt`, headers: { cookie: dora.cookieHeader() } });
  t.equal(download.body, content, 'and download as they were');
  t.ok(fs.existsSync(shot), `screenshot at ${path.relative(projectRoot, shot)}`);
});
