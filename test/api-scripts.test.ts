// What WeKan's own clients send (Step 13's defects): a move between lists as newBoardId (the card's own
// board) with newListId, list-scoped card routes whose ids must agree, and writes to API routes Wami
// does not have, which must answer 404 (not a CSRF refusal that sends a script author hunting).
import t from 'tap';
import { startApp } from './helpers/app.js';
import { apiAs, idOf, type Api } from './helpers/api.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';

async function board(api: Api) {
  const made = await api('POST', '/api/boards', { title: 'Scripts' });
  const boardId = idOf(made);
  const swimlaneId = (made.json() as { defaultSwimlaneId: string }).defaultSwimlaneId;
  const todo = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' }));
  const done = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'Done' }));
  const lane = idOf(await api('POST', `/api/boards/${boardId}/swimlanes`, { title: 'Second lane' }));
  const cardId = idOf(await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'Move me', swimlaneId }));
  return { boardId, swimlaneId, todo, done, lane, cardId };
}

t.test('PUT with newBoardId = its own board and newListId moves the card, as WeKan does', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const { boardId, todo, done, lane, cardId } = await board(api);
  const moved = await api('PUT', `/api/boards/${boardId}/lists/${todo}/cards/${cardId}`, { newBoardId: boardId, newListId: done, newSwimlaneId: lane });
  t.equal(moved.statusCode, 200);
  t.same(moved.json(), { _id: cardId });
  const card = (await store.cards.byId(boardId, cardId))!;
  t.equal(card.listId, done, 'in the new list');
  t.equal(card.swimlaneId, lane, 'and swimlane');
  t.equal(await store.sql.value("SELECT count(*) FROM activities WHERE card_id = ? AND activity_type = 'moveCard'", cardId), 1, 'with a line of history');

  const back = await api('PUT', `/api/boards/${boardId}/lists/${done}/cards/${cardId}`, { newListId: todo });
  t.equal(back.statusCode, 200, 'newListId alone moves it too');
  t.equal((await store.cards.byId(boardId, cardId))!.listId, todo);

  const other = await api('POST', '/api/boards', { title: 'Elsewhere' });
  const foreignList = idOf(await api('POST', `/api/boards/${idOf(other)}/lists`, { title: 'Theirs' }));
  const wrong = await api('PUT', `/api/boards/${boardId}/lists/${todo}/cards/${cardId}`, { newBoardId: boardId, newListId: foreignList });
  t.equal(wrong.statusCode, 404, 'a list of another board is not one of this board');
  t.equal((await store.cards.byId(boardId, cardId))!.listId, todo, 'and the card stays');
});

t.test('list-scoped card routes find the card only in the list their path names', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const { boardId, todo, done, cardId } = await board(api);
  const fieldId = idOf(await api('POST', `/api/boards/${boardId}/custom-fields`, { name: 'Points', type: 'number' }));
  t.equal((await api('GET', `/api/boards/${boardId}/lists/${todo}/cards/${cardId}`)).statusCode, 200, 'in its own list: found');
  const wrongList = `/api/boards/${boardId}/lists/${done}/cards/${cardId}`;
  t.equal((await api('GET', wrongList)).statusCode, 404, 'GET in another list: 404');
  t.match((await api('GET', wrongList)).json(), { error: 'not-found', statusCode: 404 });
  t.equal((await api('PUT', wrongList, { title: 'Renamed' })).statusCode, 404, 'PUT: 404');
  t.equal((await api('POST', `${wrongList}/customFields/${fieldId}`, { value: 3 })).statusCode, 404, 'a custom field through it: 404');
  t.equal((await api('DELETE', wrongList)).statusCode, 404, 'DELETE: 404');
  const card = (await store.cards.byId(boardId, cardId))!;
  t.equal(card.title, 'Move me', 'nothing changed');
  t.equal(await store.sql.value('SELECT count(*) FROM card_custom_values WHERE card_id = ?', cardId), 0);
});

t.test('a write to an API route Wami lacks answers 404 in JSON, not a CSRF refusal', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const { boardId } = await board(api);
  for (const [method, url] of [['POST', `/api/boards/${boardId}/frobnicate`], ['PUT', '/api/nothing-here'], ['DELETE', `/api/boards/${boardId}/triggers/x`]] as const) {
    const answer = await api(method, url, { title: 'x' });
    t.equal(answer.statusCode, 404, `${method} ${url}`);
    t.match(answer.json(), { error: 'not-found', statusCode: 404 });
    t.notMatch(answer.body, 'out of date', 'no word of a form');
  }
});

