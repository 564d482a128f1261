// Watching boards and cards (Step 10), with the mails received by a real SMTP server on loopback: a
// card moved to another list on a watched board, a move or a comment on a watched card. Moves made
// together go as one mail; nobody hears of their own changes; stopping watching stops the mail.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp, type Browser, type Page } from './helpers/browser.js';
import { startSmtp } from './helpers/smtp.js';
import { validateHtml } from './helpers/validate.js';
import { until } from './helpers/wait.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const cardId = (page: Page, title: string) =>
  page.$('div.card').filter((_, card) => page.$(card).find('a').last().text() === title).find('input[name=card]').attr('value')!;

async function gardenBoard(alice: Browser) {
  let board = await createBoard(alice, 'Garden');
  for (const title of ['To do', 'Done']) board = await alice.submit(board, '/lists', { title });
  for (const title of ['Roses', 'Tulips', 'Lilies']) board = await alice.submit(board, '/cards', { title });
  return board;
}

t.test('a watched board: moves to another list are mailed, moves made together in one mail', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: 'http://kanban.example.org', WAMI_MAIL_ROUND_MS: '100' });
  await app.ready();
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  let board = await gardenBoard(alice);
  await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: 'bob', role: 'normal' });
  await until(() => smtp.received.length === 1); // "alice added you to the board"

  t.ok(board.$(`a[href="${boardPath(board)}/watch"]`).length, 'the board links its Watch page');
  let watch = await bob.get(`${boardPath(board)}/watch`);
  t.equal(watch.status, 200);
  t.match(watch.text, 'You do not watch this board');
  t.ok((await validateHtml(watch.body, 'watch')).valid, 'valid HTML 4.01');
  watch = await bob.submit(watch, '/watch', {}, undefined);
  t.match(watch.text, 'You watch this board.');
  t.ok((await validateHtml(watch.body, 'watching')).valid);
  await alice.submit(await alice.get(`${boardPath(board)}/watch`), '/watch'); // alice watches too: her own moves never mail her

  const doneId = board.$('#move-list option').filter((_, o) => board.$(o).text() === 'Done').attr('value')!;
  board = await alice.submit(board, '/selected', { card: cardId(board, 'Roses'), listId: doneId }, 'move');
  await until(() => smtp.received.length === 2);
  const moved = smtp.received[1]!;
  t.equal((moved.to as { text: string }).text, 'bob@example.org');
  t.equal(moved.subject, 'alice moved "Roses" to "Done" on Wami');
  t.match(String(moved.text), /alice moved the card "Roses" on the board "Garden" from "To do" to "Done"\.\n\nhttp:\/\/kanban\.example\.org\/b\/\w+\/garden\/\w+\n/);

  board = await alice.submit(board, '/selected', { card: [cardId(board, 'Tulips'), cardId(board, 'Lilies')], listId: doneId }, 'move');
  await until(() => smtp.received.length === 3);
  const both = smtp.received[2]!;
  t.equal(both.subject, '2 notifications from Wami', 'two cards moved at once: one mail');
  t.match(String(both.text), '* alice moved "Tulips" to "Done" on Wami');
  t.match(String(both.text), '* alice moved "Lilies" to "Done" on Wami');

  // a new place in the same list is no news
  const cardPage = await alice.get(board.$('div.card a').filter((_, a) => board.$(a).text() === 'Lilies').attr('href')!);
  await alice.submit(cardPage, '/move', { position: 'top' });
  await pause(400);
  t.equal(smtp.received.length, 3, 'reordering inside a list mails nobody');

  await bob.submit(await bob.get(`${boardPath(board)}/watch`), '/watch');
  const todoId = board.$('#move-list option').filter((_, o) => board.$(o).text() === 'To do').attr('value')!;
  await alice.submit(board, '/selected', { card: cardId(board, 'Roses'), listId: todoId }, 'move');
  await pause(400);
  t.equal(smtp.received.length, 3, 'after "Stop watching", no more mail');
  t.equal(await store.sql.value('SELECT count(*) FROM mail_held'), 0, 'nothing left held');
});

