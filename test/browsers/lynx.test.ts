// Lynx (HTTP/1.0, no images, no meta refresh) through the key flow: sign up, a board with two lists,
// three cards, two of them moved at once. After each step, what the server stored is checked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { listenApp } from '../helpers/app.js';
import { Browser, boardPath, signUp } from '../helpers/browser.js';
import { focusIndex, lynx, runTool, tabs } from '../helpers/retro.js';

/** A fresh home folder (removed after the test) and the cookie jar Lynx keeps there between sessions. */
function lynxHome(t: Test): { home: string; jar: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-lynx-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  return { home, jar: path.join(home, 'cookies.txt') };
}

/** Lynx signs in through the sign-in form as `username` (password "password123"), keeping the cookie in `jar`. */
async function lynxSignIn(app: FastifyInstance, url: string, username: string, jar: string): Promise<void> {
  const signIn = await new Browser(app).get('/sign-in');
  await lynx(`${url}/sign-in`, [
    ...tabs(focusIndex(signIn.body, '#username')), `type ${username}`, 'tab', 'type password123', 'tab', 'submit',
  ], jar);
}

t.test('Lynx: sign up, make a board with two lists, add three cards, move two at once', async (t) => {
  const { app, store, url } = await listenApp(t);
  const { jar } = lynxHome(t);

  // 1. sign up (the first account: site admin)
  const signUpPage = await new Browser(app).get('/sign-up');
  await lynx(`${url}/sign-up`, [
    ...tabs(focusIndex(signUpPage.body, '#username')), 'type alice', 'tab', 'type alice@example.org', 'tab',
    'type password123', 'tab', 'type password123', 'tab', 'submit',
  ], jar);
  const alice = await store.users.byUsername('alice');
  t.ok(alice, 'the account is stored');
  t.equal(alice?.isAdmin, 1);

  // A second browser signed in as alice reads the same pages, to find where each field is.
  const mirror = new Browser(app);
  await mirror.submit(await mirror.get('/sign-in'), '/sign-in', { username: 'alice', password: 'password123' });

  // 2. create a board
  let screen = await lynx(`${url}/`, [
    ...tabs(focusIndex((await mirror.get('/')).body, '#new-board')), 'type Groceries', 'tab', 'submit',
  ], jar);
  const [board] = await store.boards.forMember(alice!.id, false);
  t.equal(board?.title, 'Groceries');
  t.match(screen, 'This board has no lists yet');
  const boardUrl = `/b/${board!.id}/${board!.slug}`;

  // 3. two lists
  for (const title of ['To do', 'Done']) {
    screen = await lynx(`${url}${boardUrl}`, [
      ...tabs(focusIndex((await mirror.get(boardUrl)).body, '#new-list')), `type ${title}`, 'tab', 'submit',
    ], jar);
  }
  t.same((await store.lists.forBoard(board!.id, false)).map((l) => l.title), ['To do', 'Done']);

  // 4. three cards into the first list
  for (const title of ['Milk', 'Bread', 'Eggs']) {
    const page = await mirror.get(boardUrl);
    const field = focusIndex(page.body, '#new-card');
    const button = focusIndex(page.body, 'input[value="Add card"]');
    screen = await lynx(`${url}${boardUrl}`, [...tabs(field), `type ${title}`, ...tabs(button - field), 'submit'], jar);
  }
  const todo = (await store.lists.forBoard(board!.id, false))[0]!;
  const done = (await store.lists.forBoard(board!.id, false))[1]!;
  t.same((await store.cards.cellTitles(todo.id, (await store.swimlanes.forBoard(board!.id, false))[0]!.id)).map((c) => c.title),
    ['Milk', 'Bread', 'Eggs']);
  t.match(screen, 'To do (3)');

  // 5. tick Milk and Eggs, pick "Done" in the list select, press Move
  const page = await mirror.get(boardUrl);
  const idOf = (title: string) => store.db.prepare('SELECT id FROM cards WHERE title = ?').pluck().get(title) as string;
  const milk = focusIndex(page.body, `input[name=card][value=${idOf('Milk')}]`);
  const eggs = focusIndex(page.body, `input[name=card][value=${idOf('Eggs')}]`);
  const select = focusIndex(page.body, '#move-list');
  const move = focusIndex(page.body, 'input[name=move]');
  screen = await lynx(`${url}${boardUrl}`, [
    ...tabs(milk), 'enter', ...tabs(eggs - milk), 'enter',
    ...tabs(select - eggs), 'enter', 'down', 'enter', ...tabs(move - select), 'submit',
  ], jar);
  const swimlaneId = (await store.swimlanes.forBoard(board!.id, false))[0]!.id;
  t.same((await store.cards.cellTitles(done.id, swimlaneId)).map((c) => c.title), ['Milk', 'Eggs'], 'both moved, in order');
  t.same((await store.cards.cellTitles(todo.id, swimlaneId)).map((c) => c.title), ['Bread']);
  t.match(screen, 'To do (1)', 'Lynx shows the result');
  t.match(screen, 'Done (2)');
});

