// Board members and their roles; members and assignees on cards.
import t from 'tap';
import { startApp, inOrder } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

t.test('add members by username with a role, change roles, remove; the last admin stays', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  const board = await createBoard(alice, 'Team');
  const path = boardPath(board);
  const boardId = path.split('/')[2]!;
  let page = await alice.get(`${path}/members`);
  t.equal((await validateHtml(page.body, 'members')).valid, true);
  page = await alice.submit(page, '/members', { username: 'bob', role: 'worker' });
  t.same((await store.members.forBoard(boardId)).map((m) => [m.username, m.role]), [['alice', 'admin'], ['bob', 'worker']]);
  t.equal((await bob.get(path)).status, 200, 'bob sees the board now');

  const unknown = await alice.submit(page, '/members', { username: 'nobody', role: 'normal' });
  t.equal(unknown.status, 422);
  t.match(unknown.text, 'There is no account named "nobody"');
  t.equal(unknown.$('#username').attr('value'), 'nobody', 'the typed name is kept');
  t.equal((await validateHtml(unknown.body, 'members-422')).valid, true);
  const twice = await alice.submit(page, '/members', { username: 'bob', role: 'normal' });
  t.equal(twice.status, 409);
  const badRole = await alice.submit(page, '/members', { username: 'bob', role: 'king' });
  t.equal(badRole.status, 422);

  const bobId = (await store.users.byUsername('bob'))!.id;
  const aliceId = (await store.users.byUsername('alice'))!.id;
  page = await alice.submit(page, `/members/${bobId}`, { role: 'admin' });
  t.equal((await store.boards.access(boardId, bobId))?.role, 'admin');
  page = await alice.submit(page, `/members/${bobId}`, { role: 'normal' });
  const lastAdmin = await alice.submit(page, `/members/${aliceId}`, { role: 'normal' });
  t.equal(lastAdmin.status, 409);
  t.match(lastAdmin.text, 'A board needs at least one admin');
  const removeLast = await alice.submit(page, `/members/${aliceId}/remove`);
  t.equal(removeLast.status, 409);
  t.equal((await store.boards.access(boardId, aliceId))?.role, 'admin', 'alice is still admin');

  page = await alice.submit(page, `/members/${bobId}/remove`);
  t.equal((await bob.get(path)).status, 404, 'a removed member no longer sees a private board');
  t.equal(await store.sql.value('SELECT is_active FROM board_members WHERE user_id = ?', bobId), 0, 'kept inactive, as WeKan');
  page = await alice.submit(page, '/members', { username: 'bob', role: 'comment-only' });
  t.equal((await store.boards.access(boardId, bobId))?.role, 'comment-only', 'added again, with the new role');
});

t.test('only board admins change members', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  await signUp(app, 'carol');
  const board = await createBoard(alice, 'Team');
  const path = boardPath(board);
  await alice.submit(await alice.get(`${path}/members`), '/members', { username: 'bob', role: 'normal' });
  const bobsPage = await bob.get(`${path}/members`);
  t.equal(bobsPage.status, 200, 'members see the list');
  t.equal(bobsPage.$('form[action$="/members"]').length, 0, 'without forms');
  const token = bobsPage.$('input[name=csrf]').attr('value')!;
  const refused = await bob.post(`${path}/members`, { csrf: token, username: 'carol', role: 'admin' });
  t.equal(refused.status, 403);
  t.equal((await store.members.forBoard(path.split('/')[2]!)).length, 2);
});

t.test('members and assignees on a card must be board members; a worker assigns only themself', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const will = await signUp(app, 'will');
  await signUp(app, 'stranger');
  let board = await createBoard(alice, 'Work');
  const path = boardPath(board);
  await alice.submit(await alice.get(`${path}/members`), '/members', { username: 'will', role: 'worker' });
  board = await alice.submit(await alice.get(path), '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Paint fence' });
  const cardUrl = board.$('div.card > a').attr('href')!;
  const cardId = cardUrl.split('/').pop()!;
  const [aliceId, willId, strangerId] = await Promise.all(await inOrder(['alice', 'will', 'stranger'], async (u) => (await store.users.byUsername(u))!.id));

  let card = await alice.get(cardUrl);
  card = await alice.submit(card, '/members', { member: [aliceId!, willId!] });
  t.same((await store.members.onCard(cardId, 'members')).sort(), [aliceId, willId].sort());
  card = await alice.submit(card, '/assignees', { assignee: [aliceId!] });
  t.same(await store.members.onCard(cardId, 'assignees'), [aliceId]);
  t.match(card.text, 'Assignees @alice');
  t.equal((await validateHtml(card.body, 'card-people')).valid, true);
  const refused = await alice.submit(card, '/members', { member: [strangerId!] });
  t.equal(refused.status, 422);
  t.match(refused.text, 'not a member of this board');
  t.same((await store.members.onCard(cardId, 'members')).sort(), [aliceId, willId].sort(), 'nothing changed');

  let willsCard = await will.get(cardUrl);
  t.equal(willsCard.$('form[action$="/assignees"]').length, 0, 'the worker gets no assignee checkboxes');
  willsCard = await will.submit(willsCard, '/assign-me');
  t.same((await store.members.onCard(cardId, 'assignees')).sort(), [aliceId, willId].sort(), 'will assigned himself');
  t.equal(willsCard.$('input[value="Unassign me"]').length, 1);
  const token = willsCard.$('input[name=csrf]').attr('value')!;
  t.equal((await will.post(`${cardUrl}/assignees`, { csrf: token, assignee: [willId!] })).status, 403, 'but may not set others');
  await will.submit(willsCard, '/assign-me');
  t.same(await store.members.onCard(cardId, 'assignees'), [aliceId], 'and unassigns himself');
});
