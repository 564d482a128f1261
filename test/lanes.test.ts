// Lists and swimlanes: reorder, colour, and WIP limits (a hard one refuses with 409, a soft one warns).
import t from 'tap';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp, type Browser, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

async function board(browser: Browser, lists: string[]): Promise<Page> {
  let page = await createBoard(browser, 'Flow');
  for (const title of lists) page = await browser.submit(page, '/lists', { title });
  return page;
}

const listLink = (page: Page, title: string) => `${page.$('th.list a').filter((_, a) => page.$(a).text() === title).attr('href')!}/settings`;
const listOption = (page: Page, title: string) => page.$('#new-card-list option').filter((_, o) => page.$(o).text() === title).attr('value')!;
const heads = (page: Page) => page.$('th.list > a').map((_, a) => page.$(a).text()).get();

t.test('reorder lists and swimlanes from their pages; give them colours', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await board(alice, ['A', 'B', 'C']);
  let lane = await alice.get(listLink(page, 'C'));
  t.equal((await validateHtml(lane.body, 'list-page')).valid, true);
  page = await alice.submit(lane, '/move', { position: 'top' });
  t.same(heads(page), ['C', 'A', 'B']);
  lane = await alice.get(listLink(page, 'C'));
  const afterA = lane.$('#position option').filter((_, o) => lane.$(o).text() === 'after A').attr('value')!;
  page = await alice.submit(lane, '/move', { position: afterA });
  t.same(heads(page), ['A', 'C', 'B']);
  lane = await alice.submit(await alice.get(listLink(page, 'B')), '/look', { color: 'sky' });
  t.equal(lane.$('#color option[selected]').text(), 'sky');
  page = await alice.get(boardPath(page));
  t.ok(page.$('th.list.lane-sky').length, 'the board shows the colour');
  page = await alice.submit(page, '/swimlanes', { title: 'Second' });
  const swimlane = await alice.get(page.$('th.swimlane a').filter((_, a) => page.$(a).text() === 'Second').attr('href')!);
  t.equal(swimlane.$('#wipLimit').length, 0, 'swimlanes have no WIP limit');
  page = await alice.submit(swimlane, '/move', { position: 'top' });
  t.same(page.$('th.swimlane a').map((_, a) => page.$(a).text()).get(), ['Second', 'Default']);
});

t.test('a hard WIP limit refuses the card past it with 409; nothing is stored', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await board(alice, ['Doing', 'Later']);
  await alice.submit(await alice.get(listLink(page, 'Doing')), '/look', { wipLimit: '2' });
  page = await alice.get(boardPath(page));
  for (const title of ['One', 'Two']) page = await alice.submit(page, '/cards', { title, listId: listOption(page, 'Doing') });
  t.match(page.text, 'Doing (2 of max 2)');
  const refused = await alice.submit(page, '/cards', { title: 'Three', listId: listOption(page, 'Doing') });
  t.equal(refused.status, 409);
  t.match(refused.text, 'holds at most 2 cards (its WIP limit) and has 2');
  t.equal(refused.$('#title').attr('value'), 'Three', 'what was typed is kept');
  t.equal((await validateHtml(refused.body, 'wip-409')).valid, true);
  page = await alice.submit(page, '/cards', { title: 'Three', listId: listOption(page, 'Later') });
  const three = page.$('div.card > a').filter((_, a) => page.$(a).text() === 'Three').attr('href')!.split('/').pop()!;
  const move = await alice.submit(page, '/selected', { card: three, listId: listOption(page, 'Doing') }, 'move');
  t.equal(move.status, 409, 'moving in is refused too');
  t.equal(await store.sql.value(`SELECT count(*) FROM cards c JOIN lists l ON l.id = c.list_id WHERE l.title = 'Doing'`), 2);
  const one = page.$('div.card > a').filter((_, a) => page.$(a).text() === 'One').attr('href')!.split('/').pop()!;
  const reorder = await alice.submit(page, '/selected', { card: one, listId: listOption(page, 'Doing'), position: 'bottom' }, 'move');
  t.equal(reorder.status, 200, 'reordering inside the full list is fine');
});

t.test('a soft WIP limit lets cards in and warns on the board', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await board(alice, ['Doing']);
  await alice.submit(await alice.get(listLink(page, 'Doing')), '/look', { wipLimit: '1', wipSoft: '1' });
  page = await alice.get(boardPath(page));
  for (const title of ['One', 'Two']) page = await alice.submit(page, '/cards', { title });
  t.equal(page.status, 200);
  t.match(page.text, 'Doing (2 of max 1) over the WIP limit!');
});

