// NetSurf (GTK) through the key flow, and live: a board open in it shows a card added through another
// session with no key pressed. Every step is checked in what the server stored. Screenshots are kept in
// test/browsers/screenshots/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { listenApp } from '../helpers/app.js';
import { boardPath, createBoard, signUp } from '../helpers/browser.js';
import { checkGraphicalFlow, driveGraphicalFlow, graphicalFlowBoard, screenshots } from '../helpers/graphical-flow.js';
import { retroTools } from '../helpers/validate.js';
import { projectRoot } from '../../server/paths.js';

// Checkboxes, selects, text areas and buttons are clicked at points of the 1024x768 screen: NetSurf's Tab
// moves between text boxes only, and its `field N` finds selects too. Card pages are opened at a fragment
// (#done-…, #comment) so that only the part of the page below it decides where things are. The user turns
// automatic refresh off, as the profile offers: a meta refresh that fires while the driver types a URL
// into the location bar would overwrite it (the live test below keeps it on). After a layout change, read
// the new points off test/browsers/screenshots/netsurf-fail.png.
// (A page title that starts with "NetSurf" reads to the driver as a page still loading.)
t.test('NetSurf: sign in, add a card, move it, tick items, comment and attach a file, all stored', async (t) => {
  const { app, store, url } = await listenApp(t);
  const flow = await graphicalFlowBoard(t, app, store, 'nora', 'Board in NetSurf', { autoRefresh: [] });
  const card = `${url}${flow.cardPath}`;

  await driveGraphicalFlow(t, 'netsurf', url, [
    // Sign in: Enter in a text box sends the form.
    'wait', 'field 1', 'type nora', 'tab', 'type password123', 'enter', 'wait-title All boards',
    // The board: click into "New card", type, Enter.
    `goto ${url}${flow.boardPath}`, 'wait-title Board in NetSurf', 'click 200 393', 'type Added in NetSurf', 'enter', 'wait-change',
    // Tick the new card (second in Inbox), open the move select, pick "Done" in its menu, press Move.
    'click 27 506', 'click 259 587', 'sleep 1', 'click 305 629', 'click 417 586', 'wait-change',
    // The card page at its first checklist item: tick Kitchen and Garage, Save ticks.
    `goto ${card}#done-${await flow.itemId('Kitchen')}`, 'wait-title Scan', 'click 43 51', 'click 43 95', 'click 62 140', 'wait-change',
    // At the comment box (the page's end): click into it, type, press Comment.
    `goto ${card}#comment`, 'wait-title Scan', 'click 317 375', 'type Ticked in NetSurf.', 'click 61 427', 'wait-change',
    // The upload page: click the first file box, choose the file in GTK's chooser, Upload.
    `goto ${card}/attachments`, 'wait-title Attach', 'click 212 248', `choose-file ${flow.upload.path}`,
    'click 48 345', 'wait-change'], 'netsurf-card.png');

  await checkGraphicalFlow(t, app, store, flow, 'Added in NetSurf', 'Ticked in NetSurf.');
});

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
  const before = (await store.boards.byId(boardId))!.version;
  await alice.submit(await alice.get(boardPath(board)), '/cards', { title: 'Added elsewhere' });
  const after = (await store.boards.byId(boardId))!.version;
  t.ok(after > before);
  t.ok(await until(() => netsurfWaits().some((u) => u.endsWith(`since=${after}`)), 15_000),
    'NetSurf got the page with the new card and follows its refresh', { waits: netsurfWaits() });
  t.equal(await exited, 0, 'NetSurf ran to the end', { output });
  t.ok(fs.existsSync(shot), `screenshot at ${path.relative(projectRoot, shot)}`);
});
