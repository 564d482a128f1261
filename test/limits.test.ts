// Every loop driven by input has a limit (server/limits.ts), and a request past it is refused whole with
// a status and a reason that says so, leaving nothing half-made. Bulk writes refresh a card's search row
// once; an import into SQLite goes in short transactions into a marked board, which a restart after a
// crash deletes. (How long the worst request within each limit takes: test/bench/limits.ts.)
import t from 'tap';
import { MAX } from '../server/limits.js';
import { Store } from '../server/store/index.js';
import { onPostgres, startApp } from './helpers/app.js';
import { apiAs, idOf, type Api } from './helpers/api.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

/** A board with a list and a card, made through the API. */
async function boardWithCard(api: Api) {
  const made = await api('POST', '/api/boards', { title: 'Limits' });
  const boardId = idOf(made);
  const swimlaneId = (made.json() as { defaultSwimlaneId: string }).defaultSwimlaneId;
  const listId = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'List' }));
  const cardId = idOf(await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'Card', swimlaneId }));
  return { boardId, listId, swimlaneId, cardId };
}

t.test(`a checklist takes at most ${MAX.itemsPerChecklist} items, a card ${MAX.checklistsPerCard} checklists`, async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const { boardId, cardId } = await boardWithCard(api);
  const items = (n: number) => Array.from({ length: n }, (_, i) => `item${i} wordy`);
  const tooMany = await api('POST', `/api/boards/${boardId}/cards/${cardId}/checklists`, { title: 'Big', items: items(MAX.itemsPerChecklist + 1) });
  t.equal(tooMany.statusCode, 413);
  // a checklist's items are one field's values: that limit (the same number) answers first
  t.match(tooMany.json(), { error: 'too-large', reason: `One field may carry at most ${MAX.valuesPerField} values` });
  t.equal(await store.sql.value('SELECT count(*) FROM checklists'), 0, 'nothing was made');

  const history = await store.sql.value<number>('SELECT count(*) FROM activities');
  const full = await api('POST', `/api/boards/${boardId}/cards/${cardId}/checklists`, { title: 'Full', items: items(MAX.itemsPerChecklist) });
  t.equal(full.statusCode, 200);
  t.equal(await store.sql.value('SELECT count(*) FROM checklist_items'), MAX.itemsPerChecklist);
  t.equal(await store.sql.value<number>('SELECT count(*) FROM activities'), history! + 1, 'one change, one line of history');
  const found = await store.search.cards((await store.users.byUsername('alice'))!.id, 'item999');
  t.same(found.map((c) => c.id), [cardId], 'the items are searchable: the card\'s search row was refreshed');
  const oneMore = await api('POST', `/api/boards/${boardId}/cards/${cardId}/checklists/${idOf(full)}/items`, { title: 'one more' });
  t.equal(oneMore.statusCode, 422, 'a full checklist takes no more items');

  for (let i = 1; i < MAX.checklistsPerCard; i++) await api('POST', `/api/boards/${boardId}/cards/${cardId}/checklists`, { title: `List ${i}` });
  const extra = await api('POST', `/api/boards/${boardId}/cards/${cardId}/checklists`, { title: 'Extra' });
  t.equal(extra.statusCode, 422);
  t.match(extra.json(), { reason: `A card holds at most ${MAX.checklistsPerCard} checklists.` });
  t.equal(await store.sql.value('SELECT count(*) FROM checklists'), MAX.checklistsPerCard);

  const gone = await store.checklists.byId(cardId, idOf(full));
  await store.checklists.delete((await store.users.byUsername('alice'))!.id, gone!);
  t.same(await store.search.cards((await store.users.byUsername('alice'))!.id, 'item999'), [], 'deleted items are no longer found');
});

t.test('a board holds so many lists, swimlanes and labels: one more is refused with the reason, page and API', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const page = await createBoard(alice, 'Wide');
  const boardId = boardPath(page).split('/')[2]!;
  const userId = (await store.users.byUsername('alice'))!.id;
  const lists = await store.sql.value<number>('SELECT count(*) FROM lists WHERE board_id = ?', boardId);
  for (let i = lists!; i < MAX.listsPerBoard; i++) await store.lists.create(userId, boardId, `List ${i}`);
  const byApi = await api('POST', `/api/boards/${boardId}/lists`, { title: 'One too many' });
  t.equal(byApi.statusCode, 422);
  t.match(byApi.json(), { error: 'invalid', reason: `A board holds at most ${MAX.listsPerBoard} lists` });
  const byPage = await alice.submit(await alice.get(boardPath(page)), '/lists', { title: 'One too many' });
  t.equal(byPage.status, 422, 'the page answers 422');
  t.match(byPage.text, `A board holds at most ${MAX.listsPerBoard} lists, archived ones included`);
  t.ok((await validateHtml(byPage.body, 'too-many-lists')).valid);
  t.equal(await store.sql.value('SELECT count(*) FROM lists WHERE board_id = ?', boardId), MAX.listsPerBoard);

  const swimlanes = await store.sql.value<number>('SELECT count(*) FROM swimlanes WHERE board_id = ?', boardId);
  for (let i = swimlanes!; i < MAX.swimlanesPerBoard; i++) await store.swimlanes.create(userId, boardId, `Lane ${i}`);
  t.equal((await api('POST', `/api/boards/${boardId}/swimlanes`, { title: 'One too many' })).statusCode, 422);

  const labels = await store.sql.value<number>('SELECT count(*) FROM labels WHERE board_id = ?', boardId);
  for (let i = labels!; i < MAX.labelsPerBoard; i++) await store.labels.create(userId, boardId, `label ${i}`, 'green');
  const label = await api('PUT', `/api/boards/${boardId}/labels`, { label: { name: 'one more', color: 'red' } });
  t.equal(label.statusCode, 422);
  t.match(label.json(), { reason: `A board holds at most ${MAX.labelsPerBoard} labels.` });
});

