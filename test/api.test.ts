// The WeKan-compatible API, first part: Bearer tokens from /users/login, who the caller is, and reading
// boards, lists, swimlanes and cards. Errors carry WeKan's body with the real status.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

async function login(app: FastifyInstance, username: string, password = 'correct horse battery') {
  const answer = await app.inject({ method: 'POST', url: '/users/login', payload: { username, password } });
  return answer.json() as { id: string; token: string; tokenExpires: string };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

t.test('login with JSON or a form gives a 90-day token, stored hashed; bad credentials are 401, then 429', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const json = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'correct horse battery' } });
  t.equal(json.statusCode, 200);
  const body = json.json() as { id: string; token: string; tokenExpires: string };
  t.equal(body.id, (await store.users.byUsername('alice'))!.id);
  t.match(body.token, /^[\w-]{40,}$/);
  const days = (Date.parse(body.tokenExpires) - Date.now()) / 86400_000;
  t.ok(days > 89.9 && days <= 90, 'expires in 90 days');
  const form = await app.inject({ method: 'POST', url: '/users/login', payload: 'email=alice%40example.org&password=correct+horse+battery',
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  t.equal(form.statusCode, 200, 'form-encoded, by email, as WeKan\'s Python client does');
  const stored = await store.sql.column('SELECT token_hash FROM api_tokens') as string[];
  t.equal(stored.length, 2);
  t.notOk(stored.includes(body.token), 'only hashes are stored');

  const wrong = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'nope' } });
  t.equal(wrong.statusCode, 401);
  t.same(wrong.json(), { error: 'login-failed', reason: 'Incorrect username, email address or password.',
    message: 'Incorrect username, email address or password. [login-failed]', statusCode: 401 });
  for (let i = 0; i < 10; i++) await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'nope' } });
  const limited = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'correct horse battery' } });
  t.equal(limited.statusCode, 429);
  t.ok(Number(limited.headers['retry-after']) > 0);
  const malformed = await app.inject({ method: 'POST', url: '/users/login', payload: '{"username":', headers: { 'content-type': 'application/json' } });
  t.equal(malformed.statusCode, 400);
  t.equal((malformed.json() as { statusCode: number }).statusCode, 400, 'malformed JSON gets a JSON error');
});

t.test('the caller by Bearer token only: not by cookie; logout revokes; expired tokens stop working', async (t) => {
  const { app, store } = await startApp(t);
  const browser = await signUp(app, 'alice');
  const { token, id } = await login(app, 'alice');
  const me = await app.inject({ url: '/api/user', headers: bearer(token) });
  t.equal(me.statusCode, 200);
  const doc = me.json() as Record<string, unknown>;
  t.match(doc, { _id: id, username: 'alice', emails: [{ address: 'alice@example.org' }], isAdmin: true, services: {}, boards: [] });
  t.notMatch(JSON.stringify(doc), /password|hash|token/i, 'no secrets in the user document');
  t.equal((await app.inject({ url: '/api/user', headers: { authorization: `bearer ${token}` } })).statusCode, 200, 'the word is case-insensitive');
  t.equal((await app.inject({ url: `/api/user?access_token=${token}` })).statusCode, 200, '?access_token= too');
  const noToken = await app.inject({ url: '/api/user' });
  t.equal(noToken.statusCode, 401);
  t.match(noToken.json(), { error: 'Unauthorized', statusCode: 401 });
  const cookieOnly = await app.inject({ url: '/api/user', headers: { cookie: browser.cookieHeader() } });
  t.equal(cookieOnly.statusCode, 401, 'a session cookie is no way into the API (no CSRF through forms)');
  t.equal((await app.inject({ url: '/api/user', headers: bearer('made-up') })).statusCode, 401);

  const out = await app.inject({ method: 'POST', url: '/users/logout', headers: bearer(token) });
  t.equal(out.statusCode, 200);
  t.equal((await app.inject({ url: '/api/user', headers: bearer(token) })).statusCode, 401, 'a revoked token is dead');
  const [a, b] = [await login(app, 'alice'), await login(app, 'alice')];
  await app.inject({ method: 'POST', url: '/users/logout', headers: bearer(a.token), payload: { all: true } });
  t.equal((await app.inject({ url: '/api/user', headers: bearer(b.token) })).statusCode, 401, 'all: true revokes every login token');

  const late = await login(app, 'alice');
  await store.sql.run(`UPDATE api_tokens SET expires_at = '2000-01-01T00:00:00.000Z'`);
  t.equal((await app.inject({ url: '/api/user', headers: bearer(late.token) })).statusCode, 401, 'an expired token');
  const unknown = await app.inject({ url: '/api/no-such-thing', headers: bearer(late.token) });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { error: 'not-found', statusCode: 404 });
});

