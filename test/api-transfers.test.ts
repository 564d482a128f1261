// Copying and moving lists, swimlanes and cards through the API, as WeKan 11's client does: within a
// board and to another, at a position, deep (cards, checklists, labels, files), and refused whole when
// an id does not agree or the caller may not write where the copy would go.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { storedFiles } from './helpers/files.js';
import { apiAs, idOf, type Api } from './helpers/api.js';
import { signUp, type Browser } from './helpers/browser.js';
import type { Store } from '../server/store/index.js';

/** A board with lists To do / Done, a second swimlane, a labelled card with a checklist, and its ids. */
async function board(api: Api, title = 'Source') {
  const made = await api('POST', '/api/boards', { title });
  const boardId = idOf(made);
  const swimlaneId = (made.json() as { defaultSwimlaneId: string }).defaultSwimlaneId;
  const todo = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' }));
  const done = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'Done' }));
  const lane = idOf(await api('POST', `/api/boards/${boardId}/swimlanes`, { title: 'Second lane' }));
  const label = await api('PUT', `/api/boards/${boardId}/labels`, { label: { name: 'Urgent', color: 'crimson' } });
  const labelId = label.json() as string;
  const cardId = idOf(await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'Write report', swimlaneId, labelIds: [labelId] }));
  const checklistId = idOf(await api('POST', `/api/boards/${boardId}/cards/${cardId}/checklists`, { title: 'Steps', items: ['Draft', 'Send'] }));
  const second = idOf(await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'Second card', swimlaneId: lane }));
  return { boardId, swimlaneId, todo, done, lane, labelId, cardId, checklistId, second };
}

async function titles(api: Api, boardId: string, kind: 'lists' | 'swimlanes') {
  return ((await api('GET', `/api/boards/${boardId}/${kind}`)).json() as { title: string }[]).map((lane) => lane.title);
}

async function attach(store: Store, browser: Browser, boardId: string, cardId: string, name: string, content: string) {
  const board = (await store.boards.byId(boardId))!;
  const card = await browser.get(`/b/${boardId}/${board.slug}/${cardId}`);
  await browser.upload(card, '/attachments', [{ filename: name, content, type: 'text/plain' }]);
}


