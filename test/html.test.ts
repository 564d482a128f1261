// Every page type passes the HTML 4.01 Transitional validator and stays under the 40 KB page budget.
import type { Test } from 'tap';
import t from 'tap';
import { startApp, inOrder } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';
import { gluedWords } from './helpers/glued.js';
import * as cheerio from 'cheerio';
import { LANGUAGE_CODES, type Language } from '../server/i18n/messages.js';
import { profileOf } from '../server/store/users.js';

const PAGE_BUDGET = 40 * 1024;

async function assertValid(t: Test, language: Language, pageName: string, shown: Page, status?: number) {
  const name = `${pageName}-${language}`;
  const { body } = shown;
  if (status !== undefined) t.equal(shown.status, status, `${name}: status`);
  t.equal(shown.$('html').attr('lang'), language, `${name}: in ${language}`);
  t.match(String(shown.headers['content-type']), 'text/html; charset=utf-8', `${name}: content type`);
  t.ok(body.startsWith('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"'), `${name}: doctype`);
  t.notMatch(body, /<br\s*\/>|<script/i, `${name}: no XHTML breaks, no scripts`);
  t.same(unlabelledControls(shown), [], `${name}: every form control has a label (or a title, where a label cannot sit)`);
  t.same(gluedWords(shown.$), [], `${name}: no word glued to a link, button or list`);
  const result = await validateHtml(body, name);
  t.ok(result.valid, `${name} is valid HTML 4.01`, { report: result.report });
  // the page-weight budget for every page but a big board (test/page-weight.test.ts has that one)
  t.ok(Buffer.byteLength(body) < PAGE_BUDGET, `${name}: ${Math.round(Buffer.byteLength(body) / 1024)} KB, under 40 KB`);
}

/** Text boxes, selects, checkboxes and file boxes with neither a <label for> nor a title: a screen reader or Lynx would not say what they are for. */
function unlabelledControls(page: Page): string[] {
  const labelled = new Set(page.$('label[for]').toArray().map((el) => page.$(el).attr('for')));
  return page.$('input, select, textarea').toArray().filter((el) => {
    const field = page.$(el);
    const type = (field.attr('type') ?? 'text').toLowerCase();
    if (el.tagName === 'input' && ['hidden', 'submit', 'reset', 'image', 'button'].includes(type)) return false;
    return !(field.attr('id') && labelled.has(field.attr('id'))) && !field.attr('title');
  }).map((el) => page.$.html(el).slice(0, 120));
}

t.test('the glued-words check finds words glued to links, buttons and separators', async (t) => {
  const glued = (html: string) => gluedWords(cheerio.load(html));
  // what the sign-in page, the board's tool line and the card page read before Step 14
  t.same(glued('<p>Pages in<a href="/x">ISO-8859-1</a> (AWeb)</p>').length, 1);
  t.same(glued('<p>Language:<a href="/en">English</a> |<a href="/de">Deutsch</a></p>').length, 2);
  t.same(glued('<p>(updated 00:56 UTC)| <a href="/s">Settings</a></p>').length, 1);
  t.same(glued('<p>new comments.<input type="hidden" name="csrf" value="x"><input type="submit" value="Watch"></p>').length, 1);
  t.same(glued('<p>Pages in <a href="/x">ISO-8859-1</a> (AWeb) | <a href="/y">UTF-8</a>, or (<a href="/z">auto</a>).</p>'), [], 'what reads right passes');
});

t.test('the validator catches invalid pages', async (t) => {
  const doctype = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">';
  const good = await validateHtml(`${doctype}<html><head><title>x</title></head><body><p>ok</p></body></html>`);
  t.ok(good.valid, good.report);
  const bad = await validateHtml(`${doctype}<html><head><title>x</title></head><body><p>a<br />b<foo></p></body></html>`);
  t.notOk(bad.valid);
  t.match(bad.report, /error/);
});

