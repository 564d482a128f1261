// Boards, lists, swimlanes and cards through the pages, as a signed-in user does it.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp, type Page } from './helpers/browser.js';

/** The card titles in each list column of the board page, top to bottom (single swimlane). */
function columns(page: Page): Record<string, string[]> {
  const $ = page.$;
  const heads = $('table.board tr').first().find('th.list').map((_, th) => $(th).find('a').text()).get();
  const result: Record<string, string[]> = {};
  $('table.board tr').slice(1).each((_, tr) => {
    $(tr).find('td').each((i, td) => {
      const titles = $(td).find('div.card > a').map((_, a) => $(a).text()).get();
      result[heads[i]!] = [...(result[heads[i]!] ?? []), ...titles];
    });
  });
  return result;
}

function cardId(page: Page, title: string): string {
  const link = page.$('div.card > a').filter((_, a) => page.$(a).text() === title).first();
  return link.attr('href')!.split('/').pop()!;
}

async function boardWithLists(browser: Browser, lists: string[], cards: Record<string, string[]> = {}) {
  let page = await createBoard(browser, 'Plans');
  for (const list of lists) page = await browser.submit(page, '/lists', { title: list });
  for (const [list, titles] of Object.entries(cards)) {
    const listId = page.$('#new-card-list option').filter((_, o) => page.$(o).text() === list).attr('value')!;
    for (const title of titles) page = await browser.submit(page, '/cards', { title, listId });
  }
  return page;
}

t.test('create a board: it opens with its Default swimlane and the creator as admin', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await createBoard(alice, 'Über Plan');
  t.equal(page.status, 200);
  t.match(page.url, /^\/b\/[23456789A-HJ-NP-Za-km-z]{17}\/uber-plan$/, 'WeKan-style id and slug');
  t.equal(page.$('h1').text(), 'Über Plan');
  t.match(page.text, 'This board has no lists yet');
  const boardId = page.url.split('/')[2]!;
  t.equal((await store.swimlanes.forBoard(boardId, false))[0]?.title, 'Default');
  t.equal((await store.boards.access(boardId, (await store.users.byUsername('alice'))!.id))?.role, 'admin');
  const home = await alice.get('/');
  t.match(home.text, 'Über Plan');
});

t.test('a missing or too long board title is 422 with the form and what was typed', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const home = await alice.get('/');
  const empty = await alice.submit(home, '/boards', { title: '   ' });
  t.equal(empty.status, 422);
  t.match(empty.text, 'Board title is missing');
  const long = 'x'.repeat(1001);
  const tooLong = await alice.submit(home, '/boards', { title: long });
  t.equal(tooLong.status, 422);
  t.match(tooLong.text, 'at most 1000 characters, you typed 1001');
  t.equal(tooLong.$('#new-board').attr('value'), long, 'the typed title is shown again');
  t.equal(await store.sql.value('SELECT count(*) AS n FROM boards'), 0, 'nothing stored');
});

t.test('add lists, swimlanes and cards; the board shows them as a table', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await boardWithLists(alice, ['To do', 'Doing', 'Done'], { 'To do': ['Buy milk', 'Write letter'], Doing: ['Fix bike'] });
  t.same(columns(page), { 'To do': ['Buy milk', 'Write letter'], Doing: ['Fix bike'], Done: [] });
  t.match(page.text, '3 cards');
  t.equal(page.$('table.board th.swimlane').length, 0, 'one swimlane: no swimlane column');
  page = await alice.submit(page, '/swimlanes', { title: 'Urgent' });
  t.same(page.$('table.board th.swimlane a').map((_, a) => page.$(a).text()).get(), ['Default', 'Urgent']);
  // add a card into the Urgent row through the per-cell link and its full page
  const addLink = page.$('table.board tr').eq(2).find('a.add').first().attr('href')!;
  const addPage = await alice.get(addLink);
  t.equal(addPage.$('#swimlaneId option[selected]').text(), 'Urgent');
  page = await alice.submit(addPage, '/cards', { title: 'Call plumber' });
  t.equal(page.$('table.board tr').eq(2).find('div.card a').first().text(), 'Call plumber');
});

