// "Due within a day" reminders and the daily summary (Step 10), received by a real SMTP server on
// loopback. The rounds run on a clock the test moves (app.mailRounds.run(at)); what they read and
// write is the real store.
import t from 'tap';
import { nextDailyTime } from '../server/dates.js';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp, type Browser } from './helpers/browser.js';
import { startSmtp } from './helpers/smtp.js';
import { until } from './helpers/wait.js';

const HOUR = 3600 * 1000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The details form's date and time boxes for an instant, read in UTC (the accounts' time zone here). */
const dueFields = (atMs: number) => {
  const iso = new Date(atMs).toISOString();
  return { dueAtDate: iso.slice(0, 10), dueAtTime: iso.slice(11, 16) };
};
const userId = async (store: { users: { byUsername(name: string): Promise<{ id: string } | undefined> } }, name: string) =>
  (await store.users.byUsername(name))!.id;

t.test('the daily summary goes at the chosen hour of each person\'s own day, daylight saving included', async (t) => {
  const at = (iso: string) => new Date(iso).getTime();
  t.equal(nextDailyTime(at('2026-03-28T12:00:00Z'), 7, 'Europe/Berlin'), at('2026-03-29T05:00:00Z'), '07:00 summer time, the night the clocks change');
  t.equal(nextDailyTime(at('2026-03-29T05:00:00Z'), 7, 'Europe/Berlin'), at('2026-03-30T05:00:00Z'), 'exactly at 07:00: the next day');
  t.equal(nextDailyTime(at('2026-12-31T23:30:00Z'), 7, 'UTC'), at('2027-01-01T07:00:00Z'), 'over the year\'s end');
  t.equal(nextDailyTime(at('2026-11-24T02:00:00Z'), 7, 'America/New_York'), at('2026-11-24T12:00:00Z'), 'still the evening before, there');
});

t.test('a card due within a day: each member, assignee and watcher hears once per due date', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: 'http://kanban.example.org', WAMI_MAIL_ROUND_MS: '3600000' });
  await app.ready();
  const alice = await signUp(app, 'alice');
  const people: Record<string, Browser> = {};
  for (const name of ['bob', 'carol', 'dave', 'erin']) people[name] = await signUp(app, name);
  let board = await createBoard(alice, 'Garden');
  for (const username of ['bob', 'carol', 'dave', 'erin']) {
    await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username, role: 'normal' });
  }
  await until(() => smtp.received.length === 4);
  smtp.received.length = 0;
  board = await alice.submit(board, '/lists', { title: 'To do' });
  for (const title of ['Roses', 'Tulips', 'Done already']) board = await alice.submit(board, '/cards', { title });
  const url = (title: string) => board.$('div.card a').filter((_, a) => board.$(a).text() === title).attr('href')!;
  const now = Date.now();

  // Roses: bob a member, carol assigned, dave watches, erin does not want due mail
  await alice.submit(await alice.get(url('Roses')), '/members', { member: [await userId(store, 'bob'), await userId(store, 'erin')] });
  await alice.submit(await alice.get(url('Roses')), '/assignees', { assignee: [await userId(store, 'carol')] });
  await people.dave!.submit(await people.dave!.get(url('Roses')), '/watch');
  await people.erin!.submit(await people.erin!.get('/profile'), '/profile', { mailDue: [] as string[] });
  await alice.submit(await alice.get(url('Tulips')), '/members', { member: [await userId(store, 'bob')] });
  await alice.submit(await alice.get(url('Done already')), '/members', { member: [await userId(store, 'bob')] });
  await until(() => smtp.received.length === 5); // "added you to the card": bob thrice, erin, carol (assigned)
  smtp.received.length = 0;
  await alice.submit(await alice.get(url('Roses')), '/details', dueFields(now + 5 * HOUR));
  // Tulips: due in three days; "Done already": due soon, but finished
  await alice.submit(await alice.get(url('Tulips')), '/details', dueFields(now + 72 * HOUR));
  await alice.submit(await alice.get(url('Done already')), '/details', { ...dueFields(now + 2 * HOUR), endAtDate: new Date(now).toISOString().slice(0, 10) });
  await pause(200);
  t.equal(smtp.received.length, 0, 'no mail before a round');

  t.match(await app.mailRounds!.run(now), { reminded: 3 });
  await until(() => smtp.received.length === 3);
  const to = smtp.received.map((mail) => (mail.to as { text: string }).text).sort();
  t.same(to, ['bob@example.org', 'carol@example.org', 'dave@example.org'], 'member, assignee and watcher; not erin, not alice');
  const reminder = smtp.received.find((mail) => (mail.to as { text: string }).text === 'bob@example.org')!;
  const due = new Date(now + 5 * HOUR).toISOString();
  const shown = `${due.slice(0, 10)} ${due.slice(11, 16)} UTC`;
  t.equal(reminder.subject, `"Roses" is due ${shown} on Wami`);
  t.match(String(reminder.text), `The card "Roses" on the board "Garden" is due within a day: ${shown}.\n\nhttp://kanban.example.org${url('Roses')}\n`);

  t.match(await app.mailRounds!.run(now + 60_000), { reminded: 0 }, 'the next round: nobody twice');
  await alice.submit(await alice.get(url('Roses')), '/details', dueFields(now + 8 * HOUR));
  t.match(await app.mailRounds!.run(now + 120_000), { reminded: 3 }, 'a new due date is a new reminder');
  t.match(await app.mailRounds!.run(now + 50 * HOUR), { reminded: 1 }, 'Tulips once within a day of it; Roses is past');
  await until(() => smtp.received.length === 7);
  // (mails of one round may arrive in any order: the sender sends several at once)
  t.equal(smtp.received.filter((mail) => mail.subject?.startsWith('"Tulips" is due')).length, 1);
  t.equal(await store.sql.value('SELECT count(*) FROM due_reminders'), 7, 'a mark per card, person and due date');
});

