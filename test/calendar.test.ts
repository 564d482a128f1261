// Calendars: a month as a table, cards on their start, due and end days in the user's time zone.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

const day = (page: Page, date: string) => page.$('td').filter((_, td) => page.$(td).find('span.where').text() === `${date}:`);

t.test('a board calendar shows cards on their days; your calendar shows your cards', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await alice.submit(await alice.get('/profile'), '/profile', { timeZone: 'Pacific/Auckland' });
  let board = await createBoard(alice, 'Events');
  board = await alice.submit(board, '/lists', { title: 'Plans' });
  board = await alice.submit(board, '/cards', { title: 'Party' });
  board = await alice.submit(board, '/cards', { title: 'Trip' });
  const url = (title: string) => board.$('div.card > a').filter((_, a) => board.$(a).text() === title).attr('href')!;
  // 00:30 on 3 March in Auckland is still 2 March in UTC: the calendar must use the user's day
  await alice.submit(await alice.get(url('Party')), '/details', { dueAtDate: '2030-03-03', dueAtTime: '00:30' });
  await alice.submit(await alice.get(url('Trip')), '/details', { startAtDate: '2030-03-10', endAtDate: '2030-03-12' });
  t.equal(await store.sql.value(`SELECT due_at FROM cards WHERE title = 'Party'`), '2030-03-02T11:30:00.000Z');

  const calendar = await alice.get(`${boardPath(board)}/calendar?month=2030-03`);
  t.match(calendar.$('h1').text(), 'March 2030');
  t.match(day(calendar, '2030-03-03').text(), 'due: Party');
  t.notMatch(day(calendar, '2030-03-02').text(), 'Party');
  t.match(day(calendar, '2030-03-10').text(), 'start: Trip');
  t.match(day(calendar, '2030-03-12').text(), 'end: Trip');
  t.equal(calendar.$('table.calendar tr').first().find('th').first().text(), 'Mon');
  t.match(calendar.$('a').filter((_, a) => calendar.$(a).text().includes('previous month')).attr('href')!, /month=2030-02$/);
  t.match(calendar.$('a').filter((_, a) => calendar.$(a).text().includes('next month')).attr('href')!, /month=2030-04$/);
  t.equal((await validateHtml(calendar.body, 'board-calendar')).valid, true);

  const mine = await alice.get('/calendar?month=2030-03');
  t.notMatch(mine.text, 'Party', 'not yours until you are on the card');
  await alice.submit(await alice.get(url('Party')), '/assignees', { assignee: (await store.users.byUsername('alice'))!.id });
  t.match(day(await alice.get('/calendar?month=2030-03'), '2030-03-03').text(), 'due: Party');
  t.equal((await validateHtml(mine.body, 'calendar')).valid, true);
});

t.test('today is marked in words, not by colour alone; a bad month falls back to this one', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await alice.get('/calendar?month=2030-13');
  t.equal(page.status, 200);
  t.equal(page.$('td.today').length, 1);
  t.match(page.$('td.today').text(), 'today');
  const today = new Date().toISOString().slice(0, 10);
  t.equal(page.$('td.today span.where').text(), `${today}:`);
});