t.test('a missing card title is 422 on a page that keeps the chosen list; nothing is stored', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await boardWithLists(alice, ['To do', 'Done']);
  const doneId = page.$('#new-card-list option').last().attr('value')!;
  const refused = await alice.submit(page, '/cards', { title: '', listId: doneId });
  t.equal(refused.status, 422);
  t.match(refused.text, 'Card title is missing');
  t.equal(refused.$('#listId option[selected]').attr('value'), doneId);
  const tooLong = await alice.submit(refused, '/cards', { title: 'é'.repeat(1001) });
  t.equal(tooLong.status, 422);
  t.equal(tooLong.$('#title').attr('value'), 'é'.repeat(1001));
  t.equal(await store.sql.value('SELECT count(*) FROM cards'), 0);
});

t.test('titles with <script> and & are shown as typed, escaped', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const evil = '<script>alert("x")</script> & <b>bold</b>';
  let page = await createBoard(alice, evil);
  page = await alice.submit(page, '/lists', { title: evil });
  page = await alice.submit(page, '/cards', { title: evil });
  t.notMatch(page.body, '<script>alert');
  t.notMatch(page.body, '<b>bold</b>');
  t.match(page.body, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
  t.equal(page.$('h1').text(), evil, 'a reader sees exactly what was typed');
  t.equal(page.$('div.card > a').text(), evil);
  const card = await alice.get(page.$('div.card > a').attr('href')!);
  t.notMatch(card.body, '<script>alert');
  t.equal(card.$('#title').attr('value'), evil);
});

t.test('move one card from its page, to another list, to the top', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await boardWithLists(alice, ['To do', 'Done'], { 'To do': ['A', 'B'], Done: ['C'] });
  const cardPage = await alice.get(page.$('div.card > a').filter((_, a) => page.$(a).text() === 'B').attr('href')!);
  const doneId = cardPage.$('#move-list option').filter((_, o) => cardPage.$(o).text() === 'Done').attr('value')!;
  const moved = await alice.submit(cardPage, '/move', { listId: doneId, position: 'top' });
  t.equal(moved.status, 200);
  t.match(moved.text, 'List Done');
  page = await alice.get(boardPath(page));
  t.same(columns(page), { 'To do': ['A'], Done: ['B', 'C'] });
  const activity = await store.sql.one(`SELECT data FROM activities WHERE activity_type = 'moveCard'`) as { data: string };
  t.match(JSON.parse(activity.data), { oldListId: cardPage.$('#move-list option[selected]').attr('value') });
});

t.test('reorder a card within its list: put it after another', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await boardWithLists(alice, ['To do'], { 'To do': ['A', 'B', 'C'] });
  const cardPage = await alice.get(page.$('div.card > a').first().attr('href')!);
  const afterC = cardPage.$('#reorder option').filter((_, o) => cardPage.$(o).text() === 'after C').attr('value')!;
  await alice.submit(cardPage, '/move', { position: afterC }, undefined);
  t.same(columns(await alice.get(boardPath(page))), { 'To do': ['B', 'C', 'A'] });
});

t.test('pick several cards with checkboxes and move them together, keeping their order', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await boardWithLists(alice, ['To do', 'Done'], { 'To do': ['A', 'B', 'C'], Done: ['D'] });
  const versionBefore = (await store.boards.byId(boardPath(page).split('/')[2]!))!.version;
  const doneId = page.$('#move-list option').filter((_, o) => page.$(o).text() === 'Done').attr('value')!;
  page = await alice.submit(page, '/selected', { card: [cardId(page, 'C'), cardId(page, 'A')], listId: doneId, position: 'bottom' }, 'move');
  t.equal(page.status, 200);
  t.same(columns(page), { 'To do': ['B'], Done: ['D', 'A', 'C'] });
  const board = (await store.boards.byId(boardPath(page).split('/')[2]!))!;
  t.ok(board.version > versionBefore, 'the board version went up');
  t.equal(await store.sql.value(`SELECT count(*) FROM activities WHERE activity_type = 'moveCard'`), 2, 'one activity per moved card');
});

