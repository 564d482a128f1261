// A card's dates, colour and spent time, typed in the user's time zone.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { createBoard, signUp, type Browser } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

async function cardPage(browser: Browser) {
  let board = await createBoard(browser, 'Dates');
  board = await browser.submit(board, '/lists', { title: 'To do' });
  board = await browser.submit(board, '/cards', { title: 'Tax return' });
  return browser.get(board.$('div.card > a').attr('href')!);
}

t.test('set received, start, due and end dates, colour and spent time', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await alice.submit(await alice.get('/profile'), '/profile', { timeZone: 'Europe/Helsinki' });
  let card = await cardPage(alice);
  card = await alice.submit(card, '/details', {
    receivedAtDate: '2026-01-10', startAtDate: '2026-01-12', startAtTime: '09:30', dueAtDate: '2026-02-01',
    endAtDate: '', color: 'crimson', spentTime: '2,5',
  });
  t.equal(card.status, 200);
  const row = await store.sql.one('SELECT received_at, start_at, due_at, end_at, color, spent_time FROM cards');
  t.same(row, {
    received_at: '2026-01-09T22:00:00.000Z', start_at: '2026-01-12T07:30:00.000Z', due_at: '2026-02-01T21:59:00.000Z',
    end_at: null, color: 'crimson', spent_time: 2.5,
  }, 'stored in UTC from Helsinki wall-clock times');
  t.match(card.text, 'Start 2026-01-12 09:30');
  t.match(card.text, 'Due 2026-02-01 23:59 (overdue)');
  t.equal(card.$('#dueAtDate').attr('value'), '2026-02-01', 'the form shows the dates back');
  t.equal(card.$('#color option[selected]').text(), 'crimson');
  t.equal((await validateHtml(card.body, 'card-details')).valid, true);
  const board = await alice.get(card.$('p.crumbs a').eq(1).attr('href')!);
  t.match(board.$('span.due.overdue').text(), 'due 2026-02-01');
  const types = await store.sql.column(`SELECT activity_type FROM activities WHERE card_id IS NOT NULL ORDER BY board_version`);
  t.same(types, ['createCard', 'a-receivedAt', 'a-startAt', 'a-dueAt', 'changedCardColor', 'changedSpentTime']);
  const cleared = await alice.submit(card, '/details', { dueAtDate: '', dueAtTime: '' });
  t.equal(cleared.status, 200);
  t.equal(await store.sql.value('SELECT due_at FROM cards'), null, 'an empty date clears it');
});

t.test('dates that do not parse are 422 with everything typed kept; nothing changes', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const card = await cardPage(alice);
  const version = await store.sql.value('SELECT version FROM boards');
  const refused = await alice.submit(card, '/details', {
    receivedAtDate: '2026-01-10', dueAtDate: '2026-02-30', startAtDate: '2026-01-01', startAtTime: '25:61',
    color: 'ultraviolet', spentTime: 'lots',
  });
  t.equal(refused.status, 422);
  t.match(refused.text, 'Due date: 2026-02-30 is not a day of the calendar');
  t.match(refused.text, 'Start date:');
  t.match(refused.text, 'Choose a colour from the list');
  t.match(refused.text, 'Spent time is a number of hours');
  t.equal(refused.$('#dueAtDate').attr('value'), '2026-02-30');
  t.equal(refused.$('#receivedAtDate').attr('value'), '2026-01-10');
  t.equal((await validateHtml(refused.body, 'card-details-422')).valid, true);
  t.equal(await store.sql.value('SELECT version FROM boards'), version);
  t.same(await store.sql.one('SELECT received_at, due_at, color FROM cards'), { received_at: null, due_at: null, color: null });
});

t.test('descriptions are Markdown, rendered safely as valid HTML 4.01', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const card = await cardPage(alice);
  const description = [
    '# Plan', '', 'Some *emphasis* and a line  ', 'break; <script>alert("x")</script> <b onmouseover="x">raw</b>', '',
    '[bad](javascript:alert(1)) [also bad](vbscript:x) [good](https://example.org/a?b=1&c=2)', '',
    '- one', '- two', '', '| a | b |', '|---|---|', '| 1 | 2 |', '', '```', 'if (a < b) {}', '```', '', '---',
  ].join('\n');
  const page = await alice.submit(card, '/description', { description });
  const html = page.$('div.description').html()!;
  t.notMatch(html, /<script/i, 'no script element');
  t.notMatch(html, /<b onmouseover/i, 'no raw HTML');
  t.match(html, '&lt;script&gt;', 'typed tags show as text');
  t.notMatch(html, /href="(javascript|vbscript):/i, 'no unsafe links');
  t.equal(page.$('div.description a[href^="https://example.org"]').attr('rel'), 'nofollow');
  t.equal(page.$('div.description h1').text(), 'Plan');
  t.equal(page.$('div.description li').length, 2);
  t.notMatch(page.body, /<br\s*\/>|<hr\s*\/>/, 'no XHTML void tags');
  const result = await validateHtml(page.body, 'markdown');
  t.ok(result.valid, 'the card page with Markdown validates', { report: result.report });
  t.equal(page.$('#description').text(), description, 'the source stays editable as typed');
});
