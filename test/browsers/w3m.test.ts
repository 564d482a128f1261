// w3m (HTTP/1.0, renders tables) through sign-up, a board, a list, a card and a move, checking what
// the server stored after each step.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { listenApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser.js';
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
  const walter = store.users.byUsername('walter');
  t.ok(walter, 'the account is stored');

  const mirror = new Browser(app);
  await mirror.submit(await mirror.get('/sign-in'), '/sign-in', { username: 'walter', password: 'password123' });
  // w3m does not follow meta refresh; its user turns automatic refresh off, as the profile offers.
  await mirror.submit(await mirror.get('/profile'), '/profile', { autoRefresh: [] });
  t.equal(store.users.byUsername('walter')?.autoRefresh, 0);

  await w3m(`${url}/`, 'New board', [
    ...tabKeys(focusIndex((await mirror.get('/')).body, '#new-board')), ...field('Chores'), 'keys Tab Enter',
  ], 'This board has no lists yet', home);
  const [board] = store.boards.forMember(walter!.id, false);
  t.equal(board?.title, 'Chores');
  const boardUrl = `/b/${board!.id}/${board!.slug}`;

  for (const title of ['Later', 'Now']) {
    await w3m(`${url}${boardUrl}`, 'New list', [
      ...tabKeys(focusIndex((await mirror.get(boardUrl)).body, '#new-list')), ...field(title), 'keys Tab Enter',
    ], `${title} (0)`, home);
  }
  t.same(store.lists.forBoard(board!.id, false).map((l) => l.title), ['Later', 'Now']);

  let page = await mirror.get(boardUrl);
  const cardField = focusIndex(page.body, '#new-card');
  await w3m(`${url}${boardUrl}`, 'New card', [
    ...tabKeys(cardField), ...field('Wash car'), ...tabKeys(focusIndex(page.body, 'input[value="Add card"]') - cardField), 'keys Enter',
  ], 'Later (1)', home);
  const card = store.db.prepare('SELECT id, list_id AS listId FROM cards').get() as { id: string; listId: string };
  t.equal(card.listId, store.lists.forBoard(board!.id, false)[0]!.id, 'the card is in the first list');

  page = await mirror.get(boardUrl);
  const box = focusIndex(page.body, `input[name=card][value=${card.id}]`);
  const select = focusIndex(page.body, '#move-list');
  const move = focusIndex(page.body, 'input[name=move]');
  const screen = await w3m(`${url}${boardUrl}`, 'Ticked cards', [
    ...tabKeys(box), 'keys Enter', ...tabKeys(select - box), 'keys Enter', 'sleep 0.3', 'keys Down Enter',
    ...tabKeys(move - select), 'keys Enter',
  ], 'Now (1)', home);
  const moved = store.db.prepare('SELECT list_id FROM cards WHERE id = ?').pluck().get(card.id);
  t.equal(moved, store.lists.forBoard(board!.id, false)[1]!.id, 'the card is stored in "Now"');
  t.match(screen, 'Later (0)', 'w3m shows the result', { screen });
});
