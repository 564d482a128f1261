// NetSurf follows meta refresh: a board open in it shows a card added through another session, with no
// key pressed. Checked on the server: NetSurf comes back for the wait URL of the new version, which it
// can only have learnt from the fresh page. A screenshot is kept in test/browsers/screenshots/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { listenApp } from '../helpers/app.js';
import { boardPath, createBoard, signUp } from '../helpers/browser.js';
import { retroTools } from '../helpers/validate.js';
import { projectRoot } from '../../server/paths.js';

const screenshots = path.join(projectRoot, 'test', 'browsers', 'screenshots');

t.test('NetSurf shows a card another session adds, by itself', async (t) => {
  const requests: { url: string; agent: string }[] = [];
  const { app, store, url } = await listenApp(t, {}, (app) => {
    app.addHook('onRequest', async (request) => {
      requests.push({ url: request.url, agent: String(request.headers['user-agent'] ?? '') });
    });
  });
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Live in NetSurf');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'First card' });
  await alice.submit(await alice.get(`${boardPath(board)}/settings`), '/settings', { permission: 'public' });
  const boardId = boardPath(board).split('/')[2]!;

  fs.mkdirSync(screenshots, { recursive: true });
  const shot = path.join(screenshots, 'netsurf-live.png');
  fs.rmSync(shot, { force: true });
  const browser = spawn('python3', [path.join(retroTools, 'xdrive.py'), '--timeout', '40', 'netsurf', `${url}${boardPath(board)}`,
    'wait', 'sleep 9', `shot ${shot}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  browser.stdout.on('data', (d) => { output += d; });
  browser.stderr.on('data', (d) => { output += d; });
  const exited = new Promise<number>((resolve) => browser.on('exit', (code) => resolve(code ?? 1)));
  t.teardown(() => { browser.kill(); });

  const netsurfWaits = () => requests.filter((r) => r.agent.includes('NetSurf') && r.url.includes('/wait?since=')).map((r) => r.url);
  const until = async (what: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end && !what();) await new Promise((resolve) => setTimeout(resolve, 100));
    return what();
  };
  t.ok(await until(() => app.waiters.size > 0, 20_000), 'NetSurf followed the meta refresh into a held wait', { requests });
  const before = store.boards.byId(boardId)!.version;
  await alice.submit(await alice.get(boardPath(board)), '/cards', { title: 'Added elsewhere' });
  const after = store.boards.byId(boardId)!.version;
  t.ok(after > before);
  t.ok(await until(() => netsurfWaits().some((u) => u.endsWith(`since=${after}`)), 15_000),
    'NetSurf got the page with the new card and follows its refresh', { waits: netsurfWaits() });
  t.equal(await exited, 0, 'NetSurf ran to the end', { output });
  t.ok(fs.existsSync(shot), `screenshot at ${path.relative(projectRoot, shot)}`);
});