t.test('a WIP limit that is not a whole number is 422 with what was typed', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await board(alice, ['Doing']);
  const refused = await alice.submit(await alice.get(listLink(page, 'Doing')), '/look', { wipLimit: 'two', color: 'sky' });
  t.equal(refused.status, 422);
  t.match(refused.text, 'A WIP limit is a whole number');
  t.equal(refused.$('#wipLimit').attr('value'), 'two');
  t.equal(await store.sql.value('SELECT wip_limit FROM lists'), null);
  t.equal(await store.sql.value('SELECT color FROM lists'), null);
});

t.test('star a list and collapse it: the board shows a star and counts instead of cards; its own page all cards', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await board(alice, ['Backlog', 'Now']);
  for (const title of ['Old idea', 'Other idea']) page = await alice.submit(page, '/cards', { title, listId: listOption(page, 'Backlog') });
  let lane = await alice.get(listLink(page, 'Backlog'));
  lane = await alice.submit(lane, '/look', { starred: '1', collapsed: '1' });
  t.ok(lane.$('#starred').attr('checked') !== undefined && lane.$('#collapsed').attr('checked') !== undefined, 'both ticked now');
  t.equal((await validateHtml(lane.body, 'list-page-flags')).valid, true);
  page = await alice.get(boardPath(page));
  const head = page.$('th.list').filter((_, th) => page.$(th).find('a').text() === 'Backlog');
  t.equal(head.find('span.star').attr('title'), 'starred');
  t.match(head.text(), '(collapsed) (2)');
  t.notMatch(page.$('div.card').text(), 'Old idea', 'no cards of the collapsed list on the board');
  t.match(page.text, 'show all 2 cards');
  t.equal((await validateHtml(page.body, 'board-collapsed')).valid, true);
  const listPage = await alice.get(page.$('a').filter((_, a) => page.$(a).text() === 'show all 2 cards').attr('href')!);
  t.match(listPage.$('div.card').text(), 'Old idea', 'the list\'s own page shows them');

  const boardId = boardPath(page).split('/')[2]!;
  const listId = listOption(page, 'Backlog');
  const { token } = (await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'correct horse battery' } })).json() as { token: string };
  const api = (method: 'GET' | 'PUT', payload?: object) => app.inject({ method, url: `/api/boards/${boardId}/lists/${listId}`, payload, headers: { authorization: `Bearer ${token}` } });
  t.match((await api('GET')).json(), { starred: true, collapsed: true });
  await api('PUT', { collapsed: 'false' });
  t.match((await api('GET')).json(), { starred: true, collapsed: false }, 'the API changes one flag and keeps the other');
  t.equal((await store.lists.byId(boardId, listId))!.collapsed, 0);
});

t.test('a list and a swimlane copied and moved to another board from their settings pages', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'From');
  board = await alice.submit(board, '/lists', { title: 'Ideas' });
  board = await alice.submit(board, '/cards', { title: 'Big idea' });
  await createBoard(alice, 'To');
  const fromId = boardPath(board).split('/')[2]!;
  const toId = (await store.sql.value<string>("SELECT id FROM boards WHERE title = 'To'"))!;
  const listId = (await store.sql.value<string>('SELECT id FROM lists WHERE board_id = ?', fromId))!;
  let settings = await alice.get(`${boardPath(board)}/lists/${listId}/settings`);
  t.same(settings.$('#transfer-board option').map((_, o) => settings.$(o).text()).get(), ['From (this board)', 'To']);
  const copied = await alice.submit(settings, '/transfer', { boardId: fromId }, 'copy');
  t.equal(copied.status, 200);
  t.equal(await store.sql.value("SELECT count(*) FROM lists WHERE board_id = ? AND title = 'Ideas'", fromId), 2, 'copied within the board');
  settings = await alice.get(`${boardPath(board)}/lists/${listId}/settings`);
  t.equal((await alice.submit(settings, '/transfer', { boardId: fromId }, 'move')).status, 422, 'a move needs another board');
  const moved = await alice.submit(settings, '/transfer', { boardId: toId }, 'move');
  t.equal(moved.status, 200);
  t.equal((await store.lists.byId(toId, listId))?.title, 'Ideas', 'the list itself is on the other board');
  t.equal(await store.sql.value('SELECT count(*) FROM cards WHERE board_id = ? AND list_id = ?', toId, listId), 1, 'with its card');

  const laneId = (await store.sql.value<string>('SELECT id FROM swimlanes WHERE board_id = ?', fromId))!;
  settings = await alice.get(`${boardPath(board)}/swimlanes/${laneId}/settings`);
  await alice.submit(settings, '/transfer', { boardId: toId }, 'copy');
  t.equal(await store.sql.value('SELECT count(*) FROM swimlanes WHERE board_id = ?', toId), 2, 'a copy of the swimlane on the other board');
});