t.test('boards, lists, swimlanes and a list\'s cards, as members see them; others get 404 or 403', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await signUp(app, 'bob');
  let board = await createBoard(alice, 'API board');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/lists', { title: 'Done' });
  for (const title of ['First', 'Second']) board = await alice.submit(board, '/cards', { title });
  const boardId = boardPath(board).split('/')[2]!;
  const aliceToken = (await login(app, 'alice')).token;
  const bobToken = (await login(app, 'bob')).token;

  const doc = (await app.inject({ url: `/api/boards/${boardId}`, headers: bearer(aliceToken) })).json() as Record<string, unknown>;
  t.match(doc, { _id: boardId, title: 'API board', permission: 'private', type: 'board', archived: false,
    members: [{ userId: (await store.users.byUsername('alice'))!.id, isAdmin: true, isActive: true }] });
  t.equal((doc.labels as unknown[]).length, 6, 'the six default labels');
  const lists = (await app.inject({ url: `/api/boards/${boardId}/lists`, headers: bearer(aliceToken) })).json() as { _id: string; title: string }[];
  t.same(lists.map((l) => l.title), ['To do', 'Done']);
  const swimlanes = (await app.inject({ url: `/api/boards/${boardId}/swimlanes`, headers: bearer(aliceToken) })).json() as { title: string }[];
  t.same(swimlanes.map((s) => s.title), ['Default']);
  const cards = (await app.inject({ url: `/api/boards/${boardId}/lists/${lists[0]!._id}/cards`, headers: bearer(aliceToken) })).json() as Record<string, unknown>[];
  t.same(cards.map((c) => c.title), ['First', 'Second'], 'in their order');
  t.match(cards[0], { _id: String, swimlaneId: String, assignees: [], dueAt: null });

  const hidden = await app.inject({ url: `/api/boards/${boardId}`, headers: bearer(bobToken) });
  t.equal(hidden.statusCode, 404, 'a private board of others does not exist for bob');
  t.match(hidden.json(), { error: 'not-found', statusCode: 404 });
  t.equal((await app.inject({ url: `/api/boards/${boardId}/lists/nosuchlist0000000/cards`, headers: bearer(aliceToken) })).statusCode, 404);

  const own = await app.inject({ url: `/api/users/${(await store.users.byUsername('bob'))!.id}/boards`, headers: bearer(bobToken) });
  t.same(own.json(), []);
  const others = await app.inject({ url: `/api/users/${(await store.users.byUsername('alice'))!.id}/boards`, headers: bearer(bobToken) });
  t.equal(others.statusCode, 403);
  const asAdmin = await app.inject({ url: `/api/users/${(await store.users.byUsername('alice'))!.id}/boards`, headers: bearer(aliceToken) });
  t.same(asAdmin.json(), [{ _id: boardId, title: 'API board' }]);
});

t.test('cards through the API: create with everything, read, change, move, archive, delete; refusals change nothing', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await signUp(app, 'carol');
  let board = await createBoard(alice, 'Script board');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/lists', { title: 'Done' });
  const boardId = boardPath(board).split('/')[2]!;
  await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: 'carol', role: 'comment-only' });
  const token = (await login(app, 'alice')).token;
  const [todo, done] = await store.lists.forBoard(boardId, false);
  const aliceId = (await store.users.byUsername('alice'))!.id;
  const label = (await store.labels.forBoard(boardId))[0]!;
  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object | string, contentType?: string) =>
    app.inject({ method, url, payload, headers: { ...bearer(token), ...(contentType ? { 'content-type': contentType } : {}) } });

  const created = await api('POST', `/api/boards/${boardId}/lists/${todo!.id}/cards`, {
    title: 'From a script', authorId: aliceId, description: 'Made by **cron**', members: [aliceId], assignees: aliceId,
    labelIds: [label.id], dueAt: '2031-05-01T10:00:00Z' });
  t.equal(created.statusCode, 200, 'creates answer 200, as WeKan');
  const cardId = (created.json() as { _id: string })._id;
  t.match(cardId, /^\w{17}$/);
  const doc = (await api('GET', `/api/cards/${cardId}`)).json() as Record<string, unknown>;
  t.match(doc, { _id: cardId, title: 'From a script', description: 'Made by **cron**', boardId, listId: todo!.id,
    members: [aliceId], assignees: [aliceId], labelIds: [label.id], dueAt: '2031-05-01T10:00:00.000Z', archived: false, userId: aliceId });
  t.same((await api('GET', `/api/boards/${boardId}/lists/${todo!.id}/cards/${cardId}`)).json(), doc, 'the same document by its long path');

  const form = await api('POST', `/api/boards/${boardId}/lists/${todo!.id}/cards`, 'title=Form+card&members=&assignees=', 'application/x-www-form-urlencoded');
  t.equal(form.statusCode, 200, 'form-encoded, with "" as an empty list');

  const changed = await api('PUT', `/api/boards/${boardId}/lists/${todo!.id}/cards/${cardId}`, { title: 'Renamed', dueAt: '', listId: done!.id });
  t.equal(changed.statusCode, 200);
  t.match(await store.cards.byId(boardId, cardId), { title: 'Renamed', dueAt: null, listId: done!.id }, '"" clears a date; the card moved');
  const before = JSON.stringify(await store.cards.byId(boardId, cardId));
  const bad = await api('PUT', `/api/boards/${boardId}/lists/${done!.id}/cards/${cardId}`, { title: 'Half', dueAt: 'next tuesday' });
  t.equal(bad.statusCode, 422);
  t.match(bad.json(), { error: 'invalid-date', statusCode: 422 });
  t.equal(JSON.stringify(await store.cards.byId(boardId, cardId)), before, 'a refused field changes nothing, the title included');
  t.equal((await api('PUT', `/api/boards/${boardId}/lists/${done!.id}/cards/${cardId}`, { members: ['nobody00000000000'] })).statusCode, 422);
  t.equal((await api('POST', `/api/boards/${boardId}/lists/${todo!.id}/cards`, { title: '' })).statusCode, 422);
  t.equal((await api('PUT', `/api/boards/${boardId}/lists/${done!.id}/cards/${cardId}`, { archive: 'true' })).statusCode, 200);
  t.equal((await store.cards.byId(boardId, cardId))!.archived, 1, 'archived ("true" from a form means true)');

  const counts = (await api('GET', `/api/boards/${boardId}/cards_count`)).json();
  t.same(counts, { board_cards_count: 1 }, 'the live cards: the form card');
  t.same((await api('GET', `/api/boards/${boardId}/lists/${todo!.id}/cards_count`)).json(), { list_cards_count: 1 });

  const carolToken = (await login(app, 'carol')).token;
  const refused = await app.inject({ method: 'POST', url: `/api/boards/${boardId}/lists/${todo!.id}/cards`, payload: { title: 'Nope' }, headers: bearer(carolToken) });
  t.equal(refused.statusCode, 403, 'a comment-only member may not add cards');
  t.match(refused.json(), { error: 'Forbidden', statusCode: 403 });

  const deleted = await api('DELETE', `/api/boards/${boardId}/lists/${done!.id}/cards/${cardId}`);
  t.same(deleted.json(), { _id: cardId });
  t.equal(await store.cards.byId(boardId, cardId), undefined);
  t.equal((await api('GET', `/api/cards/${cardId}`)).statusCode, 404);
});