t.test('a list copied within its board: a new list at the position, with deep copies of its live cards', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  await attach(store, alice, b.boardId, b.cardId, 'notes.txt', 'the notes');
  const archived = idOf(await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/cards`, { title: 'Old one', swimlaneId: b.swimlaneId }));
  await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/cards/${archived}/archive`);

  const copied = await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/copy`, { position: 0 });
  t.equal(copied.statusCode, 200);
  const copyId = idOf(copied);
  t.not(copyId, b.todo, 'a new list');
  t.same(await titles(api, b.boardId, 'lists'), ['To do', 'To do', 'Done'], 'placed first');
  const cards = await store.cards.inList(b.boardId, copyId);
  t.same(cards.map((c) => c.title).sort(), ['Second card', 'Write report'], 'live cards only');
  const copy = cards.find((c) => c.title === 'Write report')!;
  t.equal(copy.swimlaneId, b.swimlaneId, 'each card keeps its swimlane');
  t.same(await store.labels.onCard(copy.id), [b.labelId], 'labels kept');
  const checklist = (await store.checklists.forCard(copy.id))[0]!;
  t.equal(checklist.title, 'Steps');
  const attachments = await store.attachments.forCard(copy.id);
  t.equal(attachments.length, 1, 'files copied');
  t.not(attachments[0]!.id, (await store.attachments.forCard(b.cardId))[0]!.id);
  t.equal(storedFiles(dataDir).length, 2, 'one file each, no strays');
  t.equal((await store.cards.inList(b.boardId, b.todo)).length, 2, 'the original list keeps its cards');
});

t.test('a list moved and copied to another board: labels made there, people kept only if members', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  await signUp(app, 'bob');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  const bob = (await store.users.byUsername('bob'))!.id;
  await api('POST', `/api/boards/${b.boardId}/members/${bob}/add`, { action: 'add', isAdmin: false, isNoComments: false, isCommentOnly: false });
  await api('PUT', `/api/boards/${b.boardId}/lists/${b.todo}/cards/${b.cardId}`, { members: [bob] });
  const target = await board(api, 'Target');

  const copied = await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/copy`, { toBoardId: target.boardId, toSwimlaneId: target.lane, position: 1 });
  t.equal(copied.statusCode, 200, copied.body);
  t.same(await titles(api, target.boardId, 'lists'), ['To do', 'To do', 'Done']);
  const copies = await store.cards.inList(target.boardId, idOf(copied));
  t.equal(copies.length, 2);
  t.ok(copies.every((c) => c.swimlaneId === target.lane), 'all into the swimlane named');
  const urgent = (await store.labels.forBoard(target.boardId)).filter((l) => l.name === 'Urgent');
  t.equal(urgent.length, 1, 'the label the target had is not made twice');

  const third = await board(api, 'Third');
  const moved = await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/move`, { toBoardId: third.boardId });
  t.equal(moved.statusCode, 200, moved.body);
  t.same(moved.json(), { _id: b.todo }, 'a move keeps the id');
  t.same(await titles(api, b.boardId, 'lists'), ['Done']);
  t.same(await titles(api, third.boardId, 'lists'), ['To do', 'Done', 'To do'], 'at the end without a position');
  const card = (await store.cards.byId(third.boardId, b.cardId))!;
  t.equal(card.listId, b.todo);
  t.equal(card.swimlaneId, third.swimlaneId, 'into the first swimlane without toSwimlaneId');
  const labelNames = (await store.labels.onCard(card.id)).length;
  t.equal(labelNames, 1, 'the label travelled');
  t.same((await store.members.onCard(card.id, 'members')), [], 'bob is not on the third board, so not on the card');
  t.equal((await store.checklists.forCard(card.id)).length, 1, 'checklists go along');
});

t.test('a swimlane copied and moved: lists matched by title, missing ones made', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  await api('POST', `/api/boards/${b.boardId}/lists/${b.done}/cards`, { title: 'Finished', swimlaneId: b.swimlaneId });

  const within = await api('POST', `/api/boards/${b.boardId}/swimlanes/${b.swimlaneId}/copy`, { title: 'Copied lane', position: 0 });
  t.equal(within.statusCode, 200, within.body);
  t.same(await titles(api, b.boardId, 'swimlanes'), ['Copied lane', 'Default', 'Second lane']);
  t.same((await store.cards.inSwimlane(b.boardId, idOf(within))).map((c) => c.title).sort(), ['Finished', 'Write report']);

  const target = await api('POST', '/api/boards', { title: 'Target' });
  const targetId = idOf(target);
  const targetDone = idOf(await api('POST', `/api/boards/${targetId}/lists`, { title: 'Done' }));
  const moved = await api('POST', `/api/boards/${b.boardId}/swimlanes/${b.swimlaneId}/move`, { toBoardId: targetId, title: 'Arrived' });
  t.equal(moved.statusCode, 200, moved.body);
  t.same(await titles(api, targetId, 'swimlanes'), ['Default', 'Arrived']);
  t.same(await titles(api, targetId, 'lists'), ['Done', 'To do'], '"Done" matched, "To do" made');
  const finished = (await store.cards.inSwimlane(targetId, b.swimlaneId)).find((c) => c.title === 'Finished')!;
  t.equal(finished.listId, targetDone);
  t.same(await titles(api, b.boardId, 'swimlanes'), ['Copied lane', 'Second lane'], 'gone from the source');
});

t.test('a card copied to another board at a position; defaults to its own cell within the board', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  const within = await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/cards/${b.cardId}/copy`, { position: 0 });
  t.equal(within.statusCode, 200, within.body);
  const cell = await store.cards.cellTitles(b.todo, b.swimlaneId);
  t.equal(cell[0]!.id, idOf(within), 'first in its cell');
  t.equal(cell.length, 2);

  const target = await board(api, 'Target');
  const away = await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/cards/${b.cardId}/copy`,
    { toBoardId: target.boardId, toListId: target.done, toSwimlaneId: target.lane });
  t.equal(away.statusCode, 200, away.body);
  const copy = (await store.cards.byId(target.boardId, idOf(away)))!;
  t.equal(copy.listId, target.done);
  t.equal(copy.swimlaneId, target.lane);
  t.equal((await store.checklists.forCard(copy.id)).length, 1);
});

t.test('ids that do not agree, bad positions and other people\'s boards change nothing', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  await signUp(app, 'mallory');
  const api = await apiAs(app, 'alice');
  const mallory = await apiAs(app, 'mallory');
  const b = await board(api);
  const theirs = await board(mallory, 'Mallory');
  const before = await store.sql.value('SELECT count(*) FROM cards');
  const lists = (await store.sql.value('SELECT count(*) FROM lists'));

  t.equal((await api('POST', `/api/boards/${b.boardId}/lists/${theirs.todo}/copy`)).statusCode, 404, 'a list of another board');
  t.equal((await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/copy`, { toBoardId: theirs.boardId })).statusCode, 404,
    'a board the caller cannot see');
  t.equal((await api('POST', `/api/boards/${b.boardId}/swimlanes/${b.lane}/move`, { toBoardId: theirs.boardId })).statusCode, 404);
  t.equal((await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/copy`, { toSwimlaneId: theirs.lane })).statusCode, 404,
    'a swimlane of another board');
  for (const position of [-1, 1.5, 'first']) {
    const bad = await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/copy`, { position });
    t.equal(bad.statusCode, 422, `position ${position}`);
    t.match(bad.json(), { error: 'invalid', reason: /position/ });
  }
  t.equal((await api('POST', `/api/boards/${b.boardId}/lists/${b.todo}/cards/${b.cardId}/copy`, { toListId: theirs.todo })).statusCode, 404);
  t.equal((await api('POST', `/api/boards/${b.boardId}/lists/${b.done}/cards/${b.cardId}/copy`)).statusCode, 404, 'the card is not in that list');
  t.equal((await mallory('POST', `/api/boards/${b.boardId}/lists/${b.todo}/copy`)).statusCode, 404, 'mallory cannot see the board');
  t.equal(await store.sql.value('SELECT count(*) FROM cards'), before, 'no card made');
  t.equal(await store.sql.value('SELECT count(*) FROM lists'), lists, 'no list made');
});

t.test('a no-comments member may copy a list but not move it, nor a swimlane, off the board', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  await signUp(app, 'nora');
  const api = await apiAs(app, 'alice');
  const nora = await apiAs(app, 'nora');
  const b = await board(api);
  const noraId = (await store.users.byUsername('nora'))!.id;
  await api('POST', `/api/boards/${b.boardId}/members/${noraId}/add`, { action: 'add', isAdmin: false, isNoComments: true, isCommentOnly: false });
  const own = await board(nora, 'Nora\'s');
  const list = await nora('POST', `/api/boards/${b.boardId}/lists/${b.todo}/move`, { toBoardId: own.boardId });
  t.equal(list.statusCode, 403, list.body);
  const lane = await nora('POST', `/api/boards/${b.boardId}/swimlanes/${b.swimlaneId}/move`, { toBoardId: own.boardId });
  t.equal(lane.statusCode, 403);
  t.equal((await store.cards.byId(b.boardId, b.cardId))!.listId, b.todo, 'the card stays');
  t.equal((await nora('POST', `/api/boards/${b.boardId}/lists/${b.todo}/move`, { position: 1 })).statusCode, 200, 'moving it within the board is editing');
});
