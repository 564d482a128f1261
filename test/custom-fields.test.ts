// Custom fields: defined through the API (as WeKan's clients do) and on the pages, filled in per card,
// shown on the card and (when asked) on the board, carried by export and import.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

async function apiAs(app: FastifyInstance, username: string) {
  const { token } = (await app.inject({ method: 'POST', url: '/users/login', payload: { username, password: 'correct horse battery' } })).json() as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  return {
    json: (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => app.inject({ method, url, payload, headers }),
    form: (method: 'POST' | 'PUT', url: string, body: string) =>
      app.inject({ method, url, payload: body, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } }),
  };
}

t.test('the API: every type, dropdown choices, card values (JSON or form), export and import', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const boardId = ((await api.json('POST', '/api/boards', { title: 'Fields' })).json() as { _id: string })._id;
  const listId = ((await api.json('POST', `/api/boards/${boardId}/lists`, { title: 'L' })).json() as { _id: string })._id;
  const cardId = ((await api.json('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'C' })).json() as { _id: string })._id;
  const base = `/api/boards/${boardId}/custom-fields`;
  const make = async (payload: object) => ((await api.json('POST', base, payload)).json() as { _id: string })._id;
  const text = await make({ name: 'Customer', type: 'text', showOnCard: true });
  const estimate = await make({ name: 'Estimate', type: 'number' });
  const deadline = await make({ name: 'Signed', type: 'date' });
  const size = ((await api.form('POST', base, `name=Size&type=dropdown&settings=${encodeURIComponent(JSON.stringify({ dropdownItems: [{ _id: 'sm', name: 'Small' }] }))}`)).json() as { _id: string })._id;
  const billable = await make({ name: 'Billable', type: 'checkbox' });
  const price = await make({ name: 'Price', type: 'currency', settings: { currencyCode: 'sek' } });
  const refs = await make({ name: 'Tickets', type: 'stringtemplate', settings: { stringtemplateFormat: '#${}', stringtemplateSeparator: ' ' } });
  t.equal((await api.json('POST', base, { name: 'Bad', type: 'colour' })).statusCode, 422);
  t.equal((await api.json('POST', base, { name: '', type: 'text' })).statusCode, 422);
  t.same(((await api.json('GET', base)).json() as { name: string }[]).map((f) => f.name), ['Customer', 'Estimate', 'Signed', 'Size', 'Billable', 'Price', 'Tickets']);
  t.match((await api.json('GET', `${base}/${price}`)).json(), { _id: price, boardIds: [boardId], type: 'currency', settings: { currencyCode: 'SEK' } });

  t.equal((await api.json('POST', `${base}/${size}/dropdown-items`, { items: ['Medium', 'Large'] })).statusCode, 200);
  let items = ((await api.json('GET', `${base}/${size}`)).json() as { settings: { dropdownItems: { _id: string; name: string }[] } }).settings.dropdownItems;
  t.same(items.map((i) => i.name), ['Small', 'Medium', 'Large']);
  const large = items[2]!._id;
  await api.json('PUT', `${base}/${size}/dropdown-items/${large}`, { name: 'Huge' });
  t.equal((await api.json('POST', `${base}/${text}/dropdown-items`, { items: ['x'] })).statusCode, 422, 'not a dropdown');

  const values = [{ _id: text, value: 'ACME' }, { _id: estimate, value: '2,5' }, { _id: deadline, value: '2031-06-01T12:00:00Z' },
    { _id: size, value: large }, { _id: billable, value: true }, { _id: price, value: 1200 }, { _id: refs, value: ['12', '14'] }];
  const changed = await api.form('PUT', `/api/boards/${boardId}/lists/${listId}/cards/${cardId}`, `customFields=${encodeURIComponent(JSON.stringify(values))}`);
  t.equal(changed.statusCode, 200, 'form-encoded, the list as JSON text');
  const card = (await api.json('GET', `/api/cards/${cardId}`)).json() as { customFields: { _id: string; value: unknown }[] };
  t.same(new Map(card.customFields.map((v) => [v._id, v.value])), new Map<string, unknown>([[text, 'ACME'], [estimate, 2.5], [deadline, '2031-06-01T12:00:00.000Z'],
    [size, large], [billable, true], [price, 1200], [refs, ['12', '14']]]));
  const one = await api.json('POST', `/api/boards/${boardId}/lists/${listId}/cards/${cardId}/customFields/${estimate}`, { value: 8 });
  const answered = one.json() as { _id: string; customFields: { _id: string; value: unknown }[] };
  t.equal(answered._id, cardId);
  t.equal(answered.customFields.find((v) => v._id === estimate)?.value, 8, 'the answer lists the card\'s values');
  for (const [fieldId, value, why] of [[estimate, 'lots', /Estimate: "lots" is not a number/], [deadline, 'someday', /Signed: "someday" is not a date/],
    [size, 'nope', /Size: "nope" is not one of its choices/], [billable, 'maybe', /Billable: send true or false/]] as const) {
    const refused = await api.json('PUT', `/api/boards/${boardId}/lists/${listId}/cards/${cardId}`, { title: 'Renamed?', customFields: [{ _id: fieldId, value }] });
    t.equal(refused.statusCode, 422);
    t.match((refused.json() as { reason: string }).reason, why);
  }
  t.equal((await store.cards.byId(boardId, cardId))!.title, 'C', 'a refused value changes nothing else in the same body');
  t.equal((await api.json('PUT', `/api/boards/${boardId}/lists/${listId}/cards/${cardId}`, { customFields: [{ _id: 'nosuchfield', value: 1 }] })).statusCode, 422);

  await api.json('DELETE', `${base}/${size}/dropdown-items/${large}`);
  items = ((await api.json('GET', `${base}/${size}`)).json() as { settings: { dropdownItems: { _id: string; name: string }[] } }).settings.dropdownItems;
  t.same(items.map((i) => i.name), ['Small', 'Medium']);
  t.notOk((await store.customFields.valuesOf(cardId)).has(size), 'a card that had the deleted choice has no value');

  const exported = (await api.json('GET', `/api/boards/${boardId}/export`)).json() as { customFields: { _id: string; name: string }[]; cards: { customFields: unknown[] }[] };
  t.equal(exported.customFields.length, 7);
  t.equal(exported.cards[0]!.customFields.length, 6);
  const copyId = ((await api.json('POST', '/api/boards/import', { board: exported })).json() as { _id: string })._id;
  const again = (await api.json('GET', `/api/boards/${copyId}/export`)).json() as typeof exported;
  const byName = (e: typeof exported) => {
    const names = new Map(e.customFields.map((f) => [f._id, f.name]));
    return (e.cards[0]!.customFields as { _id: string; value: unknown }[]).map((v) => [names.get(v._id), v.value]).sort();
  };
  t.same(byName(again), byName(exported), 'export -> import keeps the fields and the values');
  t.same(again.customFields.map((f) => f.name), exported.customFields.map((f) => f.name));

  await api.json('DELETE', `${base}/${text}`);
  t.equal((await api.json('GET', `${base}/${text}`)).statusCode, 404);
  t.notOk((await store.customFields.valuesOf(cardId)).has(text));
});

t.test('the pages: define a field, fill it in on the card, see it on the board; bad values are 422 as typed', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Sales');
  const path = boardPath(board);
  const boardId = path.split('/')[2]!;
  board = await alice.submit(board, '/lists', { title: 'Leads' });
  board = await alice.submit(board, '/cards', { title: 'Big deal' });
  const cardPath = board.$('a').filter((_, a) => board.$(a).text() === 'Big deal').attr('href')!;
  let settings = await alice.get(`${path}/settings`);
  t.match(settings.text, 'No custom fields.');
  const made = await alice.submit(settings, '/custom-fields', { name: 'Value', type: 'currency', showOnCard: 'on' });
  t.equal(made.status, 200);
  t.match(made.text, 'Custom field "Value"');
  t.equal((await validateHtml(made.body, 'custom-field')).valid, true);
  await alice.submit(made, `/custom-fields/${(await store.customFields.forBoard(boardId))[0]!.id}`, { name: 'Value', currencyCode: 'EUR', showOnCard: 'on' });
  settings = await alice.get(`${path}/settings`);
  const stage = await alice.submit(settings, '/custom-fields', { name: 'Stage', type: 'dropdown' });
  const withChoice = await alice.submit(stage, '/choices', { name: 'Won' });
  t.equal(withChoice.$('input[title="Choice Won"]').attr('value'), 'Won');
  t.equal((await validateHtml(withChoice.body, 'custom-field-dropdown')).valid, true);
  // each choice's Rename and Delete buttons (by their names, whatever the page's language calls them)
  const choiceForm = withChoice.$('input[title="Choice Won"]').closest('form').attr('action')!;
  const renamed = await alice.submit(withChoice, choiceForm, { name: 'Won big' }, 'rename');
  t.equal(renamed.$('input[title="Choice Won big"]').length, 1, 'renamed');
  const deleted = await alice.submit(renamed, choiceForm, {}, 'delete');
  t.equal(deleted.$('input[title^="Choice "]').length, 0, 'deleted');
  await alice.submit(deleted, '/choices', { name: 'Won' });
  settings = await alice.get(`${path}/settings`);
  t.match(settings.text, 'Value (currency, shown on the board)');
  t.equal((await validateHtml(settings.body, 'board-settings-fields')).valid, true);
  t.equal((await alice.submit(settings, '/custom-fields', { name: '', type: 'text' })).status, 422);

  const [value, stageField] = await store.customFields.forBoard(boardId);
  let card = await alice.get(cardPath);
  t.equal(card.$(`select[name="field-${stageField!.id}"] option`).length, 2, 'none, Won');
  t.equal((await validateHtml(card.body, 'card-fields')).valid, true);
  const refused = await alice.submit(card, '/custom-fields', { [`field-${value!.id}`]: 'a lot' });
  t.equal(refused.status, 422);
  t.match(refused.text, 'Value: "a lot" is not a number.');
  t.equal(refused.$(`input[name="field-${value!.id}"]`).attr('value'), 'a lot', 'as typed');
  t.equal((await validateHtml(refused.body, 'card-fields-422')).valid, true);
  const won = stageField!.settings.dropdownItems![0]!._id;
  card = await alice.submit(card, '/custom-fields', { [`field-${value!.id}`]: '12500', [`field-${stageField!.id}`]: won });
  t.equal(card.status, 200);
  t.match(card.text, '€12,500.00');
  t.match(card.text, /Stage\s*Won/);
  board = await alice.get(path);
  t.match(board.$('.card .field').text(), 'Value: €12,500.00', 'on the board, where asked');
  t.notMatch(board.$('.card').text(), 'Stage: Won', 'not where not asked');
  t.equal((await validateHtml(board.body, 'board-fields')).valid, true);
  card = await alice.submit(card, '/custom-fields', { [`field-${value!.id}`]: '', [`field-${stageField!.id}`]: won });
  t.notOk((await store.customFields.valuesOf(cardPath.split('/')[4]!)).has(value!.id), 'an empty box clears the value');

  const fieldPage = await alice.get(`${path}/custom-fields/${stageField!.id}`);
  await alice.submit(fieldPage, '/delete');
  t.equal((await store.customFields.forBoard(boardId)).length, 1);
});

t.test('a copy on the same board keeps the values; a card moved to another board leaves them (they are the old board\'s)', async (t) => {
  const { store } = await startApp(t);
  const user = await store.users.create({ username: 'alice', email: null, passwordHash: 'x' });
  const here = await store.boards.create(user.id, 'Here');
  const there = await store.boards.create(user.id, 'There');
  const cell = async (boardId: string) => ({ boardId, listId: (await store.lists.create(user.id, boardId, 'L')).id, swimlaneId: (await store.swimlanes.forBoard(boardId, false))[0]!.id });
  const a = await cell(here.id);
  const b = await cell(there.id);
  const card = await store.cards.create(user.id, { ...a, title: 'Valued' });
  const field = await store.customFields.create(user.id, here.id, { name: 'Points', type: 'number', settings: {} });
  await store.customFields.setValues(user.id, card, new Map([[field, 5]]));
  const copyId = await store.cardTransfer.copy(user.id, card, a);
  t.same([...await store.customFields.valuesOf(copyId)], [[field.id, 5]]);
  const elsewhere = await store.cardTransfer.copy(user.id, card, b);
  t.same([...await store.customFields.valuesOf(elsewhere)], [], 'not to another board');
  await store.cardTransfer.moveToBoard(user.id, card, b);
  t.same([...await store.customFields.valuesOf(card.id)], []);
});