t.test('moving with no card ticked is 422 and changes nothing', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await boardWithLists(alice, ['To do', 'Done'], { 'To do': ['A'] });
  const boardId = boardPath(page).split('/')[2]!;
  const version = (await store.boards.byId(boardId))!.version;
  const refused = await alice.submit(page, '/selected', {}, 'move');
  t.equal(refused.status, 422);
  t.match(refused.text, 'Pick at least one card');
  t.equal((await store.boards.byId(boardId))!.version, version);
});

t.test('a card or list of another board cannot be smuggled into a move', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const other = await boardWithLists(alice, ['Elsewhere'], { Elsewhere: ['X'] });
  const otherListId = other.$('#new-card-list option').first().attr('value')!;
  const page = await boardWithLists(alice, ['To do'], { 'To do': ['A'] });
  const wrongList = await alice.submit(page, '/selected', { card: cardId(page, 'A'), listId: otherListId }, 'move');
  t.equal(wrongList.status, 422);
  const wrongCard = await alice.submit(page, '/selected', { card: cardId(other, 'X') }, 'move');
  t.equal(wrongCard.status, 422);
  const badPosition = await alice.submit(page, '/selected', { card: cardId(page, 'A'), position: 'sideways' }, 'move');
  t.equal(badPosition.status, 422);
  t.same(columns(await alice.get(boardPath(other))), { Elsewhere: ['X'] });
  t.equal(await store.sql.value(`SELECT count(*) FROM activities WHERE activity_type = 'moveCard'`), 0);
});

t.test('archive picked cards, see them in the archive, restore one', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await boardWithLists(alice, ['To do'], { 'To do': ['A', 'B', 'C'] });
  page = await alice.submit(page, '/selected', { card: [cardId(page, 'A'), cardId(page, 'C')] }, 'archive');
  t.same(columns(page), { 'To do': ['B'] });
  const archive = await alice.get(`${boardPath(page)}/archived`);
  const archivedTitles = archive.$('h2:contains("Cards") + table td a').map((_, a) => archive.$(a).text()).get();
  t.same(archivedTitles.sort(), ['A', 'C']);
  const restoreForm = archive.$('form').filter((_, f) => archive.$(f).closest('tr').find('a').text() === 'A').attr('action')!;
  const restored = await alice.submit(archive, restoreForm);
  t.equal(restored.$('h1').text(), 'A', 'back on the card page');
  t.notMatch(restored.text, 'This card is archived');
  t.same(columns(await alice.get(boardPath(page))), { 'To do': ['A', 'B'] });
});

t.test('archive and restore a list and a swimlane from their pages', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let page = await boardWithLists(alice, ['To do', 'Old'], { Old: ['Z'] });
  const listPage = await alice.get(`${page.$('th.list a').filter((_, a) => page.$(a).text() === 'Old').attr('href')!}/settings`);
  page = await alice.submit(listPage, '/archive');
  t.same(Object.keys(columns(page)), ['To do'], 'the archived list and its cards are gone from the board');
  t.match(page.text, '0 cards', 'and from the count');
  t.match((await alice.get('/')).$('table.boards td[align=right]').text(), '0');
  const archive = await alice.get(`${boardPath(page)}/archived`);
  t.match(archive.text, 'Lists Title Archived Action Old 2');
  page = await alice.submit(archive, archive.$('h2:contains("Lists") + table form').attr('action')!);
  t.same(columns(page), { 'To do': [], Old: ['Z'] });
  page = await alice.submit(page, '/swimlanes', { title: 'Later' });
  const swimlanePage = await alice.get(page.$('th.swimlane a').filter((_, a) => page.$(a).text() === 'Later').attr('href')!);
  const renamed = await alice.submit(swimlanePage, '/title', { title: 'Someday' });
  t.same(renamed.$('th.swimlane a').map((_, a) => renamed.$(a).text()).get(), ['Default', 'Someday']);
  const types = await store.sql.column('SELECT activity_type FROM activities ORDER BY board_version');
  t.match(types, ['createBoard', 'createSwimlane', 'createList', 'createList', 'createCard', 'archivedList', 'restoredList', 'createSwimlane', 'changedSwimlaneTitle']);
});

