// WeKan 11's bulk card routes: many cards made, deleted or labelled in one call, one transaction each.
// One bad entry answers an error naming it, and nothing of the call is kept.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { apiAs, bearerFor, idOf, type Api } from './helpers/api.js';
import { signUp } from './helpers/browser.js';

async function board(api: Api) {
  const made = await api('POST', '/api/boards', { title: 'Bulk' });
  const boardId = idOf(made);
  const swimlaneId = (made.json() as { defaultSwimlaneId: string }).defaultSwimlaneId;
  const listId = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'Inbox' }));
  const lane = idOf(await api('POST', `/api/boards/${boardId}/swimlanes`, { title: 'Later' }));
  const labels = (await api('GET', `/api/boards/${boardId}`)).json() as { labels: { _id: string; color: string }[] };
  return { boardId, swimlaneId, listId, lane, labels: labels.labels.map((l) => l._id) };
}

t.test('bulk create makes every card in order, each checked as a single card is', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  const made = await api('POST', `/api/boards/${b.boardId}/lists/${b.listId}/cards/bulk`, {
    swimlaneId: b.swimlaneId,
    cards: [{ title: 'One', description: 'first' }, { title: 'Two', swimlaneId: b.lane }, { title: 'Three', labelIds: [b.labels[0]], dueAt: '2027-01-02' }],
  });
  t.equal(made.statusCode, 200, made.body);
  const answer = made.json() as { index: number; _id: string }[];
  t.same(answer.map((a) => a.index), [0, 1, 2]);
  const cards = await Promise.all(answer.map(async (a) => (await store.cards.byId(b.boardId, a._id))!));
  t.same(cards.map((c) => c.title), ['One', 'Two', 'Three']);
  t.equal(cards[0]!.description, 'first');
  t.equal(cards[1]!.swimlaneId, b.lane, 'an entry\'s swimlane wins over the default');
  t.equal(cards[0]!.swimlaneId, b.swimlaneId);
  t.equal(cards[2]!.dueAt, '2027-01-02T00:00:00.000Z');
  t.same(await store.labels.onCard(cards[2]!.id), [b.labels[0]]);

  const form = await app.inject({ method: 'POST', url: `/api/boards/${b.boardId}/lists/${b.listId}/cards/bulk`,
    headers: { authorization: (await bearerFor(app, 'alice')), 'content-type': 'application/x-www-form-urlencoded' },
    payload: `cards=${encodeURIComponent(JSON.stringify([{ title: 'From a form' }]))}` });
  t.equal(form.statusCode, 200, 'form-encoded: cards as JSON text');
});


t.test('one bad entry refuses the whole bulk create, naming the entry', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  const before = await store.sql.value('SELECT count(*) FROM cards');
  const cases: [unknown, number, RegExp][] = [
    [[{ title: 'Fine' }, { title: '' }], 422, /cards\[1\]/],
    [[{ title: 'Fine' }, { title: 'x'.repeat(5000) }], 422, /cards\[1\]/],
    [[{ title: 'Fine' }, { title: 'Bad date', dueAt: 'soon' }], 422, /cards\[1\].*dueAt/],
    [[{ title: 'Fine' }, 'not an object'], 422, /cards\[1\]/],
    [[{ title: 'Fine' }, { title: 'Stranger', members: ['nobody12345678901'] }], 422, /cards\[1\]/],
    [[{ title: 'Fine' }, { title: 'Elsewhere', swimlaneId: 'nowhere1234567890' }], 422, /cards\[1\]/],
    [[], 400, /cards is a list of 1 to 500/],
    ['nope', 400, /cards/],
    [Array.from({ length: 501 }, (_, i) => ({ title: `Card ${i}` })), 400, /500/],
  ];
  for (const [cards, status, reason] of cases) {
    const refused = await api('POST', `/api/boards/${b.boardId}/lists/${b.listId}/cards/bulk`, { cards });
    t.equal(refused.statusCode, status, JSON.stringify(cards).slice(0, 80));
    t.match(refused.json(), { reason, statusCode: status });
  }
  t.equal(await store.sql.value('SELECT count(*) FROM cards'), before, 'not one card made');
});

t.test('bulk delete removes every card named, or none when one is not on the board', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  await signUp(app, 'bob');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  const ids = ((await api('POST', `/api/boards/${b.boardId}/lists/${b.listId}/cards/bulk`,
    { cards: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] })).json() as { _id: string }[]).map((c) => c._id);
  const other = await board(await apiAs(app, 'bob'));
  const bobs = idOf(await (await apiAs(app, 'bob'))('POST', `/api/boards/${other.boardId}/lists/${other.listId}/cards`, { title: 'Bob\'s' }));

  const refused = await api('DELETE', `/api/boards/${b.boardId}/cards/bulk`, { cardIds: [ids[0], bobs] });
  t.equal(refused.statusCode, 404);
  t.match(refused.json(), { error: 'not-found', reason: new RegExp(bobs) });
  t.equal((await store.cards.inList(b.boardId, b.listId)).length, 3, 'nothing deleted');
  t.ok(await store.cards.byId(other.boardId, bobs), 'bob\'s card untouched');

  await api('POST', `/api/boards/${b.boardId}/lists/${b.listId}/cards/${ids[2]}/archive`);
  const deleted = await api('DELETE', `/api/boards/${b.boardId}/cards/bulk`, { cardIds: [ids[0], ids[2]] });
  t.equal(deleted.statusCode, 200, deleted.body);
  t.same(deleted.json(), { deleted: [ids[0], ids[2]], notFound: [] }, 'archived cards too');
  t.same((await store.cards.inList(b.boardId, b.listId)).map((c) => c.title), ['B']);
  t.equal((await api('DELETE', `/api/boards/${b.boardId}/cards/bulk`, { cardIds: [] })).statusCode, 400);
});

t.test('bulk labels merge: added without dropping others, removed where named', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  const [green, yellow, orange] = b.labels as [string, string, string];
  const ids = ((await api('POST', `/api/boards/${b.boardId}/lists/${b.listId}/cards/bulk`,
    { cards: [{ title: 'A', labelIds: [green] }, { title: 'B', labelIds: [yellow] }] })).json() as { _id: string }[]).map((c) => c._id);
  const merged = await api('POST', `/api/boards/${b.boardId}/cards/labels`, { cardIds: ids, addLabelIds: [orange], removeLabelIds: [yellow] });
  t.equal(merged.statusCode, 200, merged.body);
  t.same(merged.json(), { updated: [{ _id: ids[0], labelIds: [green, orange] }, { _id: ids[1], labelIds: [orange] }], notFound: [] });
  t.same((await store.labels.onCard(ids[0]!)).sort(), [green, orange].sort());

  const unknown = await api('POST', `/api/boards/${b.boardId}/cards/labels`, { cardIds: ids, addLabelIds: ['zzzzzz'] });
  t.equal(unknown.statusCode, 422);
  t.match(unknown.json(), { reason: /zzzzzz/ });
  const missing = await api('POST', `/api/boards/${b.boardId}/cards/labels`, { cardIds: [ids[0], 'nosuchcard1234567'], addLabelIds: [yellow] });
  t.equal(missing.statusCode, 404);
  t.same((await store.labels.onCard(ids[0]!)).sort(), [green, orange].sort(), 'nothing changed');
  t.equal((await api('POST', `/api/boards/${b.boardId}/cards/labels`, { cardIds: ids })).statusCode, 400, 'neither list given');
});
