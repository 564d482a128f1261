// The wall view for kiosks: read-only, no forms, refreshes forever, survives restarts and lost boards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { Store } from '../server/store/index.js';
import { startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

const refreshOf = (page: Page) => page.$('meta[http-equiv=refresh]').attr('content') ?? '';

t.test('the wall: large type, no forms, the watchers counted, refreshing through the long poll', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Office');
  board = await alice.submit(board, '/lists', { title: 'Today' });
  board = await alice.submit(board, '/cards', { title: 'Standup at 9' });
  const wallUrl = `${boardPath(board)}/wall`;
  const kiosk = new Browser(app);
  await kiosk.submit(await kiosk.get('/sign-in'), '/sign-in', { username: 'alice', password: 'correct horse battery' });
  const wall = await kiosk.get(wallUrl);
  t.equal(wall.status, 200);
  t.equal(wall.$('form').length, 0, 'no forms at all');
  t.equal(wall.$('input').length, 0);
  t.match(wall.text, 'Standup at 9');
  t.match(wall.text, '0 watching');
  t.match(refreshOf(wall), new RegExp(`^2;url=${wallUrl}/wait\\?since=\\d+$`));
  t.equal((await validateHtml(wall.body, 'wall')).valid, true);

  const target = refreshOf(wall).replace(/^\d+;url=/, '');
  const waiting = kiosk.get(target);
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.match((await alice.get(wallUrl)).text, '1 watching', 'the count comes from the held waits');
  await alice.submit(await alice.get(boardPath(board)), '/cards', { title: 'Lunch' });
  const next = await waiting;
  t.match(next.text, 'Lunch');
  t.equal(next.$('p.changed').length, 1, 'the new card is marked');
  t.match(refreshOf(next), /wait\?since=\d+$/, 'and it keeps going');
});

t.test('a wall survives a restart: its wait URL works on the new server; stopping asks for a slower retry', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-wall-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false' });
  let store = Store.open(dataDir);
  let app = await buildApp({ config, store });
  const alice = await signUp(app, 'alice');
  const board = await createBoard(alice, 'Office');
  const wallUrl = `${boardPath(board)}/wall`;
  const target = refreshOf(await alice.get(wallUrl)).replace(/^\d+;url=/, '');
  const held = alice.get(target);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await app.close();
  const answered = await held;
  t.match(refreshOf(answered), /^15;url=/, 'told to wait longer before retrying');
  store.close();

  store = Store.open(dataDir);
  app = await buildApp({ config, store });
  t.teardown(async () => { await app.close(); store.close(); });
  const again = new Browser(app);
  for (const [k, v] of alice.cookies) again.cookies.set(k, v);
  const page = await again.get(`${target.split('?')[0]}?since=0`);
  t.equal(page.status, 200, 'the same URL works after the restart');
  t.match(page.text, 'watching');
});

t.test('a wall whose board is gone keeps retrying slowly instead of failing', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const board = await createBoard(alice, 'Temporary');
  const wallUrl = `${boardPath(board)}/wall`;
  await store.sql.run('DELETE FROM boards');
  const page = await alice.get(wallUrl);
  t.equal(page.status, 404);
  t.equal(refreshOf(page), `60;url=${wallUrl}`);
  t.equal((await validateHtml(page.body, 'wall-gone')).valid, true);
  t.equal((await alice.get(`${wallUrl}/wait?since=5`)).status, 404);
});