t.test('rename, archive and restore a board', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await createBoard(alice, 'Old name');
  const settings = await alice.get(`${boardPath(page)}/settings`);
  const renamed = await alice.submit(settings, '/settings', { title: 'New name' });
  t.match(renamed.url, /\/new-name\/settings$/, 'the slug follows the title');
  t.equal(renamed.$('p.crumbs a').eq(1).text(), 'New name');
  const empty = await alice.submit(await alice.get(`${boardPath(renamed)}/settings`), '/settings', { title: '' });
  t.equal(empty.status, 422);
  const home = await alice.submit(await alice.get(`${boardPath(renamed)}/settings`), '/archive');
  t.notMatch(home.text, 'New name', 'gone from all boards');
  const archived = await alice.get('/archived-boards');
  t.match(archived.text, 'New name');
  const restored = await alice.submit(archived, '/restore');
  t.equal(restored.$('h1').text(), 'New name');
  t.match((await alice.get('/')).text, 'New name');
});

t.test('archive a board from the all-boards page', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await createBoard(alice, 'Keep');
  await createBoard(alice, 'Drop');
  const home = await alice.get('/');
  const dropRow = home.$('table.boards tr').filter((_, tr) => home.$(tr).find('a').first().text() === 'Drop');
  const after = await alice.submit(home, dropRow.find('form').attr('action')!);
  t.same(after.$('table.boards td a').map((_, a) => after.$(a).text()).get(), ['Keep']);
  t.equal(await store.sql.value(`SELECT archived FROM boards WHERE title = 'Drop'`), 1);
  const bob = await signUp(app, 'bob');
  const bobsToken = (await bob.get('/')).$('input[name=csrf]').attr('value')!;
  const keepId = await store.sql.value(`SELECT id FROM boards WHERE title = 'Keep'`);
  t.equal((await bob.post(`/b/${keepId}/keep/archive`, { csrf: bobsToken })).status, 404, 'not his board');
  t.equal(await store.sql.value(`SELECT archived FROM boards WHERE title = 'Keep'`), 0);
});

t.test('edit a card title and description from its page', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await boardWithLists(alice, ['To do'], { 'To do': ['Draft'] });
  let card = await alice.get(page.$('div.card > a').attr('href')!);
  card = await alice.submit(card, '/title', { title: 'Final' });
  t.equal(card.$('h1').text(), 'Final');
  card = await alice.submit(card, '/description', { description: 'Line one\r\nLine two & more' });
  t.equal(card.$('#description').text(), 'Line one\nLine two & more');
  const emptyTitle = await alice.submit(card, '/title', { title: '' });
  t.equal(emptyTitle.status, 422);
  t.equal(await store.sql.value('SELECT title FROM cards'), 'Final');
});

t.test('unknown boards and cards are 404 pages', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await createBoard(alice, 'Mine');
  for (const url of ['/b/AAAAAAAAAAAAAAAAA/x', `${boardPath(page)}/AAAAAAAAAAAAAAAAA`, '/b/<bad>/x', `${boardPath(page)}/lists/nope`, '/no/such/page']) {
    const response = await alice.get(url);
    t.equal(response.status, 404, url);
    t.match(response.text, 'Not found');
  }
});

t.test("someone else's private board is a 404, for pages and forms alike", async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await boardWithLists(alice, ['To do'], { 'To do': ['Secret'] });
  const bob = await signUp(app, 'bob');
  const path = boardPath(page);
  t.equal((await bob.get(path)).status, 404);
  t.equal((await bob.get(page.$('div.card > a').attr('href')!)).status, 404);
  const bobsToken = (await bob.get('/')).$('input[name=csrf]').attr('value')!;
  const post = await bob.post(`${path}/cards`, { csrf: bobsToken, title: 'Intruder', listId: 'x', swimlaneId: 'y' });
  t.equal(post.status, 404);
  t.equal(await store.sql.value('SELECT count(*) FROM cards'), 1);
  t.notMatch((await bob.get('/')).text, 'Plans');
});

