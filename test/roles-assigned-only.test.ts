// WeKan 11's further board roles: read-only, and the three "assigned-only" roles that see only the cards
// assigned to them. The limit holds on every way out of the board: pages, lists and counts, the API,
// search, exports and copies, bulk calls, and mail.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { apiAs, idOf } from './helpers/api.js';
import { signUp } from './helpers/browser.js';
import { startSmtp } from './helpers/smtp.js';
import { until } from './helpers/wait.js';

/** alice's board: "Theirs" assigned to bob, "Hidden plans" to nobody; bob joins with `role` by WeKan's flags. */
async function setUp(t: Parameters<typeof startApp>[0], flag: string, env: Record<string, string> = {}) {
  const started = await startApp(t, env);
  const { app, store } = started;
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  const api = await apiAs(app, 'alice');
  const made = await api('POST', '/api/boards', { title: 'Project' });
  const boardId = idOf(made);
  const swimlaneId = (made.json() as { defaultSwimlaneId: string }).defaultSwimlaneId;
  const listId = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' }));
  const bobId = (await store.users.byUsername('bob'))!.id;
  const joined = await api('POST', `/api/boards/${boardId}/members/${bobId}/add`, { action: 'add', [flag]: true });
  t.equal(joined.statusCode, 200, joined.body);
  const theirs = idOf(await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'Theirs', swimlaneId, assignees: [bobId] }));
  const hidden = idOf(await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'Hidden plans', swimlaneId, description: 'searchable secret' }));
  await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'Theirs too? no', swimlaneId, members: [bobId] });
  const slug = (await store.boards.byId(boardId))!.slug;
  return { ...started, alice, bob, api, bobApi: await apiAs(app, 'bob'), boardId, swimlaneId, listId, bobId, theirs, hidden, boardUrl: `/b/${boardId}/${slug}` };
}

t.test('the flags make the roles, and WeKan\'s documents and exports carry them', async (t) => {
  const { store, api, boardId, bobId } = await setUp(t, 'isReadAssignedOnly');
  t.equal((await store.members.forBoard(boardId)).find((m) => m.userId === bobId)!.role, 'read-assigned-only');
  const flags: [string, string][] = [['isNormalAssignedOnly', 'normal-assigned-only'], ['isCommentAssignedOnly', 'comment-assigned-only'], ['isReadOnly', 'read-only']];
  for (const [flag, role] of flags) {
    await api('POST', `/api/boards/${boardId}/members/${bobId}`, { [flag]: true });
    t.equal((await store.members.forBoard(boardId)).find((m) => m.userId === bobId)!.role, role, flag);
  }
  // WeKan 11's named role (its issue 5998): it wins over the flags; a name that is no role is refused
  const named: [string, string][] = [['readassignedonly', 'read-assigned-only'], ['commentOnly', 'comment-only'], ['member', 'normal'], ['read-only', 'read-only']];
  for (const [role, stored] of named) {
    t.equal((await api('POST', `/api/boards/${boardId}/members/${bobId}`, { role, isAdmin: true })).statusCode, 200, role);
    t.equal((await store.members.forBoard(boardId)).find((m) => m.userId === bobId)!.role, stored, `role ${role}`);
  }
  const unknown = await api('POST', `/api/boards/${boardId}/members/${bobId}`, { role: 'overlord' });
  t.equal(unknown.statusCode, 422);
  t.match(unknown.json(), { reason: /overlord is not a role/ });
  t.equal((await store.members.forBoard(boardId)).find((m) => m.userId === bobId)!.role, 'read-only', 'unchanged');
  const exported = (await api('GET', `/api/boards/${boardId}/export`)).json() as { members: Record<string, unknown>[] };
  t.match(exported.members.find((m) => m.userId === bobId), { isReadOnly: true, isReadAssignedOnly: false, isWorker: false, isAdmin: false });
  const copy = (await api('POST', `/api/boards/${boardId}/copy`, { title: 'Copy' })).json() as string;
  t.equal((await store.members.forBoard(copy)).find((m) => m.userId === bobId)?.role, 'read-only', 'a copy (export read back) keeps the role');
});

