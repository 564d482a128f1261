// The key flows of the browser suite for the terminal browsers driven in tmux (ELinks, links2): sign in,
// add a card, move it, tick a checklist item, comment, upload a file, watch the card. Each step is typed as a person
// would and then checked in the database. The browsers differ only in a few keys (KeyDialect).
import fs from 'node:fs';
import path from 'node:path';
import type { Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import type { SqliteStore } from '../../server/store/index.js';
import { hashPassword } from '../../server/passwords.js';
import { profileOf } from '../../server/store/users.js';
import { Browser } from './browser.js';
import { downKeys, elinksNumber, textBrowser } from './retro.js';

/** What one browser needs around the common keys. */
export interface KeyDialect {
  browser: 'elinks' | 'links2';
  /** Pressed on a selected text field before typing (ELinks: Enter starts editing). */
  edit: string[];
  /** Pressed after typing, before Down moves on (ELinks: Escape leaves a text area or file field). */
  leave: string[];
  /** Pressed after Enter on a submit button (ELinks asks "post form data?"). */
  confirm: string[];
}

/** The last line of every page: when it shows, the whole page is there. */
export const FOOTER = 'a kanban for every browser';

/**
 * ella (password "password123"; automatic refresh off, as a reload under the keys would move the cursor),
 * her "Garden" board with "To do" and "Done", and a card "Water plants" with a checklist item.
 */
export async function gardenBoard(store: SqliteStore) {
  const ella = await store.users.create({ username: 'ella', email: null, passwordHash: await hashPassword('password123') });
  await store.users.updateProfile(ella.id, { ...profileOf(ella), autoRefresh: false });
  const board = await store.boards.create(ella.id, 'Garden');
  const todo = await store.lists.create(ella.id, board.id, 'To do');
  const done = await store.lists.create(ella.id, board.id, 'Done');
  const swimlaneId = (await store.swimlanes.forBoard(board.id, false))[0]!.id;
  const watering = await store.cards.create(ella.id, { boardId: board.id, listId: todo.id, swimlaneId, title: 'Water plants' });
  await store.checklists.addItem(ella.id, await store.checklists.create(ella.id, watering, 'Steps'), 'Fill the can');
  const boardUrl = `/b/${board.id}/${board.slug}`;
  return { ella, board, todo, done, watering, boardUrl, cardUrl: `${boardUrl}/${watering.id}` };
}

/** Runs the flows; answers the board and a signed-in mirror session (same user, for later steps). */
export async function runKeyFlows(t: Test, setup: { app: FastifyInstance; store: SqliteStore; url: string; home: string }, keys: KeyDialect) {
  const { app, store, url, home } = setup;
  const garden = await gardenBoard(store);
  const { ella, board, todo, done, watering, boardUrl, cardUrl } = garden;
  const run = (target: string, ready: string, steps: string[], finished: string) => textBrowser(keys.browser, `${url}${target}`, ready, steps, finished, home);
  /** Down presses from field `from` to the one `selector` finds, pressing Enter there. */
  const press = (html: string, selector: string, from: number) => [...downKeys(elinksNumber(html, selector) - from), 'keys Enter', ...keys.confirm];

  // 1. sign in
  const signIn = (await new Browser(app).get('/sign-in')).body;
  const user = elinksNumber(signIn, '#username');
  await run('/sign-in', FOOTER, [
    ...downKeys(user - 1), ...keys.edit, 'text ella', ...keys.leave, 'keys Down', ...keys.edit, 'text password123', ...keys.leave,
    ...press(signIn, 'input[value="Sign in"]', user + 1),
  ], 'Signed in as ella');
  t.ok(await store.sql.value('SELECT count(*) FROM sessions WHERE user_id = ?', ella.id), 'signed in: a session is stored');
  const mirror = new Browser(app);
  await mirror.submit(await mirror.get('/sign-in'), '/sign-in', { username: 'ella', password: 'password123' });

  // 2. add a card (later runs use the cookie the first one kept)
  let page = (await mirror.get(boardUrl)).body;
  const field = elinksNumber(page, '#new-card');
  await run(boardUrl, FOOTER, [...downKeys(field - 1), ...keys.edit, 'text Buy seeds', ...keys.leave, ...press(page, 'input[value="Add card"]', field)], 'Buy seeds');
  const seeds = (await store.cards.inList(board.id, todo.id)).find((c) => c.title === 'Buy seeds');
  t.ok(seeds, 'the card is stored in the first list');

  // 3. move it: tick its box, pick "Done", press the button
  page = (await mirror.get(boardUrl)).body;
  const box = elinksNumber(page, `input[name=card][value=${seeds!.id}]`);
  const select = elinksNumber(page, '#move-list');
  await run(boardUrl, FOOTER, [
    ...downKeys(box - 1), 'keys Enter', ...downKeys(select - box), 'keys Enter', 'sleep 0.3', 'keys Down', 'keys Enter',
    ...press(page, 'input[name=move]', select),
  ], 'Done (1)');
  t.equal((await store.cards.byId(board.id, seeds!.id))?.listId, done.id, 'the card is stored in "Done"');

  // 4. tick the checklist item
  page = (await mirror.get(cardUrl)).body;
  const item = elinksNumber(page, 'input[name=done]');
  await run(cardUrl, 'Checklists', [...downKeys(item - 1), 'keys Enter', ...press(page, 'input[value="Save ticks"]', item)], '(1/1, done)');
  t.equal((await store.checklists.forCard(watering.id))[0]!.items[0]!.isFinished, 1, 'the item is stored as done');

  // 5. a comment (the card page comes back at its top: the comments are below the screen)
  page = (await mirror.get(cardUrl)).body;
  const area = elinksNumber(page, '#comment');
  await run(cardUrl, 'Checklists', [
    ...downKeys(area - 1), ...keys.edit, 'text Rain is due on Friday', ...keys.leave, ...press(page, 'input[value=Comment]', area), 'sleep 1.5',
  ], 'Water plants');
  t.same((await store.comments.forCard(watering.id)).map((c) => c.text), ['Rain is due on Friday']);

  // 6. upload a file: both take the file's path as typed
  const note = path.join(home, 'seed-list.txt');
  fs.writeFileSync(note, 'tomatoes\nbeans\n');
  page = (await mirror.get(`${cardUrl}/attachments`)).body;
  const file = elinksNumber(page, '#file');
  await run(`${cardUrl}/attachments`, FOOTER, [...downKeys(file - 1), ...keys.edit, `text ${note}`, ...keys.leave, ...press(page, 'input[value=Upload]', file)], 'seed-list.txt');
  const stored = await store.attachments.forCard(watering.id);
  t.same(stored.map((a) => [a.name, a.size]), [['seed-list.txt', 15]]);
  t.equal(fs.readFileSync(app.files.pathOf(stored[0]!.id), 'utf8'), 'tomatoes\nbeans\n', 'the same bytes on disk');

  // 7. watch the card (its moves and comments by mail): one button, below the first screen
  page = (await mirror.get(cardUrl)).body;
  await run(cardUrl, 'Checklists', [...press(page, 'input[value=Watch]', 1), 'sleep 1.5'], 'Water plants');
  t.ok(await store.watchers.watchesCard(watering.id, ella.id), 'she watches the card');
  return { garden, mirror };
}
