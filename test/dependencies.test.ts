// Card dependencies (WeKan 11's "red strings"): over the API as WeKan's client drives them, on the card
// page (both ways round), marked on the board while the blocker is unfinished, kept by export and import,
// and dropped when a card leaves for another board. And the complete tick that finishes a blocker.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { apiAs, idOf, type Api } from './helpers/api.js';
import { signUp } from './helpers/browser.js';
import type { Store } from '../server/store/index.js';

async function board(api: Api, title = 'Release') {
  const made = await api('POST', '/api/boards', { title });
  const boardId = idOf(made);
  const swimlaneId = (made.json() as { defaultSwimlaneId: string }).defaultSwimlaneId;
  const listId = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' }));
  const card = async (cardTitle: string) => idOf(await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: cardTitle, swimlaneId }));
  return { boardId, swimlaneId, listId, database: await card('Database'), server: await card('Server'), docs: await card('Docs') };
}

async function cardPath(store: Store, boardId: string, cardId: string) {
  return `/b/${boardId}/${(await store.boards.byId(boardId))!.slug}/${cardId}`;
}

t.test('the API adds, restyles, lists and removes lines as WeKan 11 answers them', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  const lines = `/api/boards/${b.boardId}/cards/${b.database}/dependencies`;

  const added = await api('POST', lines, { cardId: b.server, type: 'blocks' });
  t.equal(added.statusCode, 200, added.body);
  t.same(added.json(), { _id: b.database, cardId: b.server, type: 'blocks', color: '#eb144c', icon: 'link' });
  t.equal((await api('POST', lines, { dependsOn: b.docs })).statusCode, 200, 'dependsOn is WeKan\'s other name for cardId');
  t.same((await api('GET', lines)).json(), [
    { cardId: b.server, type: 'blocks', color: '#eb144c', icon: 'link' },
    { cardId: b.docs, type: 'related-to', color: '#eb144c', icon: 'link' },
  ]);
  const changed = await api('PUT', `${lines}/${b.docs}`, { type: 'fixes', color: '#00aa00' });
  t.same(changed.json(), { _id: b.database });
  const boardLines = (await api('GET', `/api/boards/${b.boardId}/dependencies`)).json() as Record<string, unknown>[];
  t.equal(boardLines.length, 2);
  t.match(boardLines[1], { from: b.database, fromTitle: 'Database', to: b.docs, toTitle: 'Docs', type: 'fixes', color: '#00aa00', icon: 'link' });
  const document = (await api('GET', `/api/cards/${b.database}`)).json() as { cardDependencies: unknown[] };
  t.equal(document.cardDependencies.length, 2, 'the card document carries its lines');

  t.equal((await api('DELETE', `${lines}/${b.docs}`)).statusCode, 200);
  t.equal((await api('DELETE', `${lines}/${b.docs}`)).statusCode, 404, 'a line that is not there: 404, not a success');
  t.equal((await api('GET', lines)).json().length, 1);
});

t.test('bad lines are refused and change nothing', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  const other = await board(api, 'Other');
  const lines = `/api/boards/${b.boardId}/cards/${b.database}/dependencies`;
  const cases: [object, number, RegExp][] = [
    [{ cardId: b.database }, 422, /another card/],
    [{}, 422, /cardId/],
    [{ cardId: other.server }, 404, /this board/],
    [{ cardId: b.server, type: 'depends-on' }, 422, /type is/],
    [{ cardId: b.server, color: 'red;background:url(x)' }, 422, /color/],
    [{ cardId: b.server, icon: '<script>' }, 422, /icon/],
  ];
  for (const [body, status, reason] of cases) {
    const refused = await api('POST', lines, body);
    t.equal(refused.statusCode, status, JSON.stringify(body));
    t.match(refused.json(), { reason, statusCode: status });
  }
  t.equal((await api('PUT', `${lines}/${b.server}`, { type: 'blocks' })).statusCode, 404, 'no such line to change');
  t.equal((await api('GET', `/api/boards/${other.boardId}/cards/${b.database}/dependencies`)).statusCode, 404, 'the card is not on that board');
  t.equal(await store.sql.value('SELECT count(*) FROM card_dependencies'), 0);
});

