// Card order within a cell: a move writes only the moved cards' rows (a sort between the new neighbours'),
// and hundreds of random moves leave every list in the order a reader expects, also once the room
// between two neighbours runs out and the cell is renumbered.
import t from 'tap';
import type { Test } from 'tap';
import { inOrder, storeUnderTest } from './helpers/app.js';
import type { Placement } from '../server/store/cards.js';

async function boardWithTwoLists(t: Test, perList: number) {
  const store = await storeUnderTest(t);
  const user = await store.users.create({ username: 'alice', email: null, passwordHash: 'x' });
  const board = await store.boards.create(user.id, 'Board');
  const swimlaneId = (await store.swimlanes.forBoard(board.id, false))[0]!.id;
  const lists = await inOrder(['To do', 'Done'], async (title) => (await store.lists.create(user.id, board.id, title)).id);
  const create = async (title: string, listId: string) => await store.cards.create(user.id, { boardId: board.id, listId, swimlaneId, title });
  const titles = async (listId: string) => (await store.cards.cellTitles(listId, swimlaneId)).map((c) => c.title);
  const idOf = async (title: string) => await store.sql.value('SELECT id FROM cards WHERE title = ?', title) as string;
  const move = async (titles: string[], listId: string, placement: Placement) =>
    await store.cards.move(user.id, board.id, await Promise.all(titles.map(idOf)), { listId, swimlaneId, placement });
  const rows = async () => new Map((await store.sql.all('SELECT title, sort, list_id AS "listId", modified_at AS at FROM cards') as
    { title: string; sort: number; listId: string; at: string }[]).map((r) => [r.title, JSON.stringify(r)]));
  for (const listId of lists) {
    for (let i = 0; i < perList; i++) await create(`${listId === lists[0] ? 'T' : 'D'}${i}`, listId);
  }
  const sorts = async (listId: string) => (await store.cards.cellTitles(listId, swimlaneId)).map((c) => c.sort);
  return { store, lists, titles, sorts, idOf, create, move, rows };
}

t.test('a move to the top, the bottom or between two cards writes the moved card and nothing else', async (t) => {
  const { lists: [toDo, done], titles, idOf, move, rows } = await boardWithTwoLists(t, 5);
  const cases: [string, string, Placement, string[]][] = [
    ['T2', done!, { at: 'top' }, ['T2', 'D0', 'D1', 'D2', 'D3', 'D4']],
    ['T3', done!, { at: 'bottom' }, ['T2', 'D0', 'D1', 'D2', 'D3', 'D4', 'T3']],
    ['T0', done!, { at: 'after', id: (await idOf('D1')) }, ['T2', 'D0', 'D1', 'T0', 'D2', 'D3', 'D4', 'T3']],
    ['D4', toDo!, { at: 'after', id: (await idOf('T1')) }, ['T2', 'D0', 'D1', 'T0', 'D2', 'D3', 'T3']],
  ];
  for (const [title, listId, placement, doneAfter] of cases) {
    const before = await rows();
    t.equal(await move([title], listId, placement), 1, `${title} moved`);
    const after = await rows();
    const changed = [...after].filter(([name, row]) => before.get(name) !== row).map(([name]) => name);
    t.same(changed, [title], `only ${title}'s row is written`);
    t.same(await titles(done!), doneAfter);
  }
  t.same(await titles(toDo!), ['T1', 'D4', 'T4']);
});

t.test('a move to where the card already is changes nothing and records nothing', async (t) => {
  const { store, lists: [toDo], idOf, move, rows } = await boardWithTwoLists(t, 3);
  const before = await rows();
  const activities = await store.sql.value('SELECT count(*) FROM activities');
  t.equal(await move(['T0'], toDo!, { at: 'top' }), 0);
  t.equal(await move(['T2'], toDo!, { at: 'bottom' }), 0);
  t.equal(await move(['T1'], toDo!, { at: 'after', id: (await idOf('T0')) }), 0);
  t.equal(await move(['T1', 'T2'], toDo!, { at: 'after', id: (await idOf('T0')) }), 0, 'several cards, already in that order there');
  t.same(await rows(), before);
  t.equal(await store.sql.value('SELECT count(*) FROM activities'), activities);
  t.equal(await move(['T2', 'T1'], toDo!, { at: 'top' }), 2, 'two cards to the top, kept in their order');
  await t.rejects(move(['T0'], toDo!, { at: 'after', id: (await idOf('T0')) }), /not in that list/, 'not after itself');
});

t.test('sixty moves into the same narrowing gap: the cell is renumbered when the room runs out, order kept', async (t) => {
  const { lists: [toDo, done], titles, sorts, idOf, create, move } = await boardWithTwoLists(t, 2);
  // Each new card goes right after the one moved before it, so the room below it halves every time:
  // doubles run out of it after some fifty halvings.
  const expected = ['D0', 'D1'];
  let renumbered = 0;
  for (let i = 0; i < 60; i++) {
    const anchor = i === 0 ? 'D0' : `N${i - 1}`;
    await create(`N${i}`, toDo!);
    await move([`N${i}`], done!, { at: 'after', id: (await idOf(anchor)) });
    expected.splice(expected.indexOf(anchor) + 1, 0, `N${i}`);
    t.same(await titles(done!), expected, `after move ${i + 1}`);
    if (i > 1 && (await sorts(done!)).filter((sort) => !Number.isInteger(sort)).length === 1) renumbered++; // all whole again but the new one
  }
  const final = await sorts(done!);
  t.ok(final.every((sort, i) => i === 0 || sort > final[i - 1]!), 'the sorts are strictly increasing: no ties were made');
  t.ok(renumbered > 0, 'the cell was renumbered 0..n-1 at least once');
});

t.test('500 random moves of one or several cards agree with a model of the lists', async (t) => {
  const { lists, titles, idOf, move } = await boardWithTwoLists(t, 8);
  const model = new Map(await inOrder(lists, async (listId) => [listId, await titles(listId)] as const));
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let step = 0; step < 500; step++) {
    const all = lists.flatMap((listId) => model.get(listId)!); // board order: list by list, top to bottom
    const picked = new Set(Array.from({ length: 1 + random(3) }, () => all[random(all.length)]!));
    const moving = all.filter((title) => picked.has(title));
    const listId = lists[random(2)]!;
    const staying = model.get(listId)!.filter((title) => !picked.has(title));
    const anchor = staying[random(Math.max(staying.length, 1))];
    const kind = random(3);
    const placement: Placement = kind === 0 ? { at: 'top' } : kind === 1 || !anchor ? { at: 'bottom' } : { at: 'after', id: (await idOf(anchor)) };
    const at = placement.at === 'top' ? 0 : placement.at === 'bottom' ? staying.length : staying.indexOf(anchor!) + 1;
    for (const [id, cell] of model) model.set(id, cell.filter((title) => !picked.has(title)));
    model.set(listId, [...staying.slice(0, at), ...moving, ...staying.slice(at)]);
    await move(moving, listId, placement);
    let wrong: string | undefined;
    for (const id of lists) if (!wrong && JSON.stringify(await titles(id)) !== JSON.stringify(model.get(id))) wrong = id;
    if (wrong) {
      t.same(await titles(wrong), model.get(wrong), `step ${step}: ${JSON.stringify(placement)} of ${moving.join(', ')}`);
      return;
    }
  }
  t.pass('every list matched the model after each of the 500 moves');
});
