// The last of WeKan 11's routes that Step 13 brings: cards by a custom field's value, the generalised
// import (/api/boards/import/:source), one attachment's export, and the activity types a webhook is told of.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { apiAs, idOf } from './helpers/api.js';
import { signUp } from './helpers/browser.js';

async function setUp(t: Parameters<typeof startApp>[0]) {
  const started = await startApp(t, { WAMI_WEBHOOK_PRIVATE: 'true' });
  const alice = await signUp(started.app, 'alice');
  const api = await apiAs(started.app, 'alice');
  const made = await api('POST', '/api/boards', { title: 'Routes' });
  const boardId = idOf(made);
  const swimlaneId = (made.json() as { defaultSwimlaneId: string }).defaultSwimlaneId;
  const listId = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' }));
  const card = async (title: string) => idOf(await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title, swimlaneId }));
  return { ...started, alice, api, boardId, swimlaneId, listId, card };
}

t.test('cards by a custom field\'s value, as whole card documents', async (t) => {
  const { api, boardId, listId, card } = await setUp(t);
  const fieldId = idOf(await api('POST', `/api/boards/${boardId}/custom-fields`, { name: 'Team', type: 'text' }));
  const [a, b] = [await card('Alpha'), await card('Beta'), await card('Gamma')];
  await api('POST', `/api/boards/${boardId}/lists/${listId}/cards/${a}/customFields/${fieldId}`, { value: 'blue' });
  await api('POST', `/api/boards/${boardId}/lists/${listId}/cards/${b}/customFields/${fieldId}`, { value: 'red' });
  const found = await api('GET', `/api/boards/${boardId}/cardsByCustomField/${fieldId}/blue`);
  t.equal(found.statusCode, 200, found.body);
  t.match(found.json(), [{ _id: a, title: 'Alpha', customFields: [{ _id: fieldId, value: 'blue' }] }]);
  t.equal(found.json().length, 1);
  t.same((await api('GET', `/api/boards/${boardId}/cardsByCustomField/${fieldId}/green`)).json(), []);
  t.equal((await api('GET', `/api/boards/${boardId}/cardsByCustomField/nosuchfield12345/blue`)).statusCode, 404);
});

t.test('import by source in the path: the export as the body or as its board', async (t) => {
  const { api, store, boardId } = await setUp(t);
  const exported = (await api('GET', `/api/boards/${boardId}/export?attachments=false`)).json() as Record<string, unknown>;
  const direct = await api('POST', '/api/boards/import/wekan', exported);
  t.equal(direct.statusCode, 200, direct.body);
  t.match((await store.boards.byId(idOf(direct)))!, { title: 'Routes' });
  const wrapped = await api('POST', '/api/boards/import/csv', { board: 'Title,Stage\nFrom CSV,Doing\n', title: 'CSV board' });
  t.equal(wrapped.statusCode, 200, wrapped.body);
  t.equal((await store.boards.byId(idOf(wrapped)))!.title, 'CSV board');
  const jira = await api('POST', '/api/boards/import/jira', { board: {} });
  t.equal(jira.statusCode, 501, 'a source WeKan reads and Wami does not yet: named');
  t.match(jira.json(), { error: 'not-implemented', reason: /jira/ });
  t.equal((await api('POST', '/api/boards/import/nonsense', {})).statusCode, 422);
});

t.test('one attachment exported as WeKan\'s entry with its file', async (t) => {
  const { api, alice, store, boardId, card } = await setUp(t);
  const cardId = await card('With a file');
  const page = await alice.get(`/b/${boardId}/${(await store.boards.byId(boardId))!.slug}/${cardId}`);
  await alice.upload(page, '/attachments', [{ filename: 'notes.txt', content: 'hello file', type: 'text/plain' }]);
  const attachment = (await store.attachments.forCard(cardId))[0]!;
  const exported = await api('GET', `/api/boards/${boardId}/attachments/${attachment.id}/export`);
  t.equal(exported.statusCode, 200);
  t.match(exported.json(), { _id: attachment.id, cardId, name: 'notes.txt', type: 'text/plain' });
  t.equal(Buffer.from((exported.json() as { file: string }).file, 'base64').toString(), 'hello file');
  const other = idOf(await api('POST', '/api/boards', { title: 'Other' }));
  t.equal((await api('GET', `/api/boards/${other}/attachments/${attachment.id}/export`)).statusCode, 404, 'only through its own board');
});