t.test('Lynx: edit a card title, tick checklist items and comment on the card page', async (t) => {
  const { app, store, url } = await listenApp(t);
  const { jar } = lynxHome(t);

  // The board, card and checklist are made by a second browser; Lynx signs in and does the editing.
  const mirror = await signUp(app, 'lena', 'password123');
  let page = await mirror.submit(await mirror.get('/'), '/boards', { title: 'Move house' });
  page = await mirror.submit(page, '/lists', { title: 'To do' });
  page = await mirror.submit(page, '/cards', { title: 'Pack boks' });
  const cardPath = page.$('div.card > a').attr('href')!;
  let card = await mirror.get(cardPath);
  card = await mirror.submit(card, '/checklists', { title: 'Rooms' });
  const checklistId = store.db.prepare('SELECT id FROM checklists').pluck().get() as string;
  for (const title of ['Kitchen', 'Attic', 'Garage']) card = await mirror.submit(card, `/checklists/${checklistId}/items`, { title });

  await lynxSignIn(app, url, 'lena', jar);

  // 1. fix the typo in the title: clear the field, type the new title, press Save title
  card = await mirror.get(cardPath);
  const titleField = focusIndex(card.body, '#title');
  const saveTitle = focusIndex(card.body, 'input[value="Save title"]');
  let screen = await lynx(`${url}${cardPath}`, [...tabs(titleField), 'clear', 'type Pack boxes', ...tabs(saveTitle - titleField), 'submit'], jar);
  t.equal(store.db.prepare('SELECT title FROM cards').pluck().get(), 'Pack boxes', 'the new title is stored');
  t.match(screen, 'Pack boxes');

  // 2. tick Kitchen and Garage, then Save ticks
  card = await mirror.get(cardPath);
  const id = (title: string) => store.db.prepare('SELECT id FROM checklist_items WHERE title = ?').pluck().get(title) as string;
  const kitchen = focusIndex(card.body, `#done-${id('Kitchen')}`);
  const garage = focusIndex(card.body, `#done-${id('Garage')}`);
  const save = focusIndex(card.body, 'input[value="Save ticks"]');
  screen = await lynx(`${url}${cardPath}`, [...tabs(kitchen), 'enter', ...tabs(garage - kitchen), 'enter', ...tabs(save - garage), 'submit'], jar);
  t.same(store.db.prepare('SELECT title FROM checklist_items WHERE is_finished = 1 ORDER BY title').pluck().all(), ['Garage', 'Kitchen']);
  t.match(screen, 'Rooms (2/3)', 'Lynx shows the ticks');

  // 3. a comment: Lynx edits a text area in place, line by line
  card = await mirror.get(cardPath);
  const commentBox = focusIndex(card.body, '#comment');
  const send = focusIndex(card.body, 'input[value="Comment"]');
  screen = await lynx(`${url}${cardPath}`, [...tabs(commentBox), 'type Boxes are in the hall.', ...tabs(send - commentBox), 'submit'], jar);
  t.same(store.db.prepare('SELECT text FROM comments').pluck().all(), ['Boxes are in the hall.'], 'the comment is stored');
  t.match(screen, 'Boxes are in the hall.', 'Lynx shows it under Comments');
});

t.test('Lynx: attach a file from the card page (it sends the full local path), then download it', async (t) => {
  const { app, store, url } = await listenApp(t);
  const { home, jar } = lynxHome(t);
  const local = path.join(home, 'minutes.txt');
  const content = 'Minutes of the meeting: Lynx uploads work.\n'.repeat(50);
  fs.writeFileSync(local, content);

  const mirror = await signUp(app, 'lasse', 'password123');
  let page = await mirror.submit(await mirror.get('/'), '/boards', { title: 'Club' });
  page = await mirror.submit(page, '/lists', { title: 'Meetings' });
  page = await mirror.submit(page, '/cards', { title: 'March' });
  const cardPath = page.$('div.card > a').attr('href')!;
  await lynxSignIn(app, url, 'lasse', jar);

  // Lynx shows a file input as a text field: type the local path, then press Upload.
  const card = await mirror.get(cardPath);
  const fileField = focusIndex(card.body, '#file');
  const upload = focusIndex(card.body, 'input[value="Upload"]');
  const screen = await lynx(`${url}${cardPath}`, [...tabs(fileField), `type ${local}`, ...tabs(upload - fileField), 'submit'], jar);
  const row = store.db.prepare('SELECT id, name, size, sha256 FROM attachments').get() as { id: string; name: string; size: number } | undefined;
  t.equal(row?.name, 'minutes.txt', 'the path Lynx sent is cut to the file name');
  t.equal(row?.size, Buffer.byteLength(content));
  t.match(screen, 'minutes.txt', 'Lynx shows it on the card');

  const saved = path.join(home, 'downloaded.txt');
  const dump = await runTool('lynx-session.sh', ['--cookies', jar, '--out', saved, `${url}${cardPath}/attachments/${row!.id}/minutes.txt`]);
  t.equal(dump.code, 0);
  t.equal(fs.readFileSync(saved, 'utf8').trim(), content.trim(), 'and downloads the same text');
});

t.test('Lynx on ISO-8859-1 pages: "ä" typed into a form arrives as "ä"', async (t) => {
  const { app, store, url } = await listenApp(t);
  const { jar } = lynxHome(t);

  const mirror = await signUp(app, 'liisa', 'password123');
  await mirror.submit(await mirror.get('/profile'), '/profile', { charset: 'iso-8859-1' });
  let page = await mirror.submit(await mirror.get('/'), '/boards', { title: 'Kauppa' });
  page = await mirror.submit(page, '/lists', { title: 'Ostettavaa' });
  const boardUrl = boardPath(page);
  t.match(page.headers['content-type'], 'charset=iso-8859-1', 'the account reads Latin-1 pages');
  await lynxSignIn(app, url, 'liisa', jar);

  page = await mirror.get(boardUrl);
  const field = focusIndex(page.body, '#new-card');
  const button = focusIndex(page.body, 'input[value="Add card"]');
  const screen = await lynx(`${url}${boardUrl}`, [...tabs(field), 'type Käse ja €', ...tabs(button - field), 'submit'], jar);
  const title = store.db.prepare('SELECT title FROM cards').pluck().get() as string;
  t.equal(title, 'Käse ja EUR', '"ä" sent as its Latin-1 byte and read back; "€" spelt EUR by Lynx itself');
  t.match(screen, 'Käse ja', 'Lynx shows the card');
});