t.test('usernames as WeKan takes them: spaces, @, + and dots; unique without regard to case; mentioned', async (t) => {
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: 'smtp://127.0.0.1:9', WAMI_BASE_URL: 'http://kanban.example.org' });
  const alice = await signUp(app, 'alice');
  const page = await signUp(app, 'First Last');
  t.match((await page.get('/')).text, 'Signed in as First Last', 'a name with a space signs up on the page, shown as typed');
  const registered = await app.inject({ method: 'POST', url: '/users/register',
    payload: { username: 'jane@example.org', email: 'jane@example.org', password: 'correct horse battery' } });
  t.equal(registered.statusCode, 200, '/users/register takes an address as a username');
  const api = await apiAs(app, 'alice');
  const made = await api('POST', '/api/users', { username: 'a+b.c', email: 'abc@example.org', password: 'correct horse battery' });
  t.equal(made.statusCode, 200, 'POST /api/users takes + and dots');
  t.equal((await store.users.byId(idOf(made)))?.username, 'a+b.c');
  const twin = await app.inject({ method: 'POST', url: '/users/register',
    payload: { username: 'FIRST LAST', email: 'other@example.org', password: 'correct horse battery' } });
  t.equal(twin.statusCode, 409, 'the same name in other case is taken');
  const control = await api('POST', '/api/users', { username: 'tab\there', email: 't@example.org', password: 'correct horse battery' });
  t.equal(control.statusCode, 422, 'control characters are refused');
  t.equal((await apiAs(app, 'jane@example.org')) !== undefined, true, 'an address-like username logs in');

  // the members page: an account named like an address is added as that account, not invited
  const created = await createBoardFor(alice);
  const members = await alice.get(`${created}/members`);
  const added = await alice.submit(members, '/members', { username: 'jane@example.org', role: 'normal' });
  t.equal(added.status, 200);
  t.match(added.text, 'jane@example.org');
  const boardId = created.split('/')[2]!;
  t.ok((await store.members.forBoard(boardId)).some((m) => m.username === 'jane@example.org'), 'jane@example.org is a member');
  await alice.submit(await alice.get(`${created}/members`), '/members', { username: 'First Last', role: 'normal' });
  await alice.submit(await alice.get(`${created}/members`), '/members', { username: 'a+b.c', role: 'normal' });

  // mentions: unquoted up to a blank (punctuation at the end left out), quoted for a name with a blank
  const list = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'L' }));
  const card = idOf(await api('POST', `/api/boards/${boardId}/lists/${list}/cards`, { title: 'C' }));
  await api('POST', `/api/boards/${boardId}/cards/${card}/comments`, { comment: 'Ask @jane@example.org, @"First Last" and (@a+b.c).' });
  const told = await store.sql.column<string>("SELECT to_address FROM mail_outbox WHERE subject LIKE '%mentioned you%' ORDER BY to_address");
  t.same(told, ['abc@example.org', 'first-last@example.org', 'jane@example.org'], 'all three are mailed');
});

async function createBoardFor(browser: Awaited<ReturnType<typeof signUp>>): Promise<string> {
  return boardPath(await createBoard(browser, 'Names'));
}

t.test('WeKan routes of features that come later answer 501 naming what is missing, never a 404', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const { boardId, todo, cardId } = await board(api);
  const cases = [
    ['POST', `/api/boards/${boardId}/rules`, "Wami does not have WeKan's rules yet"],
    ['GET', '/api/admin/orgs', "Wami does not have WeKan's organisations and teams yet"],
    ['GET', `/api/boards/${boardId}/exportPDF`, "Wami does not have WeKan's exports in this format yet"],
    ['GET', `/api/boards/${boardId}/lists/${todo}/cards/${cardId}/exportExcel`, 'exports in this format'],
    ['POST', '/api/import/zip', 'imports of ZIP archives'],
  ] as const;
  for (const [method, url, words] of cases) {
    const answer = await api(method, url, method === 'GET' ? undefined : {});
    t.equal(answer.statusCode, 501, `${method} ${url}`);
    t.match(answer.json(), { error: 'not-implemented', statusCode: 501, reason: words });
  }
  t.equal((await app.inject({ method: 'GET', url: `/api/boards/${boardId}/rules` })).statusCode, 401, 'signed out: 401 first');
});

