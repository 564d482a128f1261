// w3m (HTTP/1.0, renders tables) through sign-up, a board, a list, a card and a move, checking what
// the server stored after each step.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { listenApp } from '../helpers/app.js';
import { Browser, signUp } from '../helpers/browser.js';
import { focusIndex, tabKeys, w3m } from '../helpers/retro.js';

t.test('w3m: sign up, create a board, add lists and a card, move the card', async (t) => {
  const { app, store, url } = await listenApp(t);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-w3m-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  const field = (text: string) => ['keys Enter', `text ${text}`, 'keys Enter'];

  const signUpPage = await new Browser(app).get('/sign-up');
  await w3m(`${url}/sign-up`, 'Password again', [
    ...tabKeys(focusIndex(signUpPage.body, '#username')), ...field('walter'),
    'keys Tab', ...field('walter@example.org'), 'keys Tab', ...field('password123'),
    'keys Tab', ...field('password123'), 'keys Tab Enter',
  ], 'You have no boards yet', home);
  const walter = await store.users.byUsername('walter');
  t.ok(walter, 'the account is stored');

  const mirror = new Browser(app);
  await mirror.submit(await mirror.get('/sign-in'), '/sign-in', { username: 'walter', password: 'password123' });
  // w3m does not follow meta refresh; its user turns automatic refresh off, as the profile offers.
  await mirror.submit(await mirror.get('/profile'), '/profile', { autoRefresh: [] });
  t.equal((await store.users.byUsername('walter'))?.autoRefresh, 0);

  await w3m(`${url}/`, 'New board', [
    ...tabKeys(focusIndex((await mirror.get('/')).body, '#new-board')), ...field('Chores'), 'keys Tab Enter',
  ], 'This board has no lists yet', home);
  const [board] = await store.boards.forMember(walter!.id, false);
  t.equal(board?.title, 'Chores');
  const boardUrl = `/b/${board!.id}/${board!.slug}`;

  for (const title of ['Later', 'Now']) {
    await w3m(`${url}${boardUrl}`, 'New list', [
      ...tabKeys(focusIndex((await mirror.get(boardUrl)).body, '#new-list')), ...field(title), 'keys Tab Enter',
    ], `${title} (0)`, home);
  }
  t.same((await store.lists.forBoard(board!.id, false)).map((l) => l.title), ['Later', 'Now']);

  let page = await mirror.get(boardUrl);
  const cardField = focusIndex(page.body, '#new-card');
  await w3m(`${url}${boardUrl}`, 'New card', [
    ...tabKeys(cardField), ...field('Wash car'), ...tabKeys(focusIndex(page.body, 'input[value="Add card"]') - cardField), 'keys Enter',
  ], 'Later (1)', home);
  const card = store.db.prepare('SELECT id, list_id AS listId FROM cards').get() as { id: string; listId: string };
  t.equal(card.listId, (await store.lists.forBoard(board!.id, false))[0]!.id, 'the card is in the first list');

  page = await mirror.get(boardUrl);
  const box = focusIndex(page.body, `input[name=card][value=${card.id}]`);
  const select = focusIndex(page.body, '#move-list');
  const move = focusIndex(page.body, 'input[name=move]');
  const screen = await w3m(`${url}${boardUrl}`, 'Ticked cards', [
    ...tabKeys(box), 'keys Enter', ...tabKeys(select - box), 'keys Enter', 'sleep 0.3', 'keys Down Enter',
    ...tabKeys(move - select), 'keys Enter',
  ], 'Now (1)', home);
  const moved = store.db.prepare('SELECT list_id FROM cards WHERE id = ?').pluck().get(card.id);
  t.equal(moved, (await store.lists.forBoard(board!.id, false))[1]!.id, 'the card is stored in "Now"');
  t.match(screen, 'Later (0)', 'w3m shows the result', { screen });
});

t.test('w3m: sign in, tick a checklist item, comment (in its editor), attach a file', async (t) => {
  const { app, store, url } = await listenApp(t);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-w3m-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  const field = (text: string) => ['keys Enter', `text ${text}`, 'keys Enter'];

  const mirror = await signUp(app, 'wilma', 'password123');
  await mirror.submit(await mirror.get('/profile'), '/profile', { autoRefresh: [] });
  let page = await mirror.submit(await mirror.get('/'), '/boards', { title: 'Bikes' });
  page = await mirror.submit(page, '/lists', { title: 'Repairs' });
  page = await mirror.submit(page, '/cards', { title: 'Fix brakes' });
  const cardPath = page.$('div.card > a').attr('href')!;
  let card = await mirror.submit(await mirror.get(cardPath), '/checklists', { title: 'Parts' });
  const checklistId = store.db.prepare('SELECT id FROM checklists').pluck().get() as string;
  card = await mirror.submit(card, `/checklists/${checklistId}/items`, { title: 'Brake pads' });

  const signIn = await new Browser(app).get('/sign-in');
  await w3m(`${url}/sign-in`, 'Password', [
    ...tabKeys(focusIndex(signIn.body, '#username')), ...field('wilma'), 'keys Tab', ...field('password123'), 'keys Tab Enter',
  ], 'Signed in as wilma', home);

  // 1. tick "Brake pads", press Save ticks
  card = await mirror.get(cardPath);
  const itemId = store.db.prepare('SELECT id FROM checklist_items').pluck().get() as string;
  const box = focusIndex(card.body, `#done-${itemId}`);
  const save = focusIndex(card.body, 'input[value="Save ticks"]');
  let screen = await w3m(`${url}${cardPath}`, 'Save ticks', [...tabKeys(box), 'keys Enter', ...tabKeys(save - box), 'keys Enter'], 'Parts (1/1, done)', home);
  t.equal(store.db.prepare('SELECT is_finished FROM checklist_items').pluck().get(), 1, 'the tick is stored');

  // 2. a comment: w3m opens a text area in an editor; this "editor" writes the text into its file
  const text = path.join(home, 'comment.txt');
  fs.writeFileSync(text, 'New pads ordered.\n');
  card = await mirror.get(cardPath);
  const comment = focusIndex(card.body, '#comment');
  const send = focusIndex(card.body, 'input[value="Comment"]');
  // The comments are below the first screen: once the page is back, G goes to its end.
  screen = await w3m(`${url}${cardPath}`, 'Save ticks', [...tabKeys(comment), 'keys Enter', 'sleep 0.5', ...tabKeys(send - comment), 'keys Enter',
    'sleep 1.5', 'keys G'], 'New pads ordered.', home, ['-o', `editor=cp ${text}`]);
  t.same(store.db.prepare('SELECT text FROM comments').pluck().all(), ['New pads ordered.'], 'the comment is stored');

  // 3. attach a file: w3m asks for the file name in a prompt
  const local = path.join(home, 'invoice.txt');
  fs.writeFileSync(local, 'Brake pads: 2 x 12.50\n');
  card = await mirror.get(cardPath);
  const fileBox = focusIndex(card.body, '#file');
  const upload = focusIndex(card.body, 'input[value="Upload"]');
  screen = await w3m(`${url}${cardPath}`, 'Save ticks', [...tabKeys(fileBox), ...field(local), ...tabKeys(upload - fileBox), 'keys Enter'],
    'text/plain', home);
  const row = store.db.prepare('SELECT name, size FROM attachments').get() as { name: string; size: number } | undefined;
  t.equal(row?.name, 'invoice.txt', 'the file is stored under its name');
  t.equal(row?.size, fs.statSync(local).size, 'whole');
  t.match(screen, 'invoice.txt', 'w3m shows it on the card');
});