t.test('cards through the API: sort, spent time, overtime, requester and assigner, subtasks, a move to another board', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await signUp(app, 'bob');
  const token = (await login(app, 'alice')).token;
  const bobToken = (await login(app, 'bob')).token;
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, who = token) => app.inject({ method, url, payload, headers: bearer(who) });
  const made = async (title: string) => ((await api('POST', '/api/boards', { title })).json() as { _id: string; defaultSwimlaneId: string });
  const { _id: boardId } = await made('Work');
  const listId = ((await api('POST', `/api/boards/${boardId}/lists`, { title: 'Doing' })).json() as { _id: string })._id;
  const cards = `/api/boards/${boardId}/lists/${listId}/cards`;
  const card = async (title: string) => ((await api('POST', cards, { title })).json() as { _id: string })._id;
  const [a, b, c] = [await card('A'), await card('B'), await card('C')];
  const order = async () => (await store.cards.cellTitles(listId, (await store.cards.byId(boardId, a))!.swimlaneId)).map((x) => x.title);
  t.same(await order(), ['A', 'B', 'C']);
  await api('PUT', `${cards}/${c}`, { sort: -1 });
  t.same(await order(), ['C', 'A', 'B'], 'a sort before all puts it first');
  t.same((await store.cards.cellTitles(listId, (await store.cards.byId(boardId, a))!.swimlaneId)).map((x) => x.sort), [-1, 0, 1], 'the sort is kept as given, as WeKan does');
  t.equal(((await api('GET', `${cards}/${c}`)).json() as { sort: number }).sort, -1);
  await api('PUT', `${cards}/${c}`, { sort: '0.5' });
  t.same(await order(), ['A', 'C', 'B'], 'between the sorts of A (0) and B (1)');
  for (const sort of ['', 'soon', 'Infinity']) {
    const refused = await api('PUT', `${cards}/${c}`, { sort });
    t.equal(refused.statusCode, 422, `sort "${sort}" is refused`);
  }
  t.same(await order(), ['A', 'C', 'B'], 'a refused sort moves nothing');

  const changed = await api('PUT', `${cards}/${b}`, { spentTime: '2,5', isOvertime: 'true', requestedBy: 'The customer', assignedBy: 'alice', parentId: a });
  t.equal(changed.statusCode, 200);
  t.match((await api('GET', `${cards}/${b}`)).json(), { spentTime: 2.5, isOvertime: true, requestedBy: 'The customer', assignedBy: 'alice', parentId: a });
  t.equal((await api('PUT', `${cards}/${a}`, { parentId: b })).statusCode, 422, 'no loops of subtasks');
  t.equal((await api('PUT', `${cards}/${a}`, { parentId: 'nosuchcard0000000' })).statusCode, 422);
  t.equal((await api('PUT', `${cards}/${a}`, { spentTime: 'lots' })).statusCode, 422);
  const page = await alice.get(`/b/${boardId}/work/${b}`);
  t.match(page.text, /Requested by\s*The customer/);
  t.match(page.text, /Subtask of\s*A/);
  t.match((await alice.get(`/b/${boardId}/work/${a}`)).text, /Subtasks\s*B/);
  t.equal((await validateHtml(page.body, 'card-subtask')).valid, true);

  // a move to another board: where the caller may edit, into a list of that board
  const { _id: otherId, defaultSwimlaneId } = await made('Elsewhere');
  const otherList = ((await api('POST', `/api/boards/${otherId}/lists`, { title: 'Inbox' })).json() as { _id: string })._id;
  const { _id: bobsBoard } = (await api('POST', '/api/boards', { title: 'Bob only' }, bobToken)).json() as { _id: string };
  t.equal((await api('PUT', `${cards}/${b}`, { newBoardId: bobsBoard, newListId: otherList })).statusCode, 404, 'not a board alice sees');
  t.equal((await api('PUT', `${cards}/${b}`, { newBoardId: otherId, newListId: 'nosuchlist0000000' })).statusCode, 404);
  t.equal((await store.cards.byId(boardId, b))?.title, 'B', 'nothing moved');
  const moved = await api('PUT', `${cards}/${b}`, { title: 'B moved', newBoardId: otherId, newSwimlaneId: defaultSwimlaneId, newListId: otherList });
  t.equal(moved.statusCode, 200);
  t.match(await store.cards.byId(otherId, b), { title: 'B moved', listId: otherList, parentId: null }, 'renamed and moved; its parent stayed behind');
  t.equal(await store.cards.byId(boardId, b), undefined);
});

