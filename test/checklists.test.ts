// Checklists: add, rename, tick several at once, reorder and delete items; roles; HTML validity.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp, type Browser, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

async function card(browser: Browser): Promise<Page> {
  let board = await createBoard(browser, 'Trip');
  board = await browser.submit(board, '/lists', { title: 'To do' });
  board = await browser.submit(board, '/cards', { title: 'Pack' });
  return browser.get(board.$('div.card > a').attr('href')!);
}

const items = (page: Page) => page.$('ul.checklist li label').map((_, l) => page.$(l).text()).get();

t.test('a checklist with items: tick several at once, untick, reorder, rename, delete', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await card(alice);
  page = await alice.submit(page, '/checklists', { title: 'Bag' });
  const listId = await store.sql.value('SELECT id FROM checklists') as string;
  for (const title of ['Passport', 'Tickets', 'Socks']) page = await alice.submit(page, `/checklists/${listId}/items`, { title });
  t.same(items(page), ['Passport', 'Tickets', 'Socks']);
  t.match(page.text, 'Bag (0/3)');
  const id = async (title: string) => await store.sql.value('SELECT id FROM checklist_items WHERE title = ?', title) as string;

  page = await alice.submit(page, '/ticks', { done: [await id('Passport'), await id('Socks')] });
  t.match(page.text, 'Bag (2/3)');
  t.same(await store.sql.column('SELECT title FROM checklist_items WHERE is_finished = 1 ORDER BY title'), ['Passport', 'Socks']);
  page = await alice.submit(page, '/ticks', { done: [await id('Passport'), await id('Tickets'), await id('Socks')] });
  t.match(page.text, 'Bag (3/3, done)');
  t.ok(await store.sql.value('SELECT finished_at FROM checklists'), 'the checklist is finished');
  page = await alice.submit(page, '/ticks', { done: [await id('Tickets')] });
  t.match(page.text, 'Bag (1/3)', 'untick by leaving boxes empty');
  t.equal(await store.sql.value('SELECT finished_at FROM checklists'), null);
  t.equal((await validateHtml(page.body, 'card-checklists')).valid, true);

  let itemPage = await alice.get(page.$(`a[href$="/items/${(await id('Socks'))}"]`).attr('href')!);
  t.equal((await validateHtml(itemPage.body, 'checklist-item')).valid, true);
  page = await alice.submit(itemPage, '/move', { position: 'top' });
  t.same(items(page), ['Socks', 'Passport', 'Tickets']);
  itemPage = await alice.get(page.$(`a[href$="/items/${(await id('Socks'))}"]`).attr('href')!);
  page = await alice.submit(itemPage, '/move', { position: `after:${(await id('Tickets'))}` });
  t.same(items(page), ['Passport', 'Tickets', 'Socks']);
  itemPage = await alice.get(page.$(`a[href$="/items/${(await id('Socks'))}"]`).attr('href')!);
  page = await alice.submit(itemPage, '/title', { title: 'Warm socks' });
  t.same(items(page), ['Passport', 'Tickets', 'Warm socks']);
  itemPage = await alice.get(page.$(`a[href$="/items/${(await id('Tickets'))}"]`).attr('href')!);
  page = await alice.submit(itemPage, '/delete');
  t.same(items(page), ['Passport', 'Warm socks']);

  const listPage = await alice.get(page.$(`a[href$="/checklists/${listId}"]`).attr('href')!);
  t.equal((await validateHtml(listPage.body, 'checklist')).valid, true);
  page = await alice.submit(listPage, '/title', { title: 'Backpack' });
  t.match(page.text, 'Backpack (0/2)', 'the ticked item was the deleted one');
  page = await alice.submit(await alice.get(listPage.url), '/delete');
  t.match(page.text, 'No checklists.');
  t.equal(await store.sql.value('SELECT count(*) FROM checklist_items'), 0, 'its items went with it');
});

t.test('bad checklist input: 422 with what was typed; foreign items and ids are refused', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await card(alice);
  const empty = await alice.submit(page, '/checklists', { title: ' ' });
  t.equal(empty.status, 422);
  t.match(empty.text, 'Checklist title is missing');
  const long = await alice.submit(page, '/checklists', { title: 'x'.repeat(1001) });
  t.equal(long.$('#new-checklist').attr('value'), 'x'.repeat(1001));
  t.equal((await validateHtml(long.body, 'checklist-422')).valid, true);
  page = await alice.submit(page, '/checklists', { title: 'One' });
  const listId = await store.sql.value('SELECT id FROM checklists') as string;
  page = await alice.submit(page, `/checklists/${listId}/items`, { title: 'A' });
  const foreign = await alice.submit(page, '/ticks', { done: ['AAAAAAAAAAAAAAAAA'] });
  t.equal(foreign.status, 422);
  t.equal(await store.sql.value('SELECT is_finished FROM checklist_items'), 0);
  const token = page.$('input[name=csrf]').attr('value')!;
  t.equal((await alice.post(`${page.url}/checklists/nochecklist/items`, { csrf: token, title: 'x' })).status, 404);
  t.equal((await alice.get(`${page.url}/checklists/${listId}/items/noitem`)).status, 404);
});

t.test('members who may not edit see checklists but cannot tick them', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const cora = await signUp(app, 'cora');
  let page = await card(alice);
  await alice.submit(await alice.get(`${boardPath(page)}/members`), '/members', { username: 'cora', role: 'comment-only' });
  page = await alice.submit(page, '/checklists', { title: 'Bag' });
  const listId = await store.sql.value('SELECT id FROM checklists') as string;
  page = await alice.submit(page, `/checklists/${listId}/items`, { title: 'Passport' });
  const coraSees = await cora.get(page.url);
  t.match(coraSees.text, '[ ] Passport');
  t.equal(coraSees.$('form[action$="/ticks"]').length, 0);
  const itemId = await store.sql.value('SELECT id FROM checklist_items') as string;
  const refused = await cora.post(`${page.url}/checklists/${listId}/ticks`, { csrf: coraSees.$('input[name=csrf]').attr('value')!, done: itemId });
  t.equal(refused.status, 403);
  t.equal(await store.sql.value('SELECT is_finished FROM checklist_items'), 0);
});