t.test(`a field carries at most ${MAX.valuesPerField} values: more is 413 and changes nothing`, async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const { boardId, listId, cardId } = await boardWithCard(api);
  const ids = Array.from({ length: MAX.valuesPerField + 1 }, (_, i) => `label${i}`);
  const byApi = await api('PUT', `/api/boards/${boardId}/lists/${listId}/cards/${cardId}`, { labelIds: ids });
  t.equal(byApi.statusCode, 413);
  t.match(byApi.json(), { error: 'too-large', reason: `One field may carry at most ${MAX.valuesPerField} values` });

  const board = await store.boards.byId(boardId);
  const page = await alice.get(`/b/${boardId}/${board!.slug}`);
  const csrf = String(page.$('input[name=csrf]').first().val());
  const body = `csrf=${csrf}&archive=1&${Array.from({ length: MAX.valuesPerField + 1 }, () => `card=${cardId}`).join('&')}`;
  const byPage = await app.inject({ method: 'POST', url: `/b/${boardId}/${board!.slug}/selected`, payload: body,
    headers: { cookie: alice.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' } });
  t.equal(byPage.statusCode, 413);
  t.match(byPage.body, 'One field may carry at most');
  t.equal((await store.cards.byId(boardId, cardId))?.archived, 0, 'the card was not archived');
});

t.test('an import past a limit is refused with what and how many, and makes nothing', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const boards = await store.sql.value<number>('SELECT count(*) FROM boards');
  const wide = {
    _format: 'wekan-board-1.0.0', title: 'Wide', swimlanes: [{ _id: 's', title: 'Default' }],
    lists: Array.from({ length: MAX.listsPerBoard + 1 }, (_, i) => ({ _id: `l${i}`, title: `List ${i}`, sort: i })),
    cards: [],
  };
  const refused = await api('POST', '/api/boards/import', { board: wide });
  t.equal(refused.statusCode, 422);
  t.match(refused.json(), { reason: `The file has ${MAX.listsPerBoard + 1} lists: at most ${MAX.listsPerBoard} can be imported here.` });
  const csv = `Title\n${Array.from({ length: MAX.cardsPerImport + 1 }, (_, i) => `c${i}`).join('\n')}\n`;
  const long = await api('POST', '/api/boards/import', { board: csv, importSource: 'csv' });
  t.equal(long.statusCode, 422);
  t.match(long.json(), { reason: `The file has ${(MAX.cardsPerImport + 1).toLocaleString('en')} cards` });
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), boards, 'no board was made');
});

t.test('an import cut off by a crash (SQLite: a board still marked) is gone after the restart', { skip: onPostgres && 'imports are one transaction on PostgreSQL' }, async (t) => {
  const { app, store, dataDir } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const csv = `Title,Stage\n${Array.from({ length: 300 }, (_, i) => `c${i},s${i % 4}`).join('\n')}\n`;
  const made = await api('POST', '/api/boards/import', { board: csv, importSource: 'csv' });
  t.equal(made.statusCode, 200);
  t.equal(await store.sql.value('SELECT count(*) FROM boards_unfinished'), 0, 'a finished import leaves no mark');
  t.equal(await store.sql.value('SELECT count(*) FROM cards WHERE board_id = ?', idOf(made)), 300);
  // as a crash would leave it: the mark still there
  await store.sql.run("INSERT INTO boards_unfinished (board_id, started_at) VALUES (?, '2026-01-01T00:00:00.000Z')", idOf(made));
  await app.close();
  await store.close();
  const reopened = Store.open(dataDir);
  t.teardown(() => reopened.close());
  t.equal(await reopened.sql.value('SELECT count(*) FROM boards WHERE id = ?', idOf(made)), 0, 'the marked board is deleted at the start');
  t.equal(await reopened.sql.value('SELECT count(*) FROM cards'), 0, 'with its cards');
});

t.test(`a board has at most ${MAX.membersPerBoard} members`, async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await createBoard(alice, 'Crowded');
  const boardId = boardPath(page).split('/')[2]!;
  await store.atomically(async () => {
    for (let i = 1; i < MAX.membersPerBoard; i++) {
      const user = await store.users.create({ username: `member${i}`, email: null, passwordHash: 'scrypt$unusable' });
      await store.sql.run("INSERT INTO board_members (board_id, user_id, role, is_active) VALUES (?, ?, 'normal', 1)", boardId, user.id);
    }
  });
  await store.users.create({ username: 'latecomer', email: null, passwordHash: 'scrypt$unusable' });
  const members = await alice.get(`${boardPath(page)}/members`);
  const refused = await alice.submit(members, '/members', { username: 'latecomer', role: 'normal' });
  t.equal(refused.status, 422);
  t.match(refused.text, `A board has at most ${MAX.membersPerBoard} members.`);
  t.equal(await store.sql.value('SELECT count(*) FROM board_members WHERE board_id = ?', boardId), MAX.membersPerBoard, 'nobody more joined');
});