t.test('a script builds a board: board, swimlane, lists, a card, a comment, a checklist with items; lists the attachments', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await signUp(app, 'bob');
  const token = (await login(app, 'alice')).token;
  const bobToken = (await login(app, 'bob')).token;
  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, who = token) =>
    app.inject({ method, url, payload, headers: bearer(who) });
  const id = async (answer: Promise<{ statusCode: number; json: () => unknown }>) => {
    const done = await answer;
    t.equal(done.statusCode, 200);
    return (done.json() as { _id: string })._id;
  };

  const made = await api('POST', '/api/boards', { title: 'Built by a script', permission: 'public', color: 'nephritis' });
  t.equal(made.statusCode, 200);
  const { _id: boardId, defaultSwimlaneId } = made.json() as { _id: string; defaultSwimlaneId: string };
  t.match(await store.boards.byId(boardId), { title: 'Built by a script', permission: 'public', color: 'nephritis' });
  t.equal((await store.swimlanes.forBoard(boardId, false))[0]!.id, defaultSwimlaneId);
  t.equal((await api('POST', '/api/boards', { title: 'For bob', owner: (await store.users.byUsername('bob'))!.id }, bobToken)).statusCode, 200, 'own boards');
  t.equal((await api('POST', '/api/boards', { title: 'x', owner: (await store.users.byUsername('alice'))!.id }, bobToken)).statusCode, 403, 'not for others');

  const swimlaneId = await id(api('POST', `/api/boards/${boardId}/swimlanes`, { title: 'Team B' }));
  const listId = await id(api('POST', `/api/boards/${boardId}/lists`, { title: 'Backlog' }));
  t.equal((await api('PUT', `/api/boards/${boardId}/lists/${listId}`, { title: 'Backlog!', wipLimit: '3', color: 'red' })).statusCode, 200);
  t.match((await api('GET', `/api/boards/${boardId}/lists/${listId}`)).json(), { title: 'Backlog!', color: 'red', wipLimit: { value: 3, enabled: true } });
  t.equal((await api('PUT', `/api/boards/${boardId}/lists/${listId}`, { wipLimit: '-2' })).statusCode, 422);
  t.equal((await api('PUT', `/api/boards/${boardId}/title`, { title: 'Renamed by API' })).statusCode, 200);
  t.equal((await store.boards.byId(boardId))!.title, 'Renamed by API');
  t.equal((await api('PUT', `/api/boards/${boardId}/title`, { title: 'Bob was here' }, bobToken)).statusCode, 403, 'a visitor of a public board may read, not rename');

  const cardId = await id(api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'Card', swimlaneId }));
  const commentId = await id(api('POST', `/api/boards/${boardId}/cards/${cardId}/comments`, { authorId: 'ignored', comment: 'Looks good' }));
  t.same((await api('GET', `/api/boards/${boardId}/cards/${cardId}/comments`)).json(),
    [{ _id: commentId, comment: 'Looks good', authorId: (await store.users.byUsername('alice'))!.id }]);
  t.match((await api('GET', `/api/boards/${boardId}/cards/${cardId}/comments/${commentId}`)).json(), { _id: commentId, text: 'Looks good', cardId });
  t.equal((await api('POST', `/api/boards/${boardId}/cards/${cardId}/comments`, { comment: 'visitor' }, bobToken)).statusCode, 403);

  const checklistId = await id(api('POST', `/api/boards/${boardId}/cards/${cardId}/checklists`, { title: 'Steps', items: ['One', 'Two'] }));
  const checklist = (await api('GET', `/api/boards/${boardId}/cards/${cardId}/checklists/${checklistId}`)).json() as { items: { _id: string; title: string; isFinished: boolean }[] };
  t.same(checklist.items.map((i) => [i.title, i.isFinished]), [['One', false], ['Two', false]]);
  const itemId = checklist.items[0]!._id;
  t.equal((await api('PUT', `/api/boards/${boardId}/cards/${cardId}/checklists/${checklistId}/items/${itemId}`, { isFinished: true })).statusCode, 200);
  t.match((await api('GET', `/api/boards/${boardId}/cards/${cardId}/checklists/${checklistId}/items/${itemId}`)).json(), { isFinished: true });
  await id(api('POST', `/api/boards/${boardId}/cards/${cardId}/checklists/${checklistId}/items`, { title: 'Three' }));
  t.equal((await store.checklists.forCard(cardId))[0]!.items.length, 3);
  t.same((await api('DELETE', `/api/boards/${boardId}/cards/${cardId}/comments/${commentId}`)).json(), { _id: cardId }, 'WeKan answers the card id');

  // an attachment uploaded through the page shows in the API's list
  const page = await alice.get(`/b/${boardId}/${(await store.boards.byId(boardId))!.slug}/${cardId}`);
  await alice.upload(page, '/attachments', [{ filename: 'spec.pdf', content: '%PDF-1.4 spec' }]);
  const attachments = (await api('GET', `/api/boards/${boardId}/attachments`)).json() as Record<string, string>[];
  t.equal(attachments.length, 1);
  t.match(attachments[0], { attachmentName: 'spec.pdf', attachmentType: 'application/pdf', cardId, listId, swimlaneId, boardId });
  t.equal((await app.inject({ url: attachments[0]!.url!, headers: { cookie: alice.cookieHeader() } })).body, '%PDF-1.4 spec', 'its url downloads it');

  t.equal((await api('DELETE', `/api/boards/${boardId}/lists/${listId}`)).statusCode, 200);
  t.same((await api('GET', `/api/boards/${boardId}/lists`)).json(), [], 'a deleted list is gone from the board (archived, restorable)');
});