t.test('a form with a wrong CSRF token is 403 and changes nothing', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await boardWithLists(alice, ['To do'], { 'To do': ['A'] });
  const before = await store.sql.value('SELECT version FROM boards');
  for (const csrf of ['', 'wrong', (await signUp(app, 'mallory').then((m) => m.get('/'))).$('input[name=csrf]').attr('value')!]) {
    const refused = await alice.submit(page, '/cards', { title: 'Forged', csrf });
    t.equal(refused.status, 403);
    t.match(refused.text, 'This form is out of date');
  }
  t.equal(await store.sql.value('SELECT count(*) FROM cards'), 1);
  t.equal(await store.sql.value('SELECT version FROM boards'), before);
});

t.test('signed-out visitors are sent to sign in, and back afterwards', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice', 'password123');
  const page = await createBoard(alice, 'Mine');
  const visitor = new Browser(app);
  const signIn = await visitor.get(boardPath(page));
  t.match(signIn.url, /^\/sign-in\?next=/);
  const back = await visitor.submit(signIn, '/sign-in', { username: 'alice', password: 'password123' });
  t.equal(back.url, boardPath(page));
  const post = await new Browser(app).post(`${boardPath(page)}/cards`, { title: 'x' }, false);
  t.equal(post.status, 303, 'a POST without a session is sent to sign in too');
});

t.test("WeKan's /boards URLs redirect to /b/", async (t) => {
  const { app } = await startApp(t);
  const redirects: [string, string][] = [['/boards', '/'], ['/boards/abc/slug', '/b/abc/slug'], ['/boards/abc/slug/card1', '/b/abc/slug/card1']];
  for (const [from, to] of redirects) {
    const response = await app.inject({ url: from });
    t.equal(response.statusCode, 301, from);
    t.equal(new URL(String(response.headers.location), 'http://wami.test').pathname, to);
  }
});

t.test('roles: a comment-only member may look but not change; a worker may move but not add', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await boardWithLists(alice, ['To do', 'Done'], { 'To do': ['A'] });
  const boardId = boardPath(page).split('/')[2]!;
  const cora = await signUp(app, 'cora');
  const will = await signUp(app, 'will');
  const addMember = (userId: string, role: string) =>
    store.sql.run('INSERT INTO board_members (board_id, user_id, role) VALUES (?, ?, ?)', boardId, userId, role);
  await addMember((await store.users.byUsername('cora'))!.id, 'comment-only');
  await addMember((await store.users.byUsername('will'))!.id, 'worker');
  const version = async () => (await store.boards.byId(boardId))!.version;
  const before = await version();

  const coraBoard = await cora.get(boardPath(page));
  t.equal(coraBoard.status, 200, 'a comment-only member sees the board');
  t.equal(coraBoard.$('#new-card').length, 0, 'without forms to change it');
  t.equal(coraBoard.$('input[name=card]').length, 0);
  const coraToken = coraBoard.$('input[name=csrf]').attr('value')!;
  const refused = await cora.post(`${boardPath(page)}/cards`, { csrf: coraToken, title: 'Nope', listId: 'x', swimlaneId: 'y' });
  t.equal(refused.status, 403);
  t.match(refused.text, 'Comment-only members may look at the board and comment on cards');

  const willBoard = await will.get(boardPath(page));
  t.equal(willBoard.$('#new-card').length, 0, 'a worker gets no add-card form');
  const willToken = willBoard.$('input[name=csrf]').attr('value')!;
  t.equal((await will.post(`${boardPath(page)}/lists`, { csrf: willToken, title: 'Nope' })).status, 403);
  t.equal(await version(), before, 'nothing changed so far');
  const moved = await will.submit(willBoard, '/selected', { card: cardId(willBoard, 'A'), listId: willBoard.$('#move-list option').last().attr('value')! }, 'move');
  t.equal(moved.status, 200, 'but a worker moves cards');
  t.same(columns(moved), { 'To do': [], Done: ['A'] });
  t.equal(moved.$('input[name=archive]').length, 0, 'the worker sees no Archive button');
  const archive = await will.post(`${boardPath(page)}/selected`, { csrf: willToken, card: cardId(moved, 'A'), archive: 'Archive' });
  t.equal(archive.status, 403, 'and may not archive cards');
  t.equal(await store.sql.value('SELECT archived FROM cards'), 0);
});