t.test('a read-assigned-only member sees their cards only, wherever they look', async (t) => {
  const { bob, bobApi, boardId, listId, swimlaneId, theirs, hidden, boardUrl } = await setUp(t, 'isReadAssignedOnly');
  const board = await bob.get(boardUrl);
  t.same(board.$('div.card a').map((_, a) => board.$(a).text()).get(), ['Theirs'], 'the board shows their card only');
  t.equal((await bob.get(`${boardUrl}/${hidden}`)).status, 404, 'another card\'s page is not found');
  t.equal((await bob.get(`${boardUrl}/${theirs}`)).status, 200);
  t.equal((await bob.get(`${boardUrl}/wall`)).$('p.wall-card').length, 1, 'the wall view too');
  const found = await bob.get('/global-search?q=searchable');
  t.equal(found.status, 200);
  t.notMatch(found.text, 'Hidden plans', 'search does not find the other card');
  t.notMatch((await bob.get('/my-cards')).text, 'Theirs too', 'my cards: a card he is only a member of is not his to see');

  t.same((await bobApi('GET', `/api/boards/${boardId}/lists/${listId}/cards`)).json().map((c: { title: string }) => c.title), ['Theirs']);
  t.same((await bobApi('GET', `/api/boards/${boardId}/swimlanes/${swimlaneId}/cards`)).json().length, 1);
  t.same((await bobApi('GET', `/api/boards/${boardId}/cards_count`)).json(), { board_cards_count: 1 });
  t.same((await bobApi('GET', `/api/boards/${boardId}/lists/${listId}/cards_count`)).json(), { list_cards_count: 1 });
  t.equal((await bobApi('GET', `/api/cards/${hidden}`)).statusCode, 404);
  t.equal((await bobApi('GET', `/api/boards/${boardId}/lists/${listId}/cards/${hidden}`)).statusCode, 404);
  t.equal((await bobApi('GET', `/api/boards/${boardId}/cards/${hidden}/comments`)).statusCode, 404);
  t.equal((await bobApi('GET', `/api/boards/${boardId}/export`)).statusCode, 403, 'no export: it would hold every card');
  t.equal((await bobApi('POST', `/api/boards/${boardId}/copy`, {})).statusCode, 403, 'no copy either');
  t.equal((await bobApi('PUT', `/api/boards/${boardId}/lists/${listId}/cards/${theirs}`, { title: 'Changed' })).statusCode, 403, 'read-only');
  t.equal((await bobApi('POST', `/api/boards/${boardId}/cards/${theirs}/comments`, { comment: 'hi' })).statusCode, 403, 'and no comments');
});

t.test('a normal-assigned-only member works on their cards, and bulk calls cannot reach the others', async (t) => {
  const { store, bobApi, boardId, listId, theirs, hidden } = await setUp(t, 'isNormalAssignedOnly');
  t.equal((await bobApi('PUT', `/api/boards/${boardId}/lists/${listId}/cards/${theirs}`, { title: 'Mine now' })).statusCode, 200);
  t.equal((await bobApi('DELETE', `/api/boards/${boardId}/cards/bulk`, { cardIds: [hidden] })).statusCode, 404, 'an unseen card is not found');
  t.equal((await bobApi('PUT', `/api/boards/${boardId}/lists/${listId}/cards/${hidden}`, { title: 'Taken' })).statusCode, 404);
  const own = idOf(await bobApi('POST', '/api/boards', { title: 'Bob\'s' }));
  t.equal((await bobApi('POST', `/api/boards/${boardId}/lists/${listId}/move`, { toBoardId: own })).statusCode, 403,
    'a list (with cards bob does not see) does not leave the board through him');
  t.equal((await bobApi('POST', `/api/boards/${boardId}/lists/${listId}/copy`, { toBoardId: own })).statusCode, 403);
  t.equal((await store.cards.byId(boardId, hidden))!.title, 'Hidden plans', 'nothing changed');
});

t.test('mail about a card goes to an assigned-only member only when it is theirs', async (t) => {
  const smtp = await startSmtp(t);
  const { app, alice, bob, boardUrl, theirs, hidden, store } = await setUp(t, 'isCommentAssignedOnly',
    { WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: 'http://kanban.example.org' });
  await app.ready();
  await until(() => smtp.received.length >= 1); // added to the board
  const before = smtp.received.length;
  await bob.submit(await bob.get(`${boardUrl}/watch`), '/watch', { watch: '1' });
  for (const cardId of [hidden, theirs]) {
    await alice.submit(await alice.get(`${boardUrl}/${cardId}`), '/comments', { comment: `About ${cardId === theirs ? 'yours' : 'the other'} @bob` });
  }
  await until(() => smtp.received.length > before);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const toBob = smtp.received.slice(before).filter((m) => (m.to as { text: string }).text === 'bob@example.org');
  t.ok(toBob.length >= 1);
  t.ok(toBob.some((m) => String(m.text).includes('About yours')), 'mentioned on his card: told');
  t.notOk(toBob.some((m) => /the other|Hidden plans|Theirs too/.test(`${m.subject} ${m.text}`)), 'nothing about cards he may not see',
    { mails: toBob.map((m) => m.subject) });
  t.ok(await store.cards.byId((await store.cards.anywhere(hidden))!.boardId, hidden));
});

t.test('a read-only member sees everything and changes nothing', async (t) => {
  const { bob, bobApi, boardId, listId, hidden, boardUrl } = await setUp(t, 'isReadOnly');
  t.equal((await bob.get(boardUrl)).$('div.card').length, 3);
  t.equal((await bob.get(`${boardUrl}/${hidden}`)).status, 200);
  t.equal((await bobApi('PUT', `/api/boards/${boardId}/lists/${listId}/cards/${hidden}`, { title: 'x' })).statusCode, 403);
  t.equal((await bobApi('POST', `/api/boards/${boardId}/cards/${hidden}/comments`, { comment: 'x' })).statusCode, 403);
  t.equal((await bobApi('GET', `/api/boards/${boardId}/export`)).statusCode, 200, 'a member who sees all may export');
});