// in every language: a message missing from a catalogue, or a template calling one English lacks, fails here
for (const language of LANGUAGE_CODES) t.test(`every page type validates, in ${language}`, async (t) => {
  const { app, store } = await startApp(t);
  const visitor = new Browser(app);
  await visitor.get(`/sign-in?lang=${language}`); // a visitor's choice, kept in a cookie
  /** A person signed up (in English, as the helper reads the page) who then chooses the language. */
  const person = async (username: string, password?: string) => {
    const browser = await signUp(app, username, password);
    const user = (await store.users.byUsername(username))!;
    await store.users.updateProfile(user.id, { ...profileOf(user), language });
    return browser;
  };
  await assertValid(t, language, 'sign-in', await visitor.get('/sign-in'), 200);
  await assertValid(t, language, 'sign-up', await visitor.get('/sign-up'), 200);
  await assertValid(t, language, 'forgot-password', await visitor.get('/forgot-password'), 200);
  await assertValid(t, language, 'sign-up-422', await visitor.submit(await visitor.get('/sign-up'), '/sign-up', { username: '<x>' }), 422);
  await assertValid(t, language, 'cookies', await visitor.get('/cookies?next=/b/x'), 200);
  await assertValid(t, language, 'accessibility', await visitor.get('/accessibility'), 200);
  await assertValid(t, language, 'basic-auth-401', await visitor.get('/sign-in/basic'), 401);
  await assertValid(t, language, 'not-found', await visitor.get('/nowhere'), 404);

  const alice = await person('alice', 'password123');
  await assertValid(t, language, 'sign-in-401', await visitor.submit(await visitor.get('/sign-in'), '/sign-in', { username: 'alice', password: 'wrong-one' }), 401);
  await assertValid(t, language, 'boards-empty', await alice.get('/'), 200);
  await assertValid(t, language, 'boards-422', await alice.submit(await alice.get('/'), '/boards', { title: '' }), 422);
  await assertValid(t, language, 'archived-boards-empty', await alice.get('/archived-boards'), 200);
  let board = await createBoard(alice, 'Plans & <things>');
  const path = boardPath(board);
  await assertValid(t, language, 'board-empty', board, 200);
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/lists', { title: 'Done' });
  board = await alice.submit(board, '/cards', { title: 'First & "quoted"' });
  board = await alice.submit(board, '/cards', { title: 'Second' });
  await assertValid(t, language, 'board', board, 200);
  board = await alice.submit(board, '/swimlanes', { title: 'Later' });
  await assertValid(t, language, 'board-two-swimlanes', board, 200);
  await assertValid(t, language, 'board-422', await alice.submit(board, '/selected', {}, 'move'), 422);
  await assertValid(t, language, 'add-card', await alice.get(board.$('a.add').first().attr('href')!), 200);
  await assertValid(t, language, 'add-card-422', await alice.submit(board, '/cards', { title: '' }), 422);
  await assertValid(t, language, 'add-list', await alice.get(`${path}/add-list`), 200);
  await assertValid(t, language, 'add-list-422', await alice.submit(board, '/lists', { title: '' }), 422);
  await assertValid(t, language, 'add-swimlane-422', await alice.submit(board, '/swimlanes', { title: '' }), 422);
  await assertValid(t, language, 'list', await alice.get(board.$('th.list a').first().attr('href')!), 200);
  await assertValid(t, language, 'list-settings', await alice.get(`${board.$('th.list a').first().attr('href')!}/settings`), 200);
  await assertValid(t, language, 'swimlane', await alice.get(board.$('th.swimlane a').first().attr('href')!), 200);
  const card = await alice.get(board.$('div.card > a').first().attr('href')!);
  await assertValid(t, language, 'card', card, 200);
  await assertValid(t, language, 'card-422', await alice.submit(card, '/title', { title: '' }), 422);
  const cardId = card.url.split('/').pop()!;
  const boardId = path.split('/')[2]!;
  const aliceId = (await store.users.byUsername('alice'))!.id;
  await store.sql.run(`INSERT INTO labels (board_id, id, name, color) VALUES (?, 'lab001', 'Bug <1>', 'red')`, boardId);
  await store.sql.run(`INSERT INTO card_labels (card_id, board_id, label_id) VALUES (?, ?, 'lab001')`, cardId, boardId);
  await store.sql.run('INSERT INTO card_members (card_id, user_id) VALUES (?, ?)', cardId, aliceId);
  await store.sql.run(`UPDATE cards SET due_at = '2020-01-01T12:00:00.000Z' WHERE id = ?`, cardId);
  await assertValid(t, language, 'board-labels-members-due', await alice.get(path), 200);
  await assertValid(t, language, 'card-labels-members-due', await alice.get(card.url), 200);
  const other = await alice.submit(await alice.get(path), '/cards', { title: 'Blocker <b>' });
  const otherId = other.$('div.card > a').filter((_, a) => other.$(a).text() === 'Blocker <b>').attr('href')!.split('/').pop()!;
  const addDependency = await alice.get(`${card.url}/dependencies`);
  await assertValid(t, language, 'dependency-add', addDependency, 200);
  await assertValid(t, language, 'dependency-add-422', await alice.submit(addDependency, '/dependencies', { address: 'nothing' }), 422);
  await alice.submit(addDependency, '/dependencies', { type: 'is-blocked-by', cardId: otherId });
  await assertValid(t, language, 'card-blocked', await alice.get(card.url), 200);
  await assertValid(t, language, 'board-blocked', await alice.get(path), 200);
  const archivedCard = await alice.submit(await alice.get(card.url), '/archive');
  await assertValid(t, language, 'board-archived-items', await alice.get(`${path}/archived`), 200);
  await assertValid(t, language, 'card-archived', await alice.get(card.url), 200);
  t.ok(archivedCard);
  await assertValid(t, language, 'board-settings', await alice.get(`${path}/settings`), 200);
  await assertValid(t, language, 'board-settings-422', await alice.submit(await alice.get(`${path}/settings`), '/settings', { title: '' }), 422);
  await alice.submit(await alice.get(`${path}/settings`), '/archive');
  await assertValid(t, language, 'archived-boards', await alice.get('/archived-boards'), 200);
  await assertValid(t, language, 'board-archived', await alice.get(path), 200);
  const token = (await alice.get('/')).$('input[name=csrf]').attr('value')!;
  await assertValid(t, language, 'forbidden', await alice.post(`${path}/swimlanes`, { title: 'x', csrf: token }), 403);
  await assertValid(t, language, 'csrf-403', await alice.post('/boards', { title: 'x', csrf: 'bad' }), 403);
  const bob = await person('bob');
  await assertValid(t, language, 'private-404', await bob.get(path), 404);
});

