// The key flow the graphical browsers (Dillo, NetSurf) are driven through, and what it must leave in the
// store (the terminal browsers have theirs in key-flows.ts). The board is made beforehand by a second
// session of the same user; the browser then adds a card and moves it, ticks two of a checklist's three
// items, comments and uploads a file, clicking at points of the screen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import type { SqliteStore } from '../../server/store/index.js';
import { boardPath, createBoard, signUp, type Browser } from './browser.js';
import { runTool } from './retro.js';
import { projectRoot } from '../../server/paths.js';

export const screenshots = path.join(projectRoot, 'test', 'browsers', 'screenshots');

export interface GraphicalFlowBoard {
  /** The user's second session (inject), for reading pages and downloads. */
  mirror: Browser;
  boardPath: string;
  /** The card "Scan" in "Inbox", with the checklist "Rooms": Kitchen, Attic, Garage. */
  cardPath: string;
  itemId(title: string): Promise<string>;
  /** A file in a temp folder for the browser to upload, and its content. */
  upload: { path: string; content: string };
}

/** The board "<title>" with lists Inbox and Done and the card Scan, made by `username` (who first saves `profile` choices, if any). */
export async function graphicalFlowBoard(t: Test, app: FastifyInstance, store: SqliteStore, username: string, title: string,
  profile: Record<string, string | string[]> = {}): Promise<GraphicalFlowBoard> {
  const mirror = await signUp(app, username, 'password123');
  if (Object.keys(profile).length) await mirror.submit(await mirror.get('/profile'), '/profile', profile);
  let board = await createBoard(mirror, title);
  board = await mirror.submit(board, '/lists', { title: 'Inbox' });
  board = await mirror.submit(board, '/lists', { title: 'Done' });
  board = await mirror.submit(board, '/cards', { title: 'Scan' });
  const cardPath = board.$('div.card > a').attr('href')!;
  const card = await mirror.submit(await mirror.get(cardPath), '/checklists', { title: 'Rooms' });
  const checklistId = await store.sql.value('SELECT id FROM checklists') as string;
  for (const item of ['Kitchen', 'Attic', 'Garage']) await mirror.submit(card, `/checklists/${checklistId}/items`, { title: item });

  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-upload-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  const upload = { path: path.join(home, 'scan.txt'), content: `Scanned ${'0123456789'.repeat(300)}\n` };
  fs.writeFileSync(upload.path, upload.content);
  fs.mkdirSync(screenshots, { recursive: true });
  return {
    mirror, boardPath: boardPath(board), cardPath, upload,
    itemId: async (item) => await store.sql.value('SELECT id FROM checklist_items WHERE title = ?', item) as string,
  };
}

/**
 * Runs `steps` in the browser from its sign-in page (dillo-form.sh / netsurf-form.sh), then a screenshot
 * into test/browsers/screenshots/`shotName`; on a failure the driver leaves `<browser>-fail.png` there.
 */
export async function driveGraphicalFlow(t: Test, browser: 'dillo' | 'netsurf', url: string, steps: string[], shotName: string) {
  const shot = path.join(screenshots, shotName);
  fs.rmSync(shot, { force: true });
  const run = await runTool(`${browser}-form.sh`, ['--timeout', '60', '--fail-shot', path.join(screenshots, `${browser}-fail.png`),
    `${url}/sign-in`, ...steps, `shot ${shot}`], 180_000);
  t.equal(run.code, 0, `${browser} ran every step`, { stdout: run.stdout, stderr: run.stderr });
  t.ok(fs.existsSync(shot), `screenshot at ${path.relative(projectRoot, shot)}`);
}

/** Checks that each step of the flow reached the store: `added` is the card the browser typed. */
export async function checkGraphicalFlow(t: Test, app: FastifyInstance, store: SqliteStore, flow: GraphicalFlowBoard, added: string, comment: string) {
  const cardsIn = async (list: string) => await store.sql.column('SELECT c.title FROM cards c JOIN lists l ON l.id = c.list_id WHERE l.title = ? ORDER BY c.sort', list);
  t.same(await cardsIn('Inbox'), ['Scan'], 'the card typed on the board was added, then moved out of Inbox');
  t.same(await cardsIn('Done'), [added], 'into Done, by the board\'s move form');
  t.same(await store.sql.column('SELECT title FROM checklist_items WHERE is_finished = 1 ORDER BY title'), ['Garage', 'Kitchen'],
    'the two ticked items are done, the third is not');
  t.same(await store.sql.column('SELECT text FROM comments'), [comment], 'the comment is stored');
  const row = await store.sql.one('SELECT id, name, sha256 FROM attachments') as { id: string; name: string; sha256: string } | undefined;
  t.equal(row?.name, 'scan.txt', 'the file is attached under its own name');
  t.equal(row?.sha256, createHash('sha256').update(flow.upload.content).digest('hex'), 'the stored bytes are the file\'s');
  if (!row) return;
  const download = await app.inject({ url: `${flow.cardPath}/attachments/${row.id}/scan.txt`, headers: { cookie: flow.mirror.cookieHeader() } });
  t.equal(download.body, flow.upload.content, 'and download as they were');
}
