// A role's limits hold on every way out of a board: a no-comments member cannot take a card (and its
// comments) to a board of their own, by the page or the API, and is not mailed a comment's text when
// they watch the card or are mentioned in it. A normal member still moves cards between boards.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { apiAs } from './helpers/api.js';
import { boardPath, createBoard, signUp, type Browser, type Page } from './helpers/browser.js';

/** alice's board with a card that has a comment, dan on it as `role`; dan also has a board of his own. */
async function setUp(t: Parameters<typeof startApp>[0], env: Record<string, string> = {}) {
  const started = await startApp(t, env);
  const { app, store } = started;
  const alice = await signUp(app, 'alice');
  const dan = await signUp(app, 'dan');
  let board = await alice.submit(await createBoard(alice, 'Owner'), '/lists', { title: 'Todo' });
  board = await alice.submit(board, '/cards', { title: 'Secret plans' });
  const boardId = boardPath(board).split('/')[2]!;
  const cardId = (await store.sql.value<string>('SELECT id FROM cards WHERE board_id = ?', boardId))!;
  const cardPath = `${boardPath(board)}/${cardId}`;
  const cardPage = await alice.get(cardPath);
  await alice.submit(cardPage, '/comments', { comment: 'The code is 1234' });
  const own = await dan.submit(await createBoard(dan, 'Mine'), '/lists', { title: 'Stolen' });
  const ownId = boardPath(own).split('/')[2]!;
  const ownList = (await store.sql.value<string>('SELECT id FROM lists WHERE board_id = ?', ownId))!;
  const ownLane = (await store.sql.value<string>('SELECT id FROM swimlanes WHERE board_id = ?', ownId))!;
  const join = async (role: string) => {
    const members = await alice.get(`${boardPath(board)}/members`);
    await alice.submit(members, '/members', { username: 'dan', role });
  };
  return { ...started, alice, dan, boardId, cardId, cardPath, ownId, ownList, ownLane, join };
}

async function tryMove(dan: Browser, cardPath: string, to: { boardId: string; listId: string; swimlaneId: string }): Promise<Page> {
  const form = await dan.get(`${cardPath}/move-to-board?boardId=${to.boardId}`);
  if (form.status !== 200) return form;
  return dan.submit(form, `form[method=post][action$="/move-to-board"]`, to);
}

t.test('a no-comments member cannot move a card to another board, by page or API; it stays with its comments', async (t) => {
  const { app, store, dan, boardId, cardId, cardPath, ownId, ownList, ownLane, join } = await setUp(t);
  await join('no-comments');
  const page = await dan.get(cardPath);
  t.equal(page.status, 200);
  t.notMatch(page.text, 'The code is 1234', 'the card page shows no comments');
  t.equal(page.$('a[href$="/move-to-board"]').length, 0, 'and offers no move to another board');
  t.ok(page.$('a[href$="/copy"]').length, 'copying (without comments) is still offered');

  const form = await dan.get(`${cardPath}/move-to-board`);
  t.equal(form.status, 403, 'the move page is refused');
  t.match(form.text, 'they cannot move a card to another board');
  const token = String(page.$('input[name=csrf]').first().val());
  const posted = await dan.post(`${cardPath}/move-to-board`, { csrf: token, boardId: ownId, listId: ownList, swimlaneId: ownLane });
  t.equal(posted.status, 403, 'a hand-made post too');

  const api = await apiAs(app, 'dan');
  const listId = (await store.cards.byId(boardId, cardId))!.listId;
  const byApi = await api('PUT', `/api/boards/${boardId}/lists/${listId}/cards/${cardId}`, { newBoardId: ownId, newListId: ownList });
  t.equal(byApi.statusCode, 403, 'and through the API');

  t.equal((await store.cards.byId(boardId, cardId))?.boardId, boardId, 'the card is still on the owner\'s board');
  t.equal(await store.sql.value('SELECT count(*) FROM comments WHERE board_id = ?', ownId), 0, 'no comment reached dan\'s board');
  t.equal(await store.sql.value('SELECT count(*) FROM comments WHERE board_id = ?', boardId), 1, 'it is still on the card');
});

t.test('a normal member still moves a card to a board of their own, comments and all', async (t) => {
  const { store, dan, boardId, cardId, cardPath, ownId, ownList, ownLane, join } = await setUp(t);
  await join('normal');
  const moved = await tryMove(dan, cardPath, { boardId: ownId, listId: ownList, swimlaneId: ownLane });
  t.equal(moved.status, 200);
  t.equal((await store.cards.byId(ownId, cardId))?.boardId, ownId);
  t.not(boardId, ownId);
  t.equal(await store.sql.value('SELECT count(*) FROM comments WHERE board_id = ?', ownId), 1);
});

t.test('a comment\'s text is not mailed to a no-comments member who watches the card or is mentioned', async (t) => {
  const env = { WAMI_SMTP_URL: 'smtp://127.0.0.1:9', WAMI_BASE_URL: 'http://kanban.example.org' };
  const { app, store, alice, cardId, cardPath, join } = await setUp(t, env);
  await signUp(app, 'erin');
  const members = await alice.get(`${cardPath.split('/').slice(0, 4).join('/')}/members`);
  await alice.submit(members, '/members', { username: 'erin', role: 'normal' });
  await join('no-comments');
  const userId = async (name: string) => (await store.users.byUsername(name))!.id;
  for (const name of ['dan', 'erin']) await store.watchers.watchCard(cardId, await userId(name), true);
  await alice.submit(await alice.get(cardPath), '/comments', { comment: 'Password is hunter2, @dan and @erin' });
  const mailsTo = async (name: string) => (await store.sql.value<number>(
    `SELECT (SELECT count(*) FROM mail_outbox WHERE to_address = ? AND body LIKE '%hunter2%')
          + (SELECT count(*) FROM mail_held WHERE user_id = ? AND body LIKE '%hunter2%')`, `${name}@example.org`, await userId(name)))!;
  t.equal(await mailsTo('erin'), 1, 'a normal member mentioned and watching: one mail with the comment');
  t.equal(await mailsTo('dan'), 0, 'the no-comments member: none, as mention or as watcher');
});
