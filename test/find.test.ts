// Finding cards: full-text search, my cards, due cards, public boards, and the board filter.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

const titles = (page: Page) => page.$('table.found tr td:first-child > a').map((_, a) => page.$(a).text()).get();

async function boardWithCards(browser: Browser, title: string, cards: string[]): Promise<Page> {
  let page = await createBoard(browser, title);
  page = await browser.submit(page, '/lists', { title: 'To do' });
  for (const card of cards) page = await browser.submit(page, '/cards', { title: card });
  return page;
}

const cardUrl = (page: Page, title: string) => page.$('div.card > a').filter((_, a) => page.$(a).text() === title).attr('href')!;

t.test('search finds cards by title, description, comment and checklist item, on your boards only', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  const board = await boardWithCards(alice, 'Kitchen', ['Crème brûlée', 'Bread', 'Soup', 'Salad']);
  await alice.submit(await alice.get(cardUrl(board, 'Bread')), '/description', { description: 'sourdough starter' });
  await alice.submit(await alice.get(cardUrl(board, 'Soup')), '/comments', { comment: 'add more pepper' });
  let salad = await alice.get(cardUrl(board, 'Salad'));
  salad = await alice.submit(salad, '/checklists', { title: 'Buy' });
  await alice.submit(salad, `/checklists/${salad.$('form[action*="/checklists/"][action$="/items"]').attr('action')!.split('/')[6]}/items`, { title: 'walnuts' });
  await boardWithCards(bob, 'Bob private', ['Bread of bob']);

  const search = async (q: string) => alice.get(`/global-search?q=${encodeURIComponent(q)}`);
  t.same(titles(await search('creme')), ['Crème brûlée'], 'by title, accents folded');
  t.same(titles(await search('sourdough')), ['Bread'], 'by description');
  t.same(titles(await search('pepper')), ['Soup'], 'by comment');
  t.same(titles(await search('walnut')), ['Salad'], 'by checklist item, as a prefix');
  t.same(titles(await search('bread')), ['Bread'], "never bob's private card");
  const odd = await search('" OR ( NEAR AND *');
  t.equal(odd.status, 200, 'query syntax typed by a person is harmless');
  const page = await search('pepper');
  t.match(page.text, 'add more pepper', 'an excerpt shows where it matched');
  t.equal((await validateHtml(page.body, 'global-search')).valid, true);
  t.equal((await validateHtml((await alice.get('/global-search')).body, 'global-search-empty')).valid, true);
  await alice.submit(await alice.get(cardUrl(board, 'Soup')), '/archive');
  t.same(titles(await search('pepper')), [], 'archived cards are not found');
});

t.test("a no-comments member does not find cards by their comments' words", async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const nina = await signUp(app, 'nina');
  const board = await boardWithCards(alice, 'Kitchen', ['Soup']);
  await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: 'nina', role: 'no-comments' });
  await alice.submit(await alice.get(cardUrl(board, 'Soup')), '/comments', { comment: 'secret pepper' });
  t.same(titles(await nina.get('/global-search?q=pepper')), []);
  t.same(titles(await nina.get('/global-search?q=soup')), ['Soup'], 'titles still work');
});

t.test('my cards and due cards', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const board = await boardWithCards(alice, 'Work', ['Mine', 'Not mine', 'Late', 'Soon']);
  const aliceId = (await store.users.byUsername('alice'))!.id;
  await alice.submit(await alice.get(cardUrl(board, 'Mine')), '/assignees', { assignee: aliceId });
  await alice.submit(await alice.get(cardUrl(board, 'Late')), '/details', { dueAtDate: '2020-01-01' });
  await alice.submit(await alice.get(cardUrl(board, 'Soon')), '/details', { dueAtDate: '2099-01-01' });
  const mine = await alice.get('/my-cards');
  t.same(titles(mine), ['Mine']);
  t.equal((await validateHtml(mine.body, 'my-cards')).valid, true);
  const due = await alice.get('/due-cards');
  t.same(titles(due), ['Late', 'Soon'], 'soonest first');
  t.match(due.text, '2020-01-01 23:59 (overdue)');
  t.equal((await validateHtml(due.body, 'due-cards')).valid, true);
});

t.test('/public lists public boards, readable without an account', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const board = await boardWithCards(alice, 'Open plans', ['Hello']);
  await boardWithCards(alice, 'Closed plans', ['Secret']);
  await alice.submit(await alice.get(`${boardPath(board)}/settings`), '/settings', { permission: 'public', description: 'For everyone' });
  const visitor = new Browser(app);
  const page = await visitor.get('/public');
  t.equal(page.status, 200);
  t.same(page.$('ul li a').map((_, a) => page.$(a).text()).get(), ['Open plans']);
  t.match(page.text, 'For everyone');
  t.equal((await validateHtml(page.body, 'public')).valid, true);
  const seen = await visitor.get(page.$('ul li a').attr('href')!);
  t.match(seen.text, 'Hello');
});

t.test('filter the board by label, person and due date', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await boardWithCards(alice, 'Work', ['Bug', 'Feature', 'Late', 'This week', 'Mine']);
  const boardId = boardPath(board).split('/')[2]!;
  const red = (await store.labels.forBoard(boardId)).find((l) => l.color === 'red')!;
  await alice.submit(await alice.get(cardUrl(board, 'Bug')), '/labels', { label: red.id });
  await alice.submit(await alice.get(cardUrl(board, 'Late')), '/details', { dueAtDate: '2020-01-01' });
  const soon = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
  await alice.submit(await alice.get(cardUrl(board, 'This week')), '/details', { dueAtDate: soon });
  const aliceId = (await store.users.byUsername('alice'))!.id;
  await alice.submit(await alice.get(cardUrl(board, 'Mine')), '/members', { member: aliceId });
  board = await alice.get(boardPath(board));
  const shown = (page: Page) => page.$('div.card > a').map((_, a) => page.$(a).text()).get();
  const byLabel = await alice.submit(board, 'form[method=get]', { label: red.id });
  t.same(shown(byLabel), ['Bug']);
  t.match(byLabel.text, 'Showing 1 of 5 cards');
  t.same(shown(await alice.submit(board, 'form[method=get]', { member: aliceId })), ['Mine']);
  t.same(shown(await alice.submit(board, 'form[method=get]', { due: 'overdue' })), ['Late']);
  const week = await alice.submit(board, 'form[method=get]', { due: 'week' });
  t.same(shown(week), ['This week']);
  t.equal((await validateHtml(week.body, 'board-filtered')).valid, true);
  t.same(shown(await alice.submit(board, 'form[method=get]', { due: 'nonsense' })).length, 5, 'an unknown filter shows everything');
});