t.test('a watched card: its moves and new comments, not to someone mentioned twice over', async (t) => {
  const smtp = await startSmtp(t);
  const { app } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_MAIL_ROUND_MS: '100' });
  await app.ready();
  const alice = await signUp(app, 'alice');
  const carol = await signUp(app, 'carol');
  let board = await gardenBoard(alice);
  await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: 'carol', role: 'normal' });
  await until(() => smtp.received.length === 1);
  const rosesUrl = board.$('div.card a').filter((_, a) => board.$(a).text() === 'Roses').attr('href')!;

  let card = await carol.get(rosesUrl);
  t.equal(card.$(`form[action="${rosesUrl}/watch"] input[type=submit]`).attr('value'), 'Watch');
  card = await carol.submit(card, '/watch');
  t.equal(card.$(`form[action="${rosesUrl}/watch"] input[type=submit]`).attr('value'), 'Stop watching', 'the card page shows it at once');
  t.match(card.text, 'You watch this card');
  t.ok((await validateHtml(card.body, 'card')).valid);

  await alice.submit(await alice.get(rosesUrl), '/comments', { comment: 'Pruned today.' });
  await until(() => smtp.received.length === 2);
  t.equal(smtp.received[1]!.subject, 'alice commented on "Roses" on Wami');
  t.match(String(smtp.received[1]!.text), 'alice commented on the card "Roses" on the board "Garden":\n\n> Pruned today.');

  await alice.submit(await alice.get(rosesUrl), '/comments', { comment: '@carol, more water?' });
  await until(() => smtp.received.length === 3);
  t.equal(smtp.received[2]!.subject, 'alice mentioned you on "Roses" on Wami', 'mentioned: the mention mail only');

  const doneId = board.$('#move-list option').filter((_, o) => board.$(o).text() === 'Done').attr('value')!;
  await alice.submit(await alice.get(rosesUrl), '/move', { listId: doneId });
  await until(() => smtp.received.length === 4);
  t.equal(smtp.received[3]!.subject, 'alice moved "Roses" to "Done" on Wami');
  // another card of the same board: carol watches only Roses
  await alice.submit(board, '/selected', { card: cardId(board, 'Tulips'), listId: doneId }, 'move');
  await pause(400);
  t.equal(smtp.received.length, 4, 'the other cards of the board are not hers to hear of');

  // a profile that says no
  const profile = await carol.get('/profile');
  await carol.submit(profile, '/profile', { mailWatched: [] as string[] });
  await alice.submit(await alice.get(rosesUrl), '/comments', { comment: 'Blooming.' });
  await pause(400);
  t.equal(smtp.received.length, 4, 'watched, but her profile turned those mails off');
});

t.test('watching asks for a signed-in person who can see the board', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const mallory = await signUp(app, 'mallory');
  const board = await gardenBoard(alice);
  const rosesUrl = board.$('div.card a').first().attr('href')!;
  const page = await alice.get(`${boardPath(board)}/watch`);
  t.match(page.text, 'Email is off on this server', 'says plainly that no mail will come');
  t.equal((await mallory.get(`${boardPath(board)}/watch`)).status, 404, 'a private board stays hidden');
  const csrfOf = (p: Page) => p.$('input[name=csrf]').first().attr('value')!;
  const own = await mallory.get('/profile');
  t.equal((await mallory.post(`${boardPath(board)}/watch`, { csrf: csrfOf(own), watch: '1' })).status, 404);
  t.equal((await mallory.post(`${rosesUrl}/watch`, { csrf: csrfOf(own), watch: '1' })).status, 404);
  t.equal((await alice.post(`${boardPath(board)}/nosuchcard0000000/watch`, { csrf: csrfOf(page), watch: '1' })).status, 404);
  const anonymous = await app.inject({ method: 'GET', url: `${boardPath(board)}/watch` });
  t.not(anonymous.statusCode, 200, 'nobody signed in watches nothing');
});