// the pages a visitor of a public board sees (a role of its own, with words of its own), in every language
for (const language of LANGUAGE_CODES) t.test(`a public board's pages validate for a visitor, in ${language}`, async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Open plans');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Shared card' });
  await alice.submit(await alice.get(`${boardPath(board)}/settings`), '/settings', { permission: 'public' });
  const visitor = new Browser(app);
  await visitor.get(`/sign-in?lang=${language}`);
  const seen = await visitor.get(boardPath(board));
  await assertValid(t, language, 'public-board', seen, 200);
  await assertValid(t, language, 'public-card', await visitor.get(seen.$('div.card a').first().attr('href')!), 200);
  await assertValid(t, language, 'public-list', await visitor.get('/public'), 200);
});

for (const language of LANGUAGE_CODES) t.test(`a 200-card board page stays under 150 KB, in ${language}`, async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const me = (await store.users.byUsername('alice'))!;
  await store.users.updateProfile(me.id, { ...profileOf(me), language });
  const page = await createBoard(alice, 'Big board');
  const boardId = boardPath(page).split('/')[2]!;
  const userId = (await store.users.byUsername('alice'))!.id;
  const swimlane = (await store.swimlanes.forBoard(boardId, false))[0]!;
  const lists = await inOrder(['Backlog', 'To do', 'Doing', 'Review', 'Done'], async (title) => await store.lists.create(userId, boardId, title));
  await store.sql.run(`INSERT INTO labels (board_id, id, name, color) VALUES (?, 'bug001', 'bug', 'red'), (?, 'ftr001', 'feature', 'green')`, boardId, boardId);
  for (let i = 0; i < 200; i++) {
    const card = await store.cards.create(userId, { boardId, listId: lists[i % 5]!.id, swimlaneId: swimlane.id, title: `Card number ${i}: a typical title of some length` });
    await store.sql.run(`INSERT INTO card_labels (card_id, board_id, label_id) VALUES (?, ?, ?)`, card.id, boardId, i % 2 ? 'bug001' : 'ftr001');
    await store.sql.run('INSERT INTO card_members (card_id, user_id) VALUES (?, ?)', card.id, userId);
    await store.sql.run(`UPDATE cards SET due_at = '2030-01-01T00:00:00.000Z' WHERE id = ?`, card.id);
  }
  const board = await alice.get(boardPath(page));
  t.equal(board.$('div.card').length, 200);
  const bytes = Buffer.byteLength(board.body);
  t.ok(bytes < 150 * 1024, `the page is ${Math.round(bytes / 1024)} KB`);
  t.equal(Number(board.headers['content-length']), bytes, 'Content-Length is sent');
  t.equal(board.$('html').attr('lang'), language);
  const result = await validateHtml(board.body, `big-board-${language}`);
  t.ok(result.valid, 'and it validates', { report: result.report });
});