t.test('site admin: accounts, long-lived API tokens; board admins: members with WeKan\'s role flags', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice'); // the first account: site admin
  await signUp(app, 'bob');
  const admin = (await login(app, 'alice')).token;
  const bobLogin = (await login(app, 'bob')).token;
  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, who = admin) =>
    app.inject({ method, url, payload, headers: bearer(who) });

  t.same(((await api('GET', '/api/users')).json() as { username: string }[]).map((u) => u.username).sort(), ['alice', 'bob']);
  t.equal((await api('GET', '/api/users', undefined, bobLogin)).statusCode, 403);
  t.match((await api('GET', '/api/users/bob')).json(), { username: 'bob', services: {}, boards: [] }, 'by username too');
  const created = await api('POST', '/api/users', { username: 'carol', email: 'carol@example.org', password: 'long enough pw' });
  t.equal(created.statusCode, 200);
  const carolId = (created.json() as { _id: string })._id;
  t.equal((await api('POST', '/api/users', { username: 'carol', email: 'c2@example.org', password: 'long enough pw' })).statusCode, 409);
  t.equal((await api('POST', '/api/users', { username: 'dave', email: 'not-an-address', password: 'long enough pw' })).statusCode, 422);
  t.equal((await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'carol', password: 'long enough pw' } })).statusCode, 200);

  const key = (await api('POST', `/api/createtoken/${carolId}`)).json() as { _id: string; authToken: string };
  t.equal(key._id, carolId);
  t.equal(await store.sql.value(`SELECT expires_at FROM api_tokens WHERE kind = 'api'`), null, 'an API key does not expire');
  t.equal((await api('GET', '/api/user', undefined, key.authToken)).statusCode, 200);
  t.equal((await api('PUT', `/api/users/${carolId}`, { action: 'disableLogin' })).statusCode, 200);
  t.equal((await api('GET', '/api/user', undefined, key.authToken)).statusCode, 401, 'a disabled account\'s tokens stop working');
  await api('PUT', `/api/users/${carolId}`, { action: 'enableLogin' });
  t.equal((await api('GET', '/api/user', undefined, key.authToken)).statusCode, 200);
  await api('POST', '/api/deletetoken', { userId: carolId, token: key.authToken });
  t.equal((await api('GET', '/api/user', undefined, key.authToken)).statusCode, 401, 'revoked');
  t.equal((await api('PUT', `/api/users/${(await store.users.byUsername('alice'))!.id}`, { action: 'disableLogin' })).statusCode, 409, 'not yourself');

  let board = await createBoard(alice, 'Team');
  board = await alice.submit(board, '/lists', { title: 'L' });
  const boardId = boardPath(board).split('/')[2]!;
  const bobId = (await store.users.byUsername('bob'))!.id;
  const added = await api('POST', `/api/boards/${boardId}/members/${bobId}/add`, { action: 'add', isAdmin: false, isCommentOnly: 'true' });
  t.equal(added.statusCode, 200);
  t.same(added.json(), [{ _id: boardId, title: 'Team' }]);
  t.equal((await store.members.forBoard(boardId)).find((m) => m.userId === bobId)?.role, 'comment-only');
  t.equal((await api('POST', `/api/boards/${boardId}/members/${bobId}/add`, { action: 'add' })).statusCode, 409, 'a member already');
  t.equal((await api('POST', `/api/boards/${boardId}/members/${bobId}`, { isWorker: true })).statusCode, 200);
  t.equal((await store.members.forBoard(boardId)).find((m) => m.userId === bobId)?.role, 'worker');
  t.equal((await api('POST', `/api/boards/${boardId}/members/${bobId}/add`, {}, bobLogin)).statusCode, 403, 'only board admins');
  t.equal((await api('POST', `/api/boards/${boardId}/members/${(await store.users.byUsername('alice'))!.id}/remove`, {})).statusCode, 409, 'the last admin stays');
  t.equal((await api('POST', `/api/boards/${boardId}/members/${bobId}/remove`, { action: 'remove' })).statusCode, 200);
  t.equal(await store.boards.access(boardId, bobId), undefined, 'bob is out');

  const swimlaneId = (await store.swimlanes.forBoard(boardId, false))[0]!.id;
  board = await alice.submit(await alice.get(boardPath(board)), '/cards', { title: 'In the lane' });
  t.same(((await api('GET', `/api/boards/${boardId}/swimlanes/${swimlaneId}/cards`)).json() as { title: string }[]).map((c) => c.title), ['In the lane']);
});

t.test('site admin: take ownership of a user\'s boards, then delete the account; its cards stay', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice'); // site admin
  const bob = await signUp(app, 'bob');
  const admin = (await login(app, 'alice')).token;
  const bobToken = (await login(app, 'bob')).token;
  const api = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object, who = admin) =>
    app.inject({ method, url, payload, headers: bearer(who) });
  let board = await createBoard(bob, 'Bob\'s plans');
  board = await bob.submit(board, '/lists', { title: 'Ideas' });
  board = await bob.submit(board, '/cards', { title: 'Written by bob' });
  const boardId = boardPath(board).split('/')[2]!;
  const bobId = (await store.users.byUsername('bob'))!.id;
  const aliceId = (await store.users.byUsername('alice'))!.id;
  const versionBefore = (await store.boards.byId(boardId))!.version;

  t.equal((await api('DELETE', `/api/users/${bobId}`, undefined, bobToken)).statusCode, 403, 'a normal user may not');
  const refused = await api('DELETE', `/api/users/${bobId}`);
  t.equal(refused.statusCode, 409, 'the only admin of a board');
  t.match((refused.json() as { reason: string }).reason, 'only admin of "Bob\'s plans": take ownership');
  t.ok(await store.users.byId(bobId), 'nothing was deleted');
  t.equal((await api('DELETE', `/api/users/${aliceId}`)).statusCode, 409, 'not yourself');

  const taken = await api('PUT', `/api/users/${bobId}`, { action: 'takeOwnership' });
  t.equal(taken.statusCode, 200);
  t.same(taken.json(), [{ _id: boardId, title: 'Bob\'s plans' }]);
  t.equal((await store.boards.access(boardId, aliceId))?.role, 'admin', 'alice runs bob\'s board now');
  t.equal((await api('DELETE', `/api/users/${bobId}`)).statusCode, 200);
  t.equal(await store.users.byId(bobId), undefined);
  t.equal((await api('GET', '/api/user', undefined, bobToken)).statusCode, 401, 'the account\'s tokens went with it');
  t.notMatch((await bob.get('/')).text, 'Signed in as bob', 'and its sessions');
  t.same((await store.cards.faces(boardId)).map((c) => c.title), ['Written by bob'], 'the cards stay');
  t.ok((await store.boards.byId(boardId))!.version > versionBefore, 'open boards refresh');
  t.equal((await api('DELETE', `/api/users/${bobId}`)).statusCode, 404);
});