t.test('the card page shows each line from both cards, adds by list or address, removes from either side', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  let page = await alice.get(await cardPath(store, b.boardId, b.database));
  t.match(page.$('h2:contains("Dependencies") + p').text(), 'no dependencies');
  t.equal(page.$('select[name=cardId]').length, 0, 'the card page links to a page of its own for adding');
  let add = await alice.get(page.$('a').filter((_, a) => page.$(a).text() === 'Add a dependency').attr('href')!);
  t.same(add.$('select[name=cardId] option').map((_, o) => add.$(o).text()).get(), ['', 'Server (To do)', 'Docs (To do)'], 'the other cards, with their lists');
  page = await alice.submit(add, '/dependencies', { type: 'blocks', cardId: b.server });
  t.equal(page.status, 200);
  t.match(page.$('ul.dependencies li').text(), /This card blocks\s+Server/);
  const serverUrl = await cardPath(store, b.boardId, b.server);
  add = await alice.get(`${await cardPath(store, b.boardId, b.database)}/dependencies`);
  page = await alice.submit(add, '/dependencies', { type: 'is-blocked-by', cardId: '', address: `http://kanban.example/${(await cardPath(store, b.boardId, b.docs)).slice(1)}` });
  t.match(page.$('ul.dependencies').text(), /is blocked by\s+Docs/, 'a pasted address names the card');

  let server = await alice.get(serverUrl);
  t.match(server.$('ul.dependencies li').text(), /This card is blocked by\s+Database/, 'the other card reads the line reversed');
  const refused = await alice.submit(await alice.get(`${serverUrl}/dependencies`), '/dependencies', { cardId: '', address: 'no card here' });
  t.equal(refused.status, 422);
  t.match(refused.$('.errors, .error').text(), 'Choose the other card');
  t.equal(refused.$('input[name=address]').val(), 'no card here', 'what was typed is kept');
  server = await alice.submit(server, '/dependencies/remove');
  t.equal(server.$('ul.dependencies li').length, 0, 'removed from the other side');
  t.equal(await store.sql.value('SELECT count(*) FROM card_dependencies'), 1);
  const history = await store.sql.value("SELECT count(*) FROM activities WHERE activity_type = 'removedDependency'");
  t.equal(history, 1, 'with a line of history');
});

t.test('the board marks a blocked card until its blocker is complete or archived', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  await api('POST', `/api/boards/${b.boardId}/cards/${b.database}/dependencies`, { cardId: b.server, type: 'blocks' });
  await api('POST', `/api/boards/${b.boardId}/cards/${b.docs}/dependencies`, { cardId: b.server, type: 'related-to' });
  const boardUrl = `/b/${b.boardId}/${(await store.boards.byId(b.boardId))!.slug}`;
  const blockedOn = async () => {
    const page = await alice.get(boardUrl);
    return page.$('div.card').filter((_, el) => page.$(el).find('.blocked').length > 0).find('a').map((_, a) => page.$(a).text()).get();
  };
  t.same(await blockedOn(), ['Server'], 'only the blocked card, not the related one');
  const database = await alice.get(await cardPath(store, b.boardId, b.database));
  const completed = await alice.submit(database, '/complete');
  t.match(completed.$('table.facts').text(), 'marked complete');
  t.same(await blockedOn(), [], 'a complete blocker holds nothing up');
  t.equal((await api('PUT', `/api/boards/${b.boardId}/lists/${b.listId}/cards/${b.database}`, { dueComplete: false })).statusCode, 200);
  t.same(await blockedOn(), ['Server'], 'dueComplete through the API');
  await api('POST', `/api/boards/${b.boardId}/lists/${b.listId}/cards/${b.database}/archive`);
  t.same(await blockedOn(), []);
});

t.test('export and import keep the lines; a card moved to another board leaves its lines', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  await api('POST', `/api/boards/${b.boardId}/cards/${b.database}/dependencies`, { cardId: b.server, type: 'blocks', color: '#123456' });
  await api('PUT', `/api/boards/${b.boardId}/lists/${b.listId}/cards/${b.docs}`, { dueComplete: true });
  const exported = (await api('GET', `/api/boards/${b.boardId}/export`)).json() as { cards: { title: string; cardDependencies: unknown[]; dueComplete: boolean }[] };
  const database = exported.cards.find((c) => c.title === 'Database')!;
  t.same(database.cardDependencies, [{ cardId: b.server, type: 'blocks', color: '#123456', icon: 'link' }]);
  t.equal(exported.cards.find((c) => c.title === 'Docs')!.dueComplete, true);

  const copy = await api('POST', `/api/boards/${b.boardId}/copy`, { title: 'Copy' });
  const copyId = copy.json() as string;
  const lines = (await api('GET', `/api/boards/${copyId}/dependencies`)).json() as { fromTitle: string; toTitle: string; type: string; color: string; from: string }[];
  t.match(lines, [{ fromTitle: 'Database', toTitle: 'Server', type: 'blocks', color: '#123456' }], 'the copy (an export read back) has the line');
  t.not(lines[0]!.from, b.database, 'between the copy\'s own cards');

  const target = await board(api, 'Elsewhere');
  const moved = await api('PUT', `/api/boards/${b.boardId}/lists/${b.listId}/cards/${b.server}`, { newBoardId: target.boardId, newListId: target.listId });
  t.equal(moved.statusCode, 200, moved.body);
  t.same((await api('GET', `/api/boards/${b.boardId}/cards/${b.database}/dependencies`)).json(), [], 'a line never joins two boards');
});
