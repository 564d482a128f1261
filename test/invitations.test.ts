// Invitations to a board by email (Step 10): a board admin adds someone by email address; without an
// account they get a mail (received here by a real SMTP server on loopback) with a single-use link to
// /enroll-account/:token, choose a username and password there, and are on the board, signed in. An
// address with an account gets the same mail and answer (the page must not tell whether an account uses
// it) and joins by following the link, signed in; with email off, or no WAMI_BASE_URL to put in the
// link, the admin is told to add people by username instead.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp, type Page } from './helpers/browser.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';
import { validateHtml } from './helpers/validate.js';
import { until } from './helpers/wait.js';

/** The public origin of these tests' sites: links in mails are only ever built on it. */
const BASE = 'https://kanban.example.org';

function enrollLink(smtp: TestSmtp, nth: number): string {
  const link = /https?:\/\/\S+\/enroll-account\/\S+/.exec(String(smtp.received[nth]?.text))?.[0];
  if (!link) throw new Error(`no enrollment link in mail ${nth}`);
  if (!link.startsWith(`${BASE}/`)) throw new Error(`the link ${link} is not on the public origin`);
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
  const { app, store, board, members, invite } = await boardWithAdmin({ WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: BASE }, t);
  t.match(members.text, 'An email address gets an invitation by mail');
  const sent = await invite('Bob@Example.org', 'comment-only');
  t.equal(sent.status, 200, 'the members page again, saying so');
  t.match(sent.text, 'An invitation to join as comment-only went to Bob@Example.org. It works once, within 7 days.');
  t.equal(sent.text.split('An invitation to join').length, 2, 'said once (the layout printed it a second time, raw)');
  t.notMatch(members.text, /\bnull\b/, 'the members page prints no "null" where no notice is');
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
  const { app, store, invite } = await boardWithAdmin({ WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: BASE }, t);
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

t.test('an address with an account: the same answer and mail as any other; the link joins that account', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store, board, alice, invite } = await boardWithAdmin({ WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: BASE }, t);
  const erin = await signUp(app, 'erin');
  const stranger = await invite('nobody@example.org', 'worker');
  const added = await invite('ERIN@example.org', 'worker');
  t.equal(added.status, stranger.status, 'the same status as for an address without an account');
  t.equal(added.text.replace(/ERIN@example\.org/g, 'X'), stranger.text.replace(/nobody@example\.org/g, 'X'),
    'the same page, word for word, but for the address');
  t.notOk((await store.members.forBoard(boardIdOf(board))).some((m) => m.username === 'erin'), 'not a member yet');

  await until(() => smtp.received.length === 2);
  const link = enrollLink(smtp, 1);
  const signedOut = await new Browser(app).get(link);
  t.match(signedOut.text, /Have an account already\? Sign in ?, and you come back here to join with it\./);
  const signIn = signedOut.$('a').filter((_, a) => signedOut.$(a).text() === 'Sign in').last().attr('href')!;
  t.equal(signIn, `/sign-in?next=${encodeURIComponent(link)}`, 'sign-in brings them back to the link');

  const offer = await erin.get(link);
  t.match(offer.text, 'You are signed in as erin: you join the board with this account.');
  t.ok((await validateHtml(offer.body, 'enroll-account-signed-in')).valid, 'valid HTML 4.01');
  const joined = await erin.submit(offer, `${link}/join`, {});
  t.equal(joined.url, boardPath(board), 'onto the board');
  t.equal((await store.members.forBoard(boardIdOf(board))).find((m) => m.username === 'erin')?.role, 'worker', 'with the invited role');
  t.equal((await erin.get(link)).status, 404, 'the link works once');

  // alice, the board's admin, follows an old invitation to her own board: her role stays
  await invite('alice-too@example.org', 'comment-only');
  await until(() => smtp.received.length === 3);
  const own = enrollLink(smtp, 2);
  const offered = await alice.get(own);
  t.match(offered.text, 'You are signed in as alice, who is on this board already, as admin: following the invitation keeps that role.');
  t.equal(offered.$('input[type=submit]').last().val(), 'Go to the board');
  t.ok((await validateHtml(offered.body, 'enroll-account-member')).valid);
  await alice.submit(offered, `${own}/join`, {});
  t.equal((await store.members.forBoard(boardIdOf(board))).find((m) => m.username === 'alice')?.role, 'admin', 'an invitation never lowers a role');
});

t.test('a wrong address 422; a flood to one address 429', async (t) => {
  const smtp = await startSmtp(t);
  const { invite } = await boardWithAdmin({ WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: BASE }, t);
  const wrong = await invite('erin@');
  t.equal(wrong.status, 422);
  t.match(wrong.text, 'That is not an email address');
  for (let i = 0; i < 3; i++) t.equal((await invite('typo@example.org')).status, 200, `invitation ${i + 1}`);
  const flood = await invite('typo@example.org');
  t.equal(flood.status, 429, 'the fourth to one address in a day: 429');
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(smtp.received.filter((m) => (m.to as { text: string }).text === 'typo@example.org').length, 3, 'three mails, not four');
});

t.test('with email off, or no public address for the link, adding by address says to add by username', async (t) => {
  const { app, store, members, invite } = await boardWithAdmin({}, t);
  t.match(members.text, 'Email is off on this server: people join by username');
  await signUp(app, 'gina');
  const refused = await invite('frank@example.org');
  t.equal(refused.status, 422);
  t.match(refused.text, 'Invitations by email address need email and this site\'s public address');
  const known = await invite('gina@example.org');
  t.equal(known.status, 422, 'an address with an account: the same refusal');
  t.equal(known.text.replace(/gina/g, 'frank'), refused.text, 'word for word');
  t.equal(await store.sql.value('SELECT count(*) FROM board_invitations'), 0);
  t.ok((await validateHtml(refused.body, 'members-mail-off')).valid);

  const smtp = await startSmtp(t);
  const noBase = await boardWithAdmin({ WAMI_SMTP_URL: smtp.url }, t);
  t.match(noBase.members.text, 'this site does not know its public address (WAMI_BASE_URL is not set)');
  const unsent = await noBase.invite('frank@example.org');
  t.equal(unsent.status, 422, 'no link can be made: refused, not a mail with a link to whatever Host was asked');
  t.equal(await noBase.store.outbox.counts().then((c) => c.waiting), 0, 'nothing queued');
});