t.test('export: WeKan\'s format, streamed, with attachment files as base64 (or without), from the API or the settings page', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await signUp(app, 'bob');
  let board = await createBoard(alice, 'Export me');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'With everything' });
  const boardId = boardPath(board).split('/')[2]!;
  const cardUrl = board.$('div.card a').attr('href')!;
  let card = await alice.get(cardUrl);
  card = await alice.submit(card, '/checklists', { title: 'Steps' });
  card = await alice.submit(card, '/comments', { comment: 'A comment' });
  const big = Buffer.alloc(200_001); // not a multiple of 3, and longer than one read
  for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 256;
  await alice.upload(await alice.get(cardUrl), '/attachments', [{ filename: 'data.bin', content: big }]);
  const token = (await login(app, 'alice')).token;

  const answer = await app.inject({ url: `/api/boards/${boardId}/export?authToken=${token}` });
  t.equal(answer.statusCode, 200);
  t.match(answer.headers['content-type'], 'application/json');
  const exported = answer.json() as Record<string, unknown> & Record<string, Record<string, unknown>[]>;
  t.match(exported, { _format: 'wekan-board-1.0.0', _id: boardId, title: 'Export me', type: 'board', archived: false });
  for (const key of ['labels', 'members', 'attachments', 'lists', 'cards', 'swimlanes', 'customFields', 'comments', 'activities',
    'rules', 'triggers', 'actions', 'checklists', 'checklistItems', 'subtaskItems', 'users']) {
    t.ok(Array.isArray(exported[key]), `${key} is an array`);
  }
  t.equal(exported.labels!.length, 6);
  t.match(exported.members, [{ userId: (await store.users.byUsername('alice'))!.id, isAdmin: true, isActive: true }]);
  t.match(exported.cards, [{ title: 'With everything', archived: false, members: [], labelIds: [], type: 'cardType-card' }]);
  t.match(exported.lists, [{ title: 'To do', wipLimit: { enabled: false } }]);
  t.match(exported.checklists, [{ title: 'Steps' }]);
  t.match(exported.comments, [{ text: 'A comment' }]);
  t.match(exported.users, [{ username: 'alice', profile: {} }]);
  t.ok(exported.activities!.length > 3);
  t.notMatch(answer.body, /password|token_hash/i, 'no secrets');
  const [attachment] = exported.attachments!;
  t.match(attachment, { name: 'data.bin', type: 'application/octet-stream' });
  t.same(Buffer.from(String(attachment!.file), 'base64'), big, 'the file comes back byte for byte from its base64');

  const light = (await app.inject({ url: `/api/boards/${boardId}/export?attachments=false`, headers: bearer(token) })).json() as Record<string, Record<string, unknown>[]>;
  t.equal(light.attachments![0]!.file, null, '?attachments=false leaves the bodies out');

  const page = await alice.get(`${boardPath(board)}/settings`);
  const link = page.$('a').filter((_, a) => page.$(a).text() === 'with attached files').attr('href')!;
  const download = await app.inject({ url: link, headers: { cookie: alice.cookieHeader() } });
  t.equal(download.statusCode, 200);
  t.match(download.headers['content-disposition'], 'attachment; filename="wekan-export-export-me.json"');
  t.equal((download.json() as { title: string }).title, 'Export me', 'the settings page offers the same export');

  await alice.submit(await alice.get(`${boardPath(board)}/settings`), '/settings', { permission: 'public' });
  const bobToken = (await login(app, 'bob')).token;
  t.equal((await app.inject({ url: `/api/boards/${boardId}/export`, headers: bearer(bobToken) })).statusCode, 403, 'visitors of a public board may not export');
});

