// A board's card settings (WeKan 11's allows* toggles and card aging): read and set through the API as
// WeKan's client does, set on the board settings page, honoured by the card page and the board, kept by
// export, import and copy.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { apiAs, idOf } from './helpers/api.js';
import { signUp } from './helpers/browser.js';

async function setUp(t: Parameters<typeof startApp>[0]) {
  const started = await startApp(t);
  const { app, store } = started;
  const alice = await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const made = await api('POST', '/api/boards', { title: 'Settings' });
  const boardId = idOf(made);
  const swimlaneId = (made.json() as { defaultSwimlaneId: string }).defaultSwimlaneId;
  const listId = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' }));
  const labelId = (await store.labels.forBoard(boardId))[0]!.id;
  const aliceId = (await store.users.byUsername('alice'))!.id;
  const cardId = idOf(await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, {
    title: 'Card', swimlaneId, labelIds: [labelId], members: [aliceId], receivedAt: '2026-01-02', dueAt: '2030-01-02', description: 'Words here',
  }));
  const boardUrl = `/b/${boardId}/${(await store.boards.byId(boardId))!.slug}`;
  return { ...started, alice, api, boardId, listId, cardId, boardUrl };
}

t.test('the API answers WeKan\'s keys and defaults, and sets any of them', async (t) => {
  const { api, boardId } = await setUp(t);
  const read = (await api('GET', `/api/boards/${boardId}/cardSettings`)).json() as Record<string, unknown>;
  t.match(read, { allowsLabels: true, allowsCardCounterList: false, cardAging: false, allowsReceivedDate: true,
    allowsDueDateOnMinicard: true, cardAgingDays1: 7, cardAgingDays2: 14, cardAgingDays3: 28 });
  t.equal(Object.keys(read).length, 47, 'all 44 toggles and 3 aging steps');
  const set = await api('PUT', `/api/boards/${boardId}/cardSettings`, { allowsLabels: false, allowsReceivedDate: 'false', cardAging: 'true', cardAgingDays1: '3' });
  t.equal(set.statusCode, 200, set.body);
  t.match(set.json(), { allowsLabels: false, allowsReceivedDate: false, cardAging: true, cardAgingDays1: 3, allowsMembers: true });
  t.match((await api('GET', `/api/boards/${boardId}/cardSettings`)).json(), { allowsLabels: false, cardAgingDays1: 3 }, 'kept');

  t.equal((await api('PUT', `/api/boards/${boardId}/cardSettings`, { colour: 'red' })).statusCode, 400, 'no card setting named');
  const bad = await api('PUT', `/api/boards/${boardId}/cardSettings`, { allowsMembers: false, cardAgingDays2: '-1' });
  t.equal(bad.statusCode, 422);
  t.match(bad.json(), { reason: /cardAgingDays2/ });
  t.match((await api('GET', `/api/boards/${boardId}/cardSettings`)).json(), { allowsMembers: true }, 'a refused body changes nothing');
});

t.test('the card page and the board follow the settings; hidden dates keep their values', async (t) => {
  const { alice, api, store, boardId, cardId, boardUrl } = await setUp(t);
  let card = await alice.get(`${boardUrl}/${cardId}`);
  t.ok(card.$('#receivedAtDate').length, 'received date asked for by default');
  t.match(card.$('table.facts').text(), 'Received');
  await api('PUT', `/api/boards/${boardId}/cardSettings`, { allowsReceivedDate: false, allowsLabels: false, allowsDescriptionText: false,
    allowsComments: false, allowsLabelsOnMinicard: false, allowsDueDateOnMinicard: false });
  card = await alice.get(`${boardUrl}/${cardId}`);
  t.equal(card.$('#receivedAtDate').length, 0, 'no received date on the form');
  t.notMatch(card.$('table.facts').text(), 'Received', 'nor among the facts');
  t.equal(card.$('form[action$="/labels"]').length, 0, 'no labels form');
  t.equal(card.$('#description').length, 0, 'no description');
  t.equal(card.$('#comment').length, 0, 'no comments');
  t.ok(card.$('ul.history, h2:contains("History")').length, 'the history is still there');
  await alice.submit(card, '/details', { dueAtDate: '2031-02-03' });
  const saved = (await store.cards.byId(boardId, cardId))!;
  t.equal(saved.receivedAt, '2026-01-02T00:00:00.000Z', 'the hidden received date kept its value');
  t.match(saved.dueAt, /^2031-02-03/);
  const board = await alice.get(boardUrl);
  t.equal(board.$('div.card .label').length, 0, 'no labels on the board');
  t.equal(board.$('div.card .due').length, 0, 'no due date on the board');
  t.ok(board.$('div.card .members').length, 'members still');
});

t.test('the settings page sets them; card aging marks untouched cards', async (t) => {
  const { alice, api, store, boardId, cardId, boardUrl } = await setUp(t);
  const settings = await alice.get(`${boardUrl}/settings`);
  const refused = await alice.submit(settings, '/card-settings', { cardAging: 'on', cardAgingDays1: 'soon' });
  t.equal(refused.status, 422);
  t.equal(refused.$('input[name=cardAgingDays1]').val(), 'soon', 'what was typed is kept');
  await alice.submit(settings, '/card-settings', { cardAging: 'on', cardAgingDays1: '1', cardAgingDays2: '2', cardAgingDays3: '30', allowsMembersOnMinicard: [] as string[] });
  t.match((await api('GET', `/api/boards/${boardId}/cardSettings`)).json(), { cardAging: true, cardAgingDays1: 1, cardAgingDays3: 30, allowsMembersOnMinicard: false,
    allowsLabels: true });
  await store.sql.run("UPDATE cards SET date_last_activity = '2020-01-01T00:00:00.000Z' WHERE id = ?", cardId);
  await api('POST', `/api/boards/${boardId}/lists`, { title: 'A change, for a new board version' });
  const board = await alice.get(boardUrl);
  t.equal(board.$('div.card.aged-3').length, 1, 'the old card is at the last step');
  t.match(board.$('div.card .aged').text(), 'untouched 30+ days');
  t.equal(board.$('div.card .members').length, 0, 'members off on the board');
});

t.test('export, import and copy keep the settings', async (t) => {
  const { api, boardId } = await setUp(t);
  await api('PUT', `/api/boards/${boardId}/cardSettings`, { allowsLabels: false, cardAging: true, cardAgingDays3: 99 });
  const exported = (await api('GET', `/api/boards/${boardId}/export`)).json() as Record<string, unknown>;
  t.match(exported, { allowsLabels: false, cardAging: true, cardAgingDays3: 99, allowsMembers: true });
  t.notOk('cardSettings' in exported, 'WeKan\'s fields, not Wami\'s column');
  const copy = (await api('POST', `/api/boards/${boardId}/copy`, {})).json() as string;
  t.match((await api('GET', `/api/boards/${copy}/cardSettings`)).json(), { allowsLabels: false, cardAging: true, cardAgingDays3: 99 });
});