t.test('a webhook told of some activity types only', async (t) => {
  const { api, store, boardId, card } = await setUp(t);
  const hook = idOf(await api('POST', `/api/boards/${boardId}/integrations`, { url: 'http://127.0.0.1:9/hook' }));
  const base = `/api/boards/${boardId}/integrations/${hook}/activities`;
  t.same((await api('POST', base, { activities: ['createCard'] })).json(), { _id: hook, activities: ['all', 'createCard'] });
  t.same((await api('DELETE', base, { activities: ['all'] })).json(), { _id: hook, activities: ['createCard'] });
  t.match((await api('GET', `/api/boards/${boardId}/integrations/${hook}`)).json(), { activities: ['createCard'] });
  await store.sql.run('DELETE FROM webhook_deliveries');
  const cardId = await card('Told');
  await api('PUT', `/api/boards/${boardId}/lists/${(await store.cards.byId(boardId, cardId))!.listId}/cards/${cardId}`, { title: 'Not told' });
  t.equal(await store.sql.value('SELECT count(*) FROM webhook_deliveries'), 1, 'the card made, not its renaming');
  t.equal((await api('POST', base, { activities: ['bad type!'] })).statusCode, 422);
  t.equal((await api('POST', base, {})).statusCode, 422);
});

t.test('api.py\'s linkcard: a card made from linkedId, related to the card it links', async (t) => {
  const { app, api, store, boardId, listId, swimlaneId, card } = await setUp(t);
  const original = await card('The real work');
  const linked = await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { authorId: 'whoever', swimlaneId, linkedId: original });
  t.equal(linked.statusCode, 200, linked.body);
  const made = (await store.cards.byId(boardId, idOf(linked)))!;
  t.equal(made.title, 'The real work', 'titled as the card it links (WeKan would make it untitled)');
  t.match((await api('GET', `/api/boards/${boardId}/cards/${made.id}/dependencies`)).json(), [{ cardId: original, type: 'related-to' }]);
  await signUp(app, 'eve');
  const eve = await apiAs(app, 'eve');
  const own = idOf(await eve('POST', '/api/boards', { title: 'Eve' }));
  const evesList = idOf(await eve('POST', `/api/boards/${own}/lists`, { title: 'Hers' }));
  const peek = await eve('POST', `/api/boards/${own}/lists/${evesList}/cards`, { linkedId: original });
  t.equal(peek.statusCode, 404, 'a card on a board she cannot see is not found: no title leaks');
});

t.test('stickers and locations: set whole, shown on the card page, exported and imported', async (t) => {
  const { api, alice, store, boardId, listId, card } = await setUp(t);
  const cardId = await card('Field trip');
  const url = `/api/boards/${boardId}/lists/${listId}/cards/${cardId}`;
  const set = await api('PUT', url, {
    stickers: [{ icon: 'taco-cool', name: 'Cool taco', highlight: 'underline' }],
    locations: [{ name: 'Office', address: 'Main Street 1', latitude: 60.17, longitude: 24.94 }, { name: 'Depot' }],
  });
  t.equal(set.statusCode, 200, set.body);
  const document = (await api('GET', url)).json() as { stickers: unknown[]; locations: { _id: string }[] };
  t.match(document.stickers, [{ icon: 'taco-cool', name: 'Cool taco', highlight: 'underline', position: 0 }]);
  t.match(document.locations, [{ name: 'Office', address: 'Main Street 1', latitude: 60.17, longitude: 24.94 }, { name: 'Depot' }]);
  t.ok(document.locations.every((l) => l._id), 'each location gets an id, as WeKan\'s schema wants');
  const page = await alice.get(`/b/${boardId}/${(await store.boards.byId(boardId))!.slug}/${cardId}`);
  t.match(page.$('table.facts').text(), /Cool taco/);
  t.match(page.$('table.facts').text(), /Office, Main Street 1 \(60\.17, 24\.94\)/);

  for (const bad of [{ stickers: 'taco' }, { stickers: [{ icon: '<b>' }] }, { locations: [{ latitude: 91 }] }, { stickers: [{ highlight: 'glow' }] }]) {
    const refused = await api('PUT', url, bad);
    t.equal(refused.statusCode, 422, JSON.stringify(bad));
  }
  t.match((await api('GET', url)).json(), { stickers: [{ icon: 'taco-cool' }] }, 'a refused body changes nothing');

  const exported = (await api('GET', `/api/boards/${boardId}/export`)).json() as { cards: { title: string; locations: unknown[] }[] };
  t.equal(exported.cards.find((c) => c.title === 'Field trip')!.locations.length, 2);
  const copy = (await api('POST', `/api/boards/${boardId}/copy`, {})).json() as string;
  const copied = (await store.cards.faces(copy)).find((c) => c.title === 'Field trip')!;
  t.match((await api('GET', `/api/cards/${copied.id}`)).json(), { locations: [{ name: 'Office' }, { name: 'Depot' }], stickers: [{ icon: 'taco-cool' }] });
});
