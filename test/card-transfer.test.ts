// Delete (after confirming), copy to any writable board, move to another board.
import t from 'tap';
import { startApp, inOrder } from './helpers/app.js';
import { boardPath, createBoard, signUp, type Browser, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

async function boardWithCard(browser: Browser, title: string, card: string): Promise<Page> {
  let board = await createBoard(browser, title);
  board = await browser.submit(board, '/lists', { title: 'Inbox' });
  return browser.submit(board, '/cards', { title: card });
}

t.test('delete a card after a confirmation page; its checklists and comments go too', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const board = await boardWithCard(alice, 'Home', 'Old junk');
  let card = await alice.get(board.$('div.card > a').attr('href')!);
  card = await alice.submit(card, '/checklists', { title: 'Steps' });
  card = await alice.submit(card, '/comments', { comment: 'bye' });
  const confirm = await alice.get(`${card.url}/delete`);
  t.match(confirm.text, 'Delete this card for good?');
  t.match(confirm.text, '1 checklist, 1 comment and 0 attached files');
  t.equal((await validateHtml(confirm.body, 'card-delete')).valid, true);
  t.equal(await store.sql.value('SELECT count(*) FROM cards'), 1, 'looking at the page deletes nothing');
  const after = await alice.submit(confirm, '/delete');
  t.equal(after.url, boardPath(board));
  t.equal(await store.sql.value('SELECT count(*) FROM cards'), 0);
  t.equal(await store.sql.value('SELECT count(*) FROM checklists'), 0);
  t.equal(await store.sql.value('SELECT count(*) FROM comments'), 0);
  t.equal((await alice.get(card.url)).status, 404);
  t.equal(await store.sql.value(`SELECT count(*) FROM activities WHERE activity_type = 'deleteCard'`), 1);
});

t.test('copy a card to another board: labels by name, members who belong there, checklists; not comments', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const source = await boardWithCard(alice, 'Source', 'Template');
  const target = await boardWithCard(alice, 'Target', 'Existing');
  const sourceId = boardPath(source).split('/')[2]!;
  const targetId = boardPath(target).split('/')[2]!;
  let card = await alice.get(source.$('div.card > a').attr('href')!);
  const green = (await store.labels.forBoard(sourceId)).find((l) => l.color === 'green')!;
  const custom = await store.labels.create((await store.users.byUsername('alice'))!.id, sourceId, 'Only here', 'navy');
  card = await alice.submit(card, '/labels', { label: [green.id, custom.id] });
  card = await alice.submit(card, '/members', { member: card.$('input[name=member]').first().attr('value')! });
  card = await alice.submit(card, '/details', { dueAtDate: '2031-01-01', color: 'gold' });
  card = await alice.submit(card, '/checklists', { title: 'Steps' });
  const listId = await store.sql.value('SELECT id FROM checklists') as string;
  card = await alice.submit(card, `/checklists/${listId}/items`, { title: 'One' });
  card = await alice.submit(card, '/comments', { comment: 'not copied' });

  const step1 = await alice.get(`${card.url}/copy`);
  t.equal((await validateHtml(step1.body, 'card-copy')).valid, true);
  const step2 = await alice.get(`${card.url}/copy?boardId=${targetId}`);
  t.equal((await validateHtml(step2.body, 'card-copy-2')).valid, true);
  const copy = await alice.submit(step2, 'form[method=post][action$="/copy"]');
  t.match(copy.url, new RegExp(`^/b/${targetId}/target/`), 'lands on the copy');
  const copyId = copy.url.split('/').pop()!;
  t.match(await store.cards.byId(targetId, copyId), { title: 'Template', color: 'gold', dueAt: '2031-01-01T23:59:00.000Z' });
  const copiedLabels = await inOrder(await store.labels.onCard(copyId), async (id) => (await store.labels.byId(targetId, id))!.color);
  t.same(copiedLabels, ['green'], 'the green label matched by name and colour; "Only here" has no twin');
  t.equal((await store.members.onCard(copyId, 'members')).length, 1);
  t.same((await store.checklists.forCard(copyId)).map((c) => [c.title, c.items.map((i) => i.title)]), [['Steps', ['One']]]);
  t.equal((await store.comments.forCard(copyId)).length, 0);
  t.equal(await store.sql.value('SELECT count(*) FROM cards WHERE board_id = ?', sourceId), 1, 'the original stays');
});

t.test('move a card to another board, with everything on it', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const source = await boardWithCard(alice, 'Source', 'Traveller');
  const target = await boardWithCard(alice, 'Target', 'Resident');
  const targetId = boardPath(target).split('/')[2]!;
  let card = await alice.get(source.$('div.card > a').attr('href')!);
  card = await alice.submit(card, '/comments', { comment: 'comes along' });
  const cardId = card.url.split('/').pop()!;
  const moved = await alice.submit(await alice.get(`${card.url}/move-to-board?boardId=${targetId}`), 'form[method=post][action$="/move-to-board"]');
  t.equal(moved.url, `/b/${targetId}/target/${cardId}`);
  t.equal(await store.sql.value('SELECT board_id FROM cards WHERE id = ?', cardId), targetId);
  t.equal(await store.sql.value('SELECT board_id FROM comments'), targetId);
  t.match(moved.text, 'comes along');
  t.same((await alice.get(boardPath(target))).$('div.card > a').map((_, a) => moved.$(a).text()).get(), ['Resident', 'Traveller']);
  t.equal((await alice.get(card.url)).status, 404, 'gone from the old board');
});

t.test('moving to a board you cannot write is 403, to one you cannot see 404; nothing changes', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  const readOnly = await boardWithCard(bob, 'Bob reads', 'x');
  await bob.submit(await bob.get(`${boardPath(readOnly)}/members`), '/members', { username: 'alice', role: 'comment-only' });
  const hidden = await boardWithCard(bob, 'Bob only', 'y');
  const source = await boardWithCard(alice, 'Mine', 'Card');
  const card = await alice.get(source.$('div.card > a').attr('href')!);
  const token = card.$('input[name=csrf]').attr('value')!;
  const ids = (page: Page) => ({
    boardId: boardPath(page).split('/')[2]!,
    listId: page.$('#new-card-list option').first().attr('value')!,
    swimlaneId: page.$('input[name=swimlaneId]').first().attr('value')!,
  });
  const forbidden = await alice.post(`${card.url}/move-to-board`, { csrf: token, ...ids(readOnly) });
  t.equal(forbidden.status, 403);
  const invisible = await alice.post(`${card.url}/copy`, { csrf: token, ...ids(hidden) });
  t.equal(invisible.status, 404);
  const wrongList = await alice.post(`${card.url}/copy`, { csrf: token, ...ids(source), listId: ids(hidden).listId });
  t.equal(wrongList.status, 422);
  t.match(wrongList.text, 'Choose a list and a swimlane of the board you picked');
  t.equal(await store.sql.value('SELECT count(*) FROM cards'), 3);
  t.equal(await store.sql.value('SELECT board_id FROM cards WHERE title = ?', 'Card'), boardPath(source).split('/')[2]);
});
