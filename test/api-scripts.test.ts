// What WeKan's own clients send (Step 13's defects): a move between lists as newBoardId (the card's own
// board) with newListId, list-scoped card routes whose ids must agree, and writes to API routes Wami
// does not have, which must answer 404 (not a CSRF refusal that sends a script author hunting).
import t from 'tap';
import { startApp } from './helpers/app.js';
import { apiAs, idOf, type Api } from './helpers/api.js';
import { signUp } from './helpers/browser.js';

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
  for (const [method, url] of [['POST', `/api/boards/${boardId}/rules`], ['PUT', '/api/nothing-here'], ['DELETE', `/api/boards/${boardId}/triggers/x`]] as const) {
    const answer = await api(method, url, { title: 'x' });
    t.equal(answer.statusCode, 404, `${method} ${url}`);
    t.match(answer.json(), { error: 'not-found', statusCode: 404 });
    t.notMatch(answer.body, 'out of date', 'no word of a form');
  }
});