t.test('import: export -> import gives the same board; any version\'s export; dangling ids and bad JSON refused, nothing made', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await signUp(app, 'bob');
  const token = (await login(app, 'alice')).token;
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => app.inject({ method, url, payload, headers: bearer(token) });
  const { _id: boardId } = (await api('POST', '/api/boards', { title: 'Round trip', color: 'wisteria' })).json() as { _id: string };
  const bobId = (await store.users.byUsername('bob'))!.id;
  await api('POST', `/api/boards/${boardId}/members/${bobId}/add`, { isCommentOnly: true });
  const laneId = ((await api('POST', `/api/boards/${boardId}/swimlanes`, { title: 'Team B' })).json() as { _id: string })._id;
  const todo = ((await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' })).json() as { _id: string })._id;
  const done = ((await api('POST', `/api/boards/${boardId}/lists`, { title: 'Done' })).json() as { _id: string })._id;
  await api('PUT', `/api/boards/${boardId}/lists/${done}`, { wipLimit: '5' });
  const label = (await store.labels.forBoard(boardId))[2]!;
  const aliceId = (await store.users.byUsername('alice'))!.id;
  const first = ((await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'First', description: '**bold**',
    members: [aliceId, bobId], assignees: [bobId], labelIds: [label.id], dueAt: '2031-02-03T04:05:00Z', swimlaneId: laneId })).json() as { _id: string })._id;
  const second = ((await api('POST', `/api/boards/${boardId}/lists/${done}/cards`, { title: 'Second', color: 'red' })).json() as { _id: string })._id;
  await api('PUT', `/api/boards/${boardId}/lists/${done}/cards/${second}`, { parentId: first, requestedBy: 'The landlord', isOvertime: true });
  await api('POST', `/api/boards/${boardId}/cards/${first}/comments`, { comment: 'A remark' });
  await api('POST', `/api/boards/${boardId}/cards/${first}/checklists`, { title: 'Steps', items: ['One', 'Two'] });
  const page = await alice.get(`/b/${boardId}/${(await store.boards.byId(boardId))!.slug}/${first}`);
  await alice.upload(page, '/attachments', [{ filename: 'logo.gif', content: fs.readFileSync('static/wami.gif') }]);
  const gif = await store.sql.value('SELECT id FROM attachments') as string;
  await alice.submit(await alice.get(`/b/${boardId}/${(await store.boards.byId(boardId))!.slug}/${first}/attachments/${gif}`), '/cover');

  const exported = (await api('GET', `/api/boards/${boardId}/export`)).json() as Record<string, unknown>;
  const imported = await api('POST', '/api/boards/import', { board: exported });
  t.equal(imported.statusCode, 200);
  const { _id: copyId, unmatchedUsers } = imported.json() as { _id: string; unmatchedUsers: string[] };
  t.not(copyId, boardId);
  t.same(unmatchedUsers, []);

  /** What a person sees of a board, without ids and times. */
  const seen = async (id: string) => {
    const b = (await api('GET', `/api/boards/${id}/export`)).json() as Record<string, Record<string, unknown>[]> & Record<string, unknown>;
    {
      const titleOf = (arr: Record<string, unknown>[], key: unknown) => arr.find((d) => d._id === key)?.title;
      const nameOf = (key: unknown) => b.users!.find((u) => u._id === key)?.username;
      return {
        board: [b.title, b.color, b.permission],
        labels: b.labels!.map((l) => [l._id, l.name, l.color]),
        members: b.members!.map((m) => [nameOf(m.userId), m.isAdmin, m.isCommentOnly]).sort(),
        swimlanes: b.swimlanes!.map((s) => [s.title, s.sort]).sort(),
        lists: b.lists!.map((l) => [l.title, l.sort, (l.wipLimit as Record<string, unknown>).value]).sort(),
        cards: b.cards!.map((c) => [c.title, c.description, titleOf(b.lists!, c.listId), titleOf(b.swimlanes!, c.swimlaneId), c.sort, c.color,
          c.dueAt, c.labelIds, (c.members as string[]).map(nameOf).sort(), (c.assignees as string[]).map(nameOf), c.coverId ? 'cover' : '',
          titleOf(b.cards!, c.parentId) ?? '', c.requestedBy, c.isOvertime]).sort(),
        checklists: b.checklists!.map((c) => c.title),
        items: b.checklistItems!.map((i) => [i.title, i.sort, i.isFinished]).sort(),
        comments: b.comments!.map((c) => [c.text, nameOf(c.userId)]),
        attachments: b.attachments!.map((a) => [a.name, a.type, a.size, a.file]),
      };
    }
  };
  const original = await seen(boardId);
  t.equal(original.cards.length, 2);
  t.equal(original.items.length, 2);
  t.equal(original.comments.length, 1);
  t.equal(original.attachments.length, 1);
  t.ok(original.attachments[0]![3], 'the file travels as base64');
  t.match(original.cards.find((c) => c[0] === 'First'), ['First', '**bold**', 'To do', 'Team B', 0, null, '2031-02-03T04:05:00.000Z',
    [label.id], ['alice', 'bob'], ['bob'], 'cover', '', '', false]);
  t.match(original.cards.find((c) => c[0] === 'Second'), ['Second', '', 'Done', 'Default', 0, 'red', null, [], [], [], '', 'First', 'The landlord', true]);
  t.same(await seen(copyId), original, 'titles, sort, labels, members, dates, checklists, comments, attachments: the same');

  const copied = await api('POST', `/api/boards/${boardId}/copy`, { title: 'Round trip' });
  t.equal(copied.statusCode, 200);
  const copiedId = copied.json() as string;
  t.equal(typeof copiedId, 'string', 'the answer is the new board\'s id, as WeKan\'s');
  t.same(await seen(copiedId), original, 'a copy is the same board too');
  const files = await store.sql.all('SELECT id, sha256 FROM attachments ORDER BY created_at') as { id: string; sha256: string }[];
  t.equal(new Set(files.map((f) => f.id)).size, 3, 'each copy has its own attachment');
  t.equal(new Set(files.map((f) => f.sha256)).size, 1, 'with the same bytes');
  const bobToken = (await login(app, 'bob')).token;
  const byBob = await app.inject({ method: 'POST', url: `/api/boards/${boardId}/copy`, headers: bearer(bobToken) });
  t.equal(byBob.statusCode, 200, 'any member may copy (bob is comment-only)');
  t.equal((await store.boards.byId(byBob.json() as string))!.title, 'Copy of Round trip');
  t.equal((await store.boards.access(byBob.json() as string, bobId))?.role, 'admin', 'the copier runs the copy');
  t.equal((await api('POST', `/api/boards/${boardId}/copy`, { title: '' })).statusCode, 422);

  const boards = await store.sql.value('SELECT count(*) FROM boards');
  const filesBefore = fs.readdirSync(path.join(dataDir, 'attachments'), { recursive: true }).length;
  const dangling = structuredClone(exported) as Record<string, Record<string, unknown>[]>;
  dangling.cards![0]!.listId = 'nosuchlist0000000';
  const refused = await api('POST', '/api/boards/import', { board: dangling });
  t.equal(refused.statusCode, 422);
  t.match((refused.json() as { reason: string }).reason, /Card \w+ \("(First|Second)"\) is in list nosuchlist0000000/);
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), boards, 'nothing was made');
  t.equal(fs.readdirSync(path.join(dataDir, 'attachments'), { recursive: true }).length, filesBefore, 'and no file was left');
  t.equal((await api('POST', '/api/boards/import', { board: '{"title": "half' })).statusCode, 400, 'bad JSON in a form field');
  t.equal((await api('POST', '/api/boards/import', { board: [1, 2] })).statusCode, 422);

  const old = await api('POST', '/api/boards/import', { board: { title: 'An old export', lists: [{ _id: 'l1', title: 'Only list' }],
    cards: [{ _id: 'c1', title: 'Old card', listId: 'l1' }], members: [{ userId: 'gone', isAdmin: true }], users: [{ _id: 'gone', username: 'someone-else' }] } });
  t.equal(old.statusCode, 200, 'an old export without swimlanes, labels, checklists or attachments');
  const oldId = (old.json() as { _id: string; unmatchedUsers: string[] });
  t.same(oldId.unmatchedUsers, ['someone-else'], 'people not found here are reported');
  t.same((await store.swimlanes.forBoard(oldId._id, false)).map((s) => s.title), ['Default']);
  t.equal((await store.cards.faces(oldId._id))[0]?.title, 'Old card');
});

