// The profile page, time zones, text-browser mode, password changes; and date parsing around DST.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';
import { dateFields, parseLocalDate } from '../server/dates.js';
import { verifyPassword } from '../server/passwords.js';

t.test('typed dates are read in the user time zone, across daylight-saving changes', async (t) => {
  t.same(parseLocalDate('2026-07-01', '12:00', 'Europe/Helsinki', '00:00'), { ok: true, value: '2026-07-01T09:00:00.000Z' }, 'summer: UTC+3');
  t.same(parseLocalDate('2026-01-15', '12:00', 'Europe/Helsinki', '00:00'), { ok: true, value: '2026-01-15T10:00:00.000Z' }, 'winter: UTC+2');
  t.same(parseLocalDate('2026-03-29', '04:30', 'Europe/Helsinki', '00:00'), { ok: true, value: '2026-03-29T01:30:00.000Z' }, 'the morning the clocks change');
  t.same(parseLocalDate('2026-11-01', '', 'America/New_York', '23:59'), { ok: true, value: '2026-11-02T04:59:00.000Z' }, 'a date alone, as a due date: the end of that day');
  t.same(parseLocalDate('', '', 'UTC', '00:00'), { ok: true, value: null }, 'empty clears the date');
  for (const [date, time] of [['2026-02-30', ''], ['31.12.2026', ''], ['2026-12-24', '25:00'], ['2026-12-24', 'noon'], ['', '12:00']]) {
    const parsed = parseLocalDate(date!, time!, 'UTC', '00:00');
    t.equal(parsed.ok, false, `${date} ${time} is refused`);
  }
  t.same(dateFields('2026-07-01T09:00:00.000Z', 'Europe/Helsinki'), { date: '2026-07-01', time: '12:00' });
});

t.test('change name, initials and time zone; pages show times in that zone', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const profile = await alice.get('/profile');
  t.equal((await validateHtml(profile.body, 'profile')).valid, true);
  const saved = await alice.submit(profile, '/profile', { fullname: 'Alice Ångström', initials: 'AÅ', timeZone: 'Asia/Tokyo' });
  t.match(saved.text, 'Saved.');
  t.equal(saved.$('#timeZone option[selected]').text(), 'Asia/Tokyo');
  t.match(await store.users.byUsername('alice'), { fullname: 'Alice Ångström', initials: 'AÅ', timeZone: 'Asia/Tokyo' });
  const board = await createBoard(alice, 'Tokyo');
  t.match(board.text, /updated \d\d:\d\d:\d\d Asia\/Tokyo/);
});

t.test('a bad time zone or long initials are 422 with the form as typed; nothing changes', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await alice.submit(await alice.get('/profile'), '/profile', { fullname: 'A', initials: 'ABCDE', timeZone: 'Mars/Olympus' });
  t.equal(page.status, 422);
  t.match(page.text, 'Initials are at most 4 characters');
  t.match(page.text, 'Choose a time zone from the list');
  t.equal(page.$('#initials').attr('value'), 'ABCDE');
  t.equal((await validateHtml(page.body, 'profile-422')).valid, true);
  t.equal((await store.users.byUsername('alice'))!.timeZone, 'UTC');
});

t.test('text-browser mode drops the style sheet, the icons and the layout table', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const plain = await alice.submit(await alice.get('/profile'), '/profile', { textMode: '1', timeZone: 'UTC' });
  t.equal(plain.$('link[rel=stylesheet]').length, 0);
  t.equal(plain.$('img').length, 0);
  t.equal(plain.$('table.top').length, 0);
  t.ok(plain.$('input[value="Sign out"]').length, 'still a way to sign out');
  t.equal((await validateHtml(plain.body, 'text-mode')).valid, true);
  const styled = await alice.submit(plain, '/profile', { timeZone: 'UTC', textMode: [] });
  t.equal(styled.$('link[rel=stylesheet]').length, 1, 'unticking brings decoration back');
});

t.test('change password: the current one is asked for, other sessions end, the old one stops working', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice', 'old password');
  const otherBrowser = new Browser(app);
  await otherBrowser.submit(await otherBrowser.get('/sign-in'), '/sign-in', { username: 'alice', password: 'old password' });
  const basic = new Browser(app, false);
  basic.authorization = `Basic ${Buffer.from('alice:old password').toString('base64')}`;
  t.equal((await basic.get('/')).status, 200, 'Basic auth works with the old password');

  const form = await alice.get('/change-password');
  t.equal((await validateHtml(form.body, 'change-password')).valid, true);
  const wrong = await alice.submit(form, '/change-password', { current: 'guess', password: 'new password', password2: 'new password' });
  t.equal(wrong.status, 403);
  const mismatch = await alice.submit(form, '/change-password', { current: 'old password', password: 'new password', password2: 'other' });
  t.equal(mismatch.status, 422);
  const short = await alice.submit(form, '/change-password', { current: 'old password', password: 'short', password2: 'short' });
  t.equal(short.status, 422);
  const done = await alice.submit(form, '/change-password', { current: 'old password', password: 'new password', password2: 'new password' });
  t.match(done.text, 'Your password was changed');
  t.equal((await otherBrowser.get('/', false)).status, 303, 'the other browser is signed out');
  t.equal((await basic.get('/', false)).status, 303, 'the old Basic credentials fail at once');
  t.equal(await store.sql.value('SELECT count(*) FROM sessions'), 1, 'only this browser stays signed in');
  const fresh = new Browser(app);
  const signedIn = await fresh.submit(await fresh.get('/sign-in'), '/sign-in', { username: 'alice', password: 'new password' });
  t.match(signedIn.text, 'Signed in as alice');
});

t.test('the current password on /change-password is limited as sign-ins are: 429 after ten wrong ones', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice', 'old password');
  const form = await alice.get('/change-password');
  for (let i = 0; i < 10; i++) {
    const wrong = await alice.submit(form, '/change-password', { current: `guess ${i}`, password: 'taken over', password2: 'taken over' });
    t.equal(wrong.status, 403, `guess ${i + 1}: refused`);
  }
  const limited = await alice.submit(form, '/change-password', { current: 'old password', password: 'taken over', password2: 'taken over' });
  t.equal(limited.status, 429, 'paused, even with the right password');
  t.ok(Number(limited.headers['retry-after']) > 0);
  t.match(limited.text, 'Too many wrong current passwords');
  t.ok((await validateHtml(limited.body, 'change-password-429')).valid);
  const hash = await store.users.passwordHash((await store.users.byUsername('alice'))!.id);
  t.ok(hash && await verifyPassword('old password', hash), 'the password is unchanged');
});
