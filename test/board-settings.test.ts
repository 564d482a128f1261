// The board settings page: title, colour, description, visibility; labels on the board and on cards.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

t.test('change colour, description and visibility; a public board is readable without an account', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const board = await createBoard(alice, 'Roadmap');
  const path = boardPath(board);
  const settings = await alice.get(`${path}/settings`);
  t.equal((await validateHtml(settings.body, 'board-settings')).valid, true);
  const saved = await alice.submit(settings, '/settings', { color: 'pumpkin', description: 'What we ship', permission: 'public' });
  t.equal(saved.$('#color option[selected]').text(), 'pumpkin');
  t.match(await store.boards.byId(path.split('/')[2]!), { color: 'pumpkin', description: 'What we ship', permission: 'public' });
  const visitor = new Browser(app);
  const seen = await visitor.get(path);
  t.equal(seen.status, 200);
  t.match(seen.text, 'you are visitor');
  t.equal(seen.$('form[action$="/cards"]').length, 0, 'no forms for visitors');
  const back = await alice.submit(saved, '/settings', { permission: 'private' });
  t.equal(back.status, 200);
  t.match((await visitor.get(path, false)).status, 303, 'private again: visitors are asked to sign in');
});

t.test('bad settings are 422 with the form as typed; nothing changes', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const board = await createBoard(alice, 'Roadmap');
  const settings = await alice.get(`${boardPath(board)}/settings`);
  const refused = await alice.submit(settings, '/settings', { title: 'New', color: 'ultraviolet', permission: 'everyone' });
  t.equal(refused.status, 422);
  t.match(refused.text, 'Choose a board colour from the list');
  t.match(refused.text, 'Choose private or public');
  t.equal(refused.$('#title').attr('value'), 'New');
  t.equal((await validateHtml(refused.body, 'board-settings-422')).valid, true);
  t.match(await store.sql.one('SELECT title, color, permission FROM boards'), { title: 'Roadmap', color: 'belize', permission: 'private' });
});

t.test('a new board has six labels; add, rename, recolour and delete them', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const board = await createBoard(alice, 'Labels');
  const boardId = boardPath(board).split('/')[2]!;
  t.same((await store.labels.forBoard(boardId)).map((l) => l.color), ['green', 'yellow', 'orange', 'red', 'purple', 'blue']);
  let settings = await alice.get(`${boardPath(board)}/settings`);
  settings = await alice.submit(settings, '/labels', { name: 'Bug <urgent>', color: 'crimson' });
  const bug = (await store.labels.forBoard(boardId)).find((l) => l.name === 'Bug <urgent>')!;
  t.equal(bug.color, 'crimson');
  t.match(settings.text, '[Bug <urgent>]');
  settings = await alice.submit(settings, `/labels/${bug.id}`, { name: 'Bug', color: 'red' });
  t.match(await store.labels.byId(boardId, bug.id), { name: 'Bug', color: 'red' });
  const refused = await alice.submit(settings, `/labels/${bug.id}`, { name: 'x'.repeat(101), color: 'red' });
  t.equal(refused.status, 422);
  t.equal((await store.labels.byId(boardId, bug.id))?.name, 'Bug', 'unchanged');
  settings = await alice.submit(settings, `/labels/${bug.id}/delete`);
  t.equal(await store.labels.byId(boardId, bug.id), undefined);
  t.equal((await alice.post(`${boardPath(board)}/labels/nolabel/delete`, { csrf: settings.$('input[name=csrf]').attr('value')! })).status, 404);
});

t.test('pick labels on a card; a label of another board is refused with 422', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const other = await createBoard(alice, 'Other');
  const foreign = (await store.labels.forBoard(boardPath(other).split('/')[2]!))[0]!;
  let board = await createBoard(alice, 'Work');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Fix it' });
  const boardId = boardPath(board).split('/')[2]!;
  const [green, , , red] = await store.labels.forBoard(boardId);
  let card = await alice.get(board.$('div.card > a').attr('href')!);
  card = await alice.submit(card, '/labels', { label: [green!.id, red!.id] });
  t.same((await store.labels.onCard(card.url.split('/').pop()!)).sort(), [green!.id, red!.id].sort());
  t.equal(card.$('input[name=label][checked]').length, 2);
  t.match((await alice.get(boardPath(board))).$('div.card').text(), '[green] [red]');
  card = await alice.submit(card, '/labels', { label: [red!.id] });
  t.same(await store.labels.onCard(card.url.split('/').pop()!), [red!.id], 'unticked labels come off');
  const refused = await alice.submit(card, '/labels', { label: [green!.id, foreign.id] });
  t.equal(refused.status, 422);
  t.match(refused.text, 'not a label of this board');
  t.same(await store.labels.onCard(card.url.split('/').pop()!), [red!.id], 'nothing changed');
  t.equal((await validateHtml(refused.body, 'card-labels-422')).valid, true);
  const types = await store.sql.column(`SELECT activity_type FROM activities WHERE activity_type LIKE '%Label'`);
  t.same(types, ['addedLabel', 'addedLabel', 'removedLabel']);
});

t.test('copy a board from its settings page: everything on it, its files copied; visitors may not', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Template');
  const path = boardPath(board);
  board = await alice.submit(board, '/lists', { title: 'Steps' });
  board = await alice.submit(board, '/cards', { title: 'Step one' });
  const cardLink = board.$('a').filter((_, a) => board.$(a).text() === 'Step one').attr('href')!;
  await alice.upload(await alice.get(cardLink), '/attachments', [{ filename: 'plan.txt', content: 'the plan' }]);
  const settings = await alice.get(`${path}/settings`);
  t.equal(settings.$('input#copy-title').attr('value'), 'Copy of Template');
  t.equal((await validateHtml(settings.body, 'board-settings-copy')).valid, true);
  const refused = await alice.submit(settings, '/copy', { title: ' ' });
  t.equal(refused.status, 422);
  t.match(refused.text, 'Title of the copy');
  const copy = await alice.submit(settings, '/copy', { title: 'Project X' });
  t.equal(copy.status, 200);
  t.match(copy.text, 'Project X');
  t.match(copy.text, 'Step one');
  const copyId = copy.url.split('/')[2]!;
  t.not(copyId, path.split('/')[2]);
  const attachments = await store.sql.all('SELECT board_id, id FROM attachments') as { board_id: string; id: string }[];
  t.equal(attachments.length, 2, 'the copy has a file of its own');
  const copied = attachments.find((a) => a.board_id === copyId)!;
  const copyCard = copy.$('a').filter((_, a) => copy.$(a).text() === 'Step one').attr('href')!;
  const download = await alice.get(`${copyCard}/attachments/${copied.id}/plan.txt`);
  t.equal(download.text, 'the plan');

  await alice.submit(settings, '/settings', { title: 'Template', color: 'belize', description: '', permission: 'public' });
  const visitor = await signUp(app, 'bob');
  const seen = await visitor.get(`${path}/settings`);
  t.equal(seen.$('input#copy-title').length, 0, 'no copy form for a visitor');
  const forged = await visitor.post(`${path}/copy`, { csrf: String(seen.$('input[name=csrf]').first().val()), title: 'Mine now' });
  t.equal(forged.status, 403);
});