t.test('labels and counts: PUT a label (JSON or a form), boards_count for site admins', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const token = (await login(app, 'alice')).token;
  const { _id: boardId } = (await app.inject({ method: 'POST', url: '/api/boards', payload: { title: 'Labelled' }, headers: bearer(token) })).json() as { _id: string };
  const json = await app.inject({ method: 'PUT', url: `/api/boards/${boardId}/labels`, payload: { label: { name: 'Urgent', color: 'red' } }, headers: bearer(token) });
  t.equal(json.statusCode, 200);
  const labelId = json.json() as string;
  t.match(labelId, /^\w{6}$/, 'the new label id, a 6-character string as WeKan');
  t.match(await store.labels.byId(boardId, labelId), { name: 'Urgent', color: 'red' });
  const form = await app.inject({ method: 'PUT', url: `/api/boards/${boardId}/labels`, payload: 'label=%7B%22name%22%3A%22Urgent%22%2C%22color%22%3A%22red%22%7D',
    headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' } });
  t.equal(form.json(), labelId, 'the same label again: its id, not a twin');
  t.equal((await app.inject({ method: 'PUT', url: `/api/boards/${boardId}/labels`, payload: { label: { name: 'x', color: 'chartreuse' } }, headers: bearer(token) })).statusCode, 422);
  t.same((await app.inject({ url: '/api/boards_count', headers: bearer(token) })).json(), { private: 1, public: 0 });
});

t.test('/users/register: open sites and the very first account; 403 when sign-up is closed', async (t) => {
  const { app, store } = await startApp(t, { WAMI_ALLOW_SIGN_UP: 'false' });
  const first = await app.inject({ method: 'POST', url: '/users/register', payload: { username: 'root', email: 'root@example.org', password: 'a long password' } });
  t.equal(first.statusCode, 200, 'the first account may always be made');
  const { token } = first.json() as { token: string };
  t.equal((await app.inject({ url: '/api/user', headers: bearer(token) })).statusCode, 200, 'and is signed in');
  t.equal((await store.users.byUsername('root'))!.isAdmin, 1);
  const second = await app.inject({ method: 'POST', url: '/users/register', payload: { username: 'eve', email: 'eve@example.org', password: 'a long password' } });
  t.equal(second.statusCode, 403);
  t.match(second.json(), { statusCode: 403 });
});

t.test('/users/register on an open site: a new account, names taken 409, bad values 422', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice');
  const made = await app.inject({ method: 'POST', url: '/users/register', payload: 'username=bob&email=bob%40example.org&password=a+long+password',
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  t.equal(made.statusCode, 200);
  t.equal((await app.inject({ method: 'POST', url: '/users/register', payload: { username: 'BOB', email: 'b2@example.org', password: 'a long password' } })).statusCode, 409);
  t.equal((await app.inject({ method: 'POST', url: '/users/register', payload: { username: 'carl', email: 'carl@example.org', password: 'short' } })).statusCode, 422);
});

t.test('DELETE a board: for good, with its cards, files and all; board admins only', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await signUp(app, 'bob');
  const token = (await login(app, 'alice')).token;
  const bobToken = (await login(app, 'bob')).token;
  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, who = token) => app.inject({ method, url, payload, headers: bearer(who) });
  const { _id: boardId } = (await api('POST', '/api/boards', { title: 'Short-lived' })).json() as { _id: string };
  const listId = ((await api('POST', `/api/boards/${boardId}/lists`, { title: 'L' })).json() as { _id: string })._id;
  const cardId = ((await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'C' })).json() as { _id: string })._id;
  await api('POST', `/api/boards/${boardId}/cards/${cardId}/comments`, { comment: 'bye' });
  const page = await alice.get(`/b/${boardId}/${(await store.boards.byId(boardId))!.slug}/${cardId}`);
  await alice.upload(page, '/attachments', [{ filename: 'logo.gif', content: fs.readFileSync('static/wami.gif') }]);
  const gif = await store.sql.value('SELECT id FROM attachments') as string;
  await alice.submit(await alice.get(`${page.url}/attachments/${gif}`), '/cover');
  const bobId = (await store.users.byUsername('bob'))!.id;
  await api('POST', `/api/boards/${boardId}/members/${bobId}/add`, {});
  t.equal((await api('DELETE', `/api/boards/${boardId}`, undefined, bobToken)).statusCode, 403, 'a normal member may not');
  const gone = await api('DELETE', `/api/boards/${boardId}`);
  t.same(gone.json(), { _id: boardId });
  t.equal(await store.boards.byId(boardId), undefined);
  for (const table of ['cards', 'lists', 'swimlanes', 'comments', 'attachments', 'activities', 'board_members', 'labels']) {
    t.equal(await store.sql.value(`SELECT count(*) FROM ${table}`), 0, `no ${table} left`);
  }
  t.same(fs.readdirSync(path.join(dataDir, 'attachments'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()), [], 'no file left');
  t.equal((await api('GET', `/api/boards/${boardId}`)).statusCode, 404);
});
