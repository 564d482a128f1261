// Invitations to a board by email (Step 10): a board admin adds someone by email address; without an
// account they get a mail (received here by a real SMTP server on loopback) with a single-use link to
// /enroll-account/:token, choose a username and password there, and are on the board, signed in. An
// address with an account joins at once; with email off the admin is told what to do instead.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp, type Page } from './helpers/browser.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';
import { validateHtml } from './helpers/validate.js';
import { until } from './helpers/wait.js';

function enrollLink(smtp: TestSmtp, nth: number): string {
  const link = /http:\/\/\S+\/enroll-account\/\S+/.exec(String(smtp.received[nth]?.text))?.[0];
  if (!link) throw new Error(`no enrollment link in mail ${nth}`);
  return new URL(link).pathname;
}

const boardIdOf = (board: Page) => boardPath(board).split('/')[2]!;

async function boardWithAdmin(env: Record<string, string>, t: Parameters<typeof startApp>[0]) {
  const started = await startApp(t, env);
  await started.app.ready();
  const alice = await signUp(started.app, 'alice');
  const board = await createBoard(alice, 'Garden');
  const members = await alice.get(`${boardPath(board)}/members`);
  const invite = (who: string, role = 'normal', page: Page = members) => alice.submit(page, '/members', { username: who, role });
  return { ...started, alice, board, members, invite };
}

t.test('someone without an account: a mail, a link, an account of their own, and on the board', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store, board, members, invite } = await boardWithAdmin({ WAMI_SMTP_URL: smtp.url }, t);
  t.match(members.text, 'Someone without an account gets an invitation by mail');
  const sent = await invite('Bob@Example.org', 'comment-only');
  t.equal(sent.status, 200, 'the members page again, saying so');
  t.match(sent.text, 'An invitation to join as comment-only went to Bob@Example.org. It works once, within 7 days.');
  t.ok((await validateHtml(sent.body, 'members-invited')).valid);

  await until(() => smtp.received.length === 1);
  const mail = smtp.received[0]!;
  t.equal(mail.subject, 'alice invites you to the board "Garden" on Wami');
  t.match(String(mail.text), /alice invites you to work with them on the board "Garden"[\s\S]*within 7 days/);
  const link = enrollLink(smtp, 0);

  const bob = new Browser(app);
  const form = await bob.get(link);
  t.equal(form.status, 200, 'the link opens the page to join');
  t.match(form.text, 'alice invites you to the board Garden as comment-only');
  t.ok((await validateHtml(form.body, 'enroll-account')).valid, 'valid HTML 4.01');
  const bad = await bob.submit(form, link, { username: 'bob', password: 'short', password2: 'short' });
  t.equal(bad.status, 422, 'a short password: 422, the form again');
  const joined = await bob.submit(bad, link, { username: 'bob', password: 'bob password', password2: 'bob password' });
  t.equal(joined.url, boardPath(board), 'straight onto the board');
  t.match(joined.text, 'Signed in as bob');
  const bobRow = (await store.members.forBoard(boardIdOf(board))).find((m) => m.username === 'bob');
  t.equal(bobRow?.role, 'comment-only', 'with the role chosen');
  t.equal((await store.users.byUsername('bob'))?.email, 'Bob@Example.org', 'the account has the invited address');
  t.equal((await new Browser(app).get(link)).status, 404, 'the link works once');
  t.equal((await new Browser(app).get('/enroll-account/made-up')).status, 404, 'an unknown one: the same 404');
});

t.test('a taken username keeps the invitation; closed sign-up does not stop it; an expired link is dead', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store, invite } = await boardWithAdmin({ WAMI_SMTP_URL: smtp.url }, t);
  await store.settings.saveSite({ registration: 'closed', siteTitle: 'Wami' });
  await invite('carol@example.org');
  await until(() => smtp.received.length === 1);
  const link = enrollLink(smtp, 0);
  const carol = new Browser(app);
  const taken = await carol.submit(await carol.get(link), link, { username: 'alice', password: 'carol password', password2: 'carol password' });
  t.equal(taken.status, 409);
  t.match(taken.text, 'That username is taken');
  const joined = await carol.submit(taken, link, { username: 'carol', password: 'carol password', password2: 'carol password' });
  t.match(joined.text, 'Signed in as carol', 'the invitation still works, with sign-up closed');

  await invite('dave@example.org');
  await until(() => smtp.received.length === 2);
  await store.sql.run('UPDATE board_invitations SET expires_at = ? WHERE used_at IS NULL', '2000-01-01T00:00:00.000Z');
  t.equal((await new Browser(app).get(enrollLink(smtp, 1))).status, 404, 'an expired invitation: 404');
});

t.test('an address with an account joins at once; a wrong one 422; a flood 429', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store, board, invite } = await boardWithAdmin({ WAMI_SMTP_URL: smtp.url }, t);
  await signUp(app, 'erin');
  const added = await invite('ERIN@example.org');
  t.match(added.text, 'erin', 'erin is listed at once');
  t.ok((await store.members.forBoard(boardIdOf(board))).some((m) => m.username === 'erin'), 'as a member');
  const wrong = await invite('erin@');
  t.equal(wrong.status, 422);
  t.match(wrong.text, 'That is not an email address');
  for (let i = 0; i < 3; i++) t.equal((await invite('typo@example.org')).status, 200, `invitation ${i + 1}`);
  const flood = await invite('typo@example.org');
  t.equal(flood.status, 429, 'the fourth to one address in a day: 429');
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(smtp.received.filter((m) => (m.to as { text: string }).text === 'typo@example.org').length, 3, 'three mails, not four');
});

t.test('with email off, adding an address without an account says what to do instead', async (t) => {
  const { store, members, invite } = await boardWithAdmin({}, t);
  t.match(members.text, 'Email is off on this server: people join by username');
  const refused = await invite('frank@example.org');
  t.equal(refused.status, 422);
  t.match(refused.text, 'email is off on this server, so no invitation can be sent');
  t.equal(await store.sql.value('SELECT count(*) FROM board_invitations'), 0);
  t.ok((await validateHtml(refused.body, 'members-mail-off')).valid);
});