t.test('WeKan 11\'s card shortcuts: archive and unarchive, one member or assignee added or removed', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  await signUp(app, 'bob');
  await signUp(app, 'wendy');
  await signUp(app, 'stranger');
  const api = await apiAs(app, 'alice');
  const { boardId, todo, done, cardId } = await board(api);
  const id = async (name: string) => (await store.users.byUsername(name))!.id;
  await store.members.add(await id('alice'), boardId, 'bob', 'normal');
  await store.members.add(await id('alice'), boardId, 'wendy', 'worker');
  const card = `/api/boards/${boardId}/lists/${todo}/cards/${cardId}`;

  const added = await api('POST', `${card}/members/${await id('bob')}`);
  t.equal(added.statusCode, 200);
  t.same(added.json(), { _id: cardId, members: [await id('bob')], assignees: [] });
  t.equal((await api('POST', `${card}/members/${await id('bob')}`)).statusCode, 200, 'twice is once');
  t.same(await store.members.onCard(cardId, 'members'), [await id('bob')]);
  t.equal((await api('POST', `${card}/assignees/${await id('alice')}`)).statusCode, 200);
  const notOnBoard = await api('POST', `${card}/members/${await id('stranger')}`);
  t.equal(notOnBoard.statusCode, 422, 'someone not on the board: refused with the reason');
  t.match(notOnBoard.json(), { error: 'invalid' });
  t.same(await store.members.onCard(cardId, 'members'), [await id('bob')], 'and nothing changed');
  const removed = await api('DELETE', `${card}/members/${await id('bob')}`);
  t.same(removed.json(), { _id: cardId, members: [], assignees: [await id('alice')] });
  t.equal((await api('POST', `/api/boards/${boardId}/lists/${done}/cards/${cardId}/members/${await id('bob')}`)).statusCode, 404, 'the card is not in that list');

  const worker = await apiAs(app, 'wendy');
  t.equal((await worker('POST', `${card}/assignees/${await id('wendy')}`)).statusCode, 200, 'a worker assigns themself');
  t.equal((await worker('POST', `${card}/assignees/${await id('bob')}`)).statusCode, 403, 'but nobody else');
  t.equal((await worker('POST', `${card}/members/${await id('wendy')}`)).statusCode, 403, 'and is no card member by themself');

  const archived = await api('POST', `${card}/archive`);
  t.equal(archived.statusCode, 200);
  t.match(archived.json(), { _id: cardId, archived: true, archivedAt: /^\d{4}-/ });
  t.equal((await store.cards.byId(boardId, cardId))!.archived, 1);
  t.equal((await api('POST', `${card}/archive`)).statusCode, 404, 'an archived card is not archived again (WeKan: not found)');
  t.equal((await worker('POST', `${card}/unarchive`)).statusCode, 403, 'a worker may not restore it');
  const restored = await api('POST', `${card}/unarchive`);
  t.same(restored.json(), { _id: cardId, archived: false });
  t.equal((await store.cards.byId(boardId, cardId))!.archived, 0);
});

t.test('GET /api/user/cards: my cards as WeKan lists them, with ?due and a range; only boards I am on', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  await signUp(app, 'bob');
  const api = await apiAs(app, 'alice');
  const { boardId, todo, swimlaneId, cardId } = await board(api);
  const id = async (name: string) => (await store.users.byUsername(name))!.id;
  const alice = await id('alice');
  const dated = idOf(await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'Due soon', swimlaneId, dueAt: '2030-05-01T10:00:00.000Z' }));
  const later = idOf(await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'Due later', swimlaneId, dueAt: '2030-09-01T10:00:00.000Z' }));
  idOf(await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'Not mine', swimlaneId }));
  for (const card of [cardId, dated, later]) await api('POST', `/api/boards/${boardId}/lists/${todo}/cards/${card}/assignees/${alice}`);
  await api('POST', `/api/boards/${boardId}/lists/${todo}/cards/${dated}/members/${alice}`);

  const all = await api('GET', '/api/user/cards');
  t.equal(all.statusCode, 200);
  const cards = all.json() as { _id: string; title: string; dueAt: string | null; members: string[]; assignees: string[] }[];
  t.same(cards.map((c) => c.title), ['Move me', 'Due soon', 'Due later'], 'mine only; no due date first, then by due date');
  t.match(cards[1], { _id: dated, boardId, listId: todo, swimlaneId, dueAt: '2030-05-01T10:00:00.000Z', members: [alice], assignees: [alice] });
  const due = (await api('GET', '/api/user/cards?due=true')).json() as { title: string }[];
  t.same(due.map((c) => c.title), ['Due soon', 'Due later'], '?due=true: only cards with a due date');
  const ranged = (await api('GET', '/api/user/cards?from=2030-06-01&to=2030-12-31')).json() as { title: string }[];
  t.same(ranged.map((c) => c.title), ['Due later'], 'a range of due dates');
  const bad = await api('GET', '/api/user/cards?from=next-tuesday');
  t.equal(bad.statusCode, 422, 'a date WeKan would not take');
  t.match(bad.json(), { reason: 'from is not a date and time' });

  // a card of a board alice is not on, with her put on it behind the API's back: not hers to see
  const bobApi = await apiAs(app, 'bob');
  t.same((await bobApi('GET', '/api/user/cards')).json(), [], 'someone on no card: an empty list');
  const theirs = await board(bobApi);
  await store.sql.run('INSERT INTO card_assignees (card_id, user_id) VALUES (?, ?)', theirs.cardId, alice);
  t.notOk(((await api('GET', '/api/user/cards')).json() as { _id: string }[]).some((c) => c._id === theirs.cardId),
    'a card on a board alice is not a member of is left out');
  t.equal((await app.inject({ url: '/api/user/cards' })).statusCode, 401);
});