t.test('a daily summary instead of single mails: held, then one mail at the person\'s hour', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_MAIL_ROUND_MS: '3600000', WAMI_MAIL_DIGEST_HOUR: '7' });
  await app.ready();
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  const profile = await bob.get('/profile');
  t.match(profile.text, 'one summary a day, at 07:00 in my time zone');
  await bob.submit(profile, '/profile', { mailDigest: '1', timeZone: 'Europe/Berlin' });
  t.equal((await store.users.byUsername('bob'))!.mailDigest, 1);

  let board = await createBoard(alice, 'Garden');
  await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: 'bob', role: 'normal' });
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Roses' });
  const rosesUrl = board.$('div.card a').first().attr('href')!;
  await alice.submit(await alice.get(rosesUrl), '/members', { member: [await userId(store, 'bob')] });
  await alice.submit(await alice.get(rosesUrl), '/comments', { comment: 'Your turn, @bob.' });
  const now = Date.now();
  await alice.submit(await alice.get(rosesUrl), '/details', dueFields(now + 5 * HOUR));
  t.match(await app.mailRounds!.run(now), { reminded: 1, sent: 0 });
  await pause(300);
  t.equal(smtp.received.length, 0, 'nothing goes at once');
  t.equal(await store.sql.value('SELECT count(*) FROM mail_held'), 4, 'added to the board and the card, mentioned, due soon');
  const sevenInBerlin = nextDailyTime(now, 7, 'Europe/Berlin');
  t.equal(await store.sql.value('SELECT min(send_after_ms) FROM mail_held'), sevenInBerlin, 'held until 07:00 in his time zone');

  const waiting = await bob.get('/profile');
  t.match(waiting.text, '(4 notifications wait for the next one)', 'his profile says what waits');
  t.match(await app.mailRounds!.run(sevenInBerlin - 1), { sent: 0 }, 'not a moment before');
  t.match(await app.mailRounds!.run(sevenInBerlin), { sent: 1 });
  await until(() => smtp.received.length === 1);
  const summary = smtp.received[0]!;
  t.equal((summary.to as { text: string }).text, 'bob@example.org');
  t.equal(summary.subject, 'Your daily summary from Wami: 4 notifications');
  const text = String(summary.text);
  t.match(text, '* alice added you to the board "Garden" on Wami');
  t.match(text, '* alice added you to "Roses" on Wami');
  t.match(text, '* alice mentioned you on "Roses" on Wami');
  t.match(text, '> Your turn, @bob.');
  t.match(text, /\* "Roses" is due \d{4}-\d\d-\d\d \d\d:\d\d Europe\/Berlin on Wami/, 'the due time as he reads it');
  t.ok(text.indexOf('added you to the board') < text.indexOf('is due'), 'in the order they happened');
  t.equal(await store.sql.value('SELECT count(*) FROM mail_held'), 0);
  t.match(await app.mailRounds!.run(sevenInBerlin + 24 * HOUR), { sent: 0 }, 'a day with nothing new sends nothing');
  t.equal(await store.sql.value("SELECT count(*) FROM mail_outbox WHERE to_address = 'bob@example.org'"), 1);

  // back to a mail each: what was held goes at the next round, not at 07:00
  await alice.submit(await alice.get(rosesUrl), '/comments', { comment: 'Still there, @bob?' });
  t.equal(await store.sql.value('SELECT count(*) FROM mail_held'), 1);
  await bob.submit(await bob.get('/profile'), '/profile', { mailDigest: '0' });
  t.match(await app.mailRounds!.run(Date.now()), { sent: 1 });
  await until(() => smtp.received.length === 2);
  t.equal(smtp.received[1]!.subject, 'alice mentioned you on "Roses" on Wami', 'one held notification goes as itself');
  t.match(String(smtp.received[1]!.text), '> Still there, @bob?');
  await alice.submit(await alice.get(rosesUrl), '/comments', { comment: 'Hello again, @bob.' });
  await until(() => smtp.received.length === 3);
  t.match(String(smtp.received[2]!.text), '> Hello again, @bob.', 'and new ones at once');

  // the sweep forgets reminders of due dates long past; pending ones keep theirs
  t.equal(await store.sql.value('SELECT count(*) FROM due_reminders'), 1);
  await store.dueReminders.deleteBefore(new Date(now).toISOString());
  t.equal(await store.sql.value('SELECT count(*) FROM due_reminders'), 1, 'due in five hours: kept');
  await store.dueReminders.deleteBefore(new Date(now + 6 * HOUR).toISOString());
  t.equal(await store.sql.value('SELECT count(*) FROM due_reminders'), 0);
});
