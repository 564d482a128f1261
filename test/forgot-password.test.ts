// A forgotten password (Step 10): /forgot-password mails a single-use, expiring link to
// /reset-password/:token, received here by a real SMTP server on loopback. The answer never says whether
// an address has an account; a flood is limited per address and per account; with email off, or no
// public address for the link (WAMI_BASE_URL), the page says so and what an administrator can do instead.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, signUp } from './helpers/browser.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';
import { validateHtml } from './helpers/validate.js';
import { until } from './helpers/wait.js';

/** The reset link in the nth mail received. */
function linkIn(smtp: TestSmtp, nth: number): string {
  const link = /http:\/\/\S+\/reset-password\/\S+/.exec(String(smtp.received[nth]?.text))?.[0];
  if (!link) throw new Error(`no reset link in mail ${nth}`);
  return new URL(link).pathname;
}

async function ask(browser: Browser, email: string) {
  return browser.submit(await browser.get('/forgot-password'), '/forgot-password', { email });
}

t.test('the whole reset by mail: the new password works, the old one does not, the link is dead', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: 'http://kanban.example.org' });
  await app.ready();
  await signUp(app, 'alice', 'old password 1');
  const browser = new Browser(app);
  const signIn = await browser.get('/sign-in');
  t.equal(signIn.$('a[href="/forgot-password"]').text(), 'Forgot your password?', 'the sign-in page links to it');
  const form = await browser.get('/forgot-password');
  t.ok((await validateHtml(form.body, 'forgot-password')).valid, 'the form is valid HTML 4.01');
  const sent = await ask(browser, 'ALICE@example.org');
  t.equal(sent.status, 200, 'the address typed in capitals is found');
  t.match(sent.text, /If an account uses alice@example\.org ?, a mail with a link to choose a new password is on its way/,
    'the same answer whoever has the address');
  t.ok((await validateHtml(sent.body, 'forgot-password-sent')).valid, 'the answer is valid HTML 4.01');

  await until(() => smtp.received.length === 1);
  const mail = smtp.received[0]!;
  t.equal((mail.to as { value: { address: string }[] }).value[0]!.address, 'alice@example.org', 'to the account\'s address');
  t.equal(mail.subject, 'Choose a new password for Wami', 'the subject names the site');
  t.match(String(mail.text), /Hello alice,[\s\S]*http:\/\/kanban\.example\.org\/reset-password\/\S+\n[\s\S]*ignore this mail/,
    'plain text with the link on the public origin');
  const link = linkIn(smtp, 0);

  const choose = await browser.get(link);
  t.equal(choose.status, 200, 'the link opens the page to choose a password');
  const done = await browser.submit(choose, link, { password: 'new password 2', password2: 'new password 2' });
  t.match(done.text, 'Your new password is set');
  const withNew = await browser.submit(await browser.get('/sign-in'), '/sign-in', { username: 'alice', password: 'new password 2' });
  t.match(withNew.text, 'Signed in as alice', 'the new password works');
  const other = new Browser(app);
  const withOld = await other.submit(await other.get('/sign-in'), '/sign-in', { username: 'alice', password: 'old password 1' });
  t.equal(withOld.status, 401, 'the old one does not');
  const again = await new Browser(app).get(link);
  t.equal(again.status, 404, 'the link works once');
  t.match(again.text, 'used already, has expired, or was mistyped');
  t.equal(await store.sql.value("SELECT count(*) FROM mail_outbox WHERE kind = 'reset'"), 1);
});

t.test('an unknown address gets the same answer and no mail; a wrong one 422; an expired link 404', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: 'http://kanban.example.org' });
  await app.ready();
  await signUp(app, 'alice');
  const browser = new Browser(app);
  const known = await ask(browser, 'alice@example.org');
  const unknown = await ask(browser, 'nobody@example.org');
  t.equal(unknown.status, known.status, 'the same status');
  t.equal(unknown.text.replace('nobody@', 'alice@'), known.text, 'word for word the same page');
  await until(() => smtp.received.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(smtp.received.length, 1, 'only the account gets a mail');

  const wrong = await ask(browser, 'not an address');
  t.equal(wrong.status, 422);
  t.match(wrong.text, 'That is not an email address');
  t.equal(wrong.$('#email').attr('value'), 'not an address', 'what was typed is kept');
  t.ok((await validateHtml(wrong.body, 'forgot-password-422')).valid);

  const link = linkIn(smtp, 0);
  await store.sql.run("UPDATE one_time_tokens SET expires_at = '2000-01-01T00:00:00.000Z'");
  t.equal((await browser.get(link)).status, 404, 'an expired link: the same 404 page');
  t.equal((await browser.get('/reset-password/made-up-token')).status, 404, 'an unknown one too');
});

t.test('a flood of requests: limited per account (mails) and per address (429)', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: 'http://kanban.example.org' });
  await app.ready();
  await signUp(app, 'alice');
  const browser = new Browser(app);
  for (let i = 0; i < 5; i++) {
    const page = await ask(browser, i % 2 ? 'Alice@Example.org' : 'alice@example.org');
    t.equal(page.status, 200, `request ${i + 1} answered as usual`);
  }
  t.equal(await store.sql.value("SELECT count(*) FROM mail_outbox WHERE kind = 'reset'"), 3, 'three mails to the account, no more');
  const limited = await ask(browser, 'alice@example.org');
  t.equal(limited.status, 429, 'the sixth request for the address: 429');
  t.ok(Number(limited.headers['retry-after']) > 0);
  t.match(limited.text, 'asked for too often');
  t.equal((await ask(browser, 'nobody@example.org')).status, 200, 'another address is not held up');
  t.equal((await ask(new Browser(app), 'nobody@example.org')).status, 200);
});

t.test('with email off, the page says so and what an administrator can do instead', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const browser = new Browser(app);
  const page = await browser.get('/forgot-password');
  t.match(page.text, 'Email is off on this server');
  t.match(page.text, 'Ask an administrator of this site for a password-reset link');
  t.equal(page.$('form[action="/forgot-password"]').length, 0, 'no form that would send nothing');
  t.ok((await validateHtml(page.body, 'forgot-password-off')).valid);
  const posted = await browser.post('/forgot-password', { email: 'alice@example.org' });
  t.match(posted.text, 'Email is off on this server');
  t.equal(await store.sql.value('SELECT count(*) FROM mail_outbox'), 0, 'nothing queued');
  t.equal(await store.sql.value("SELECT count(*) FROM one_time_tokens WHERE purpose = 'reset'"), 0, 'no link made');
});

t.test('without WAMI_BASE_URL no link is mailed: not even one on the Host the request names', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url });
  await signUp(app, 'alice');
  const page = await app.inject({ url: '/forgot-password', headers: { host: 'evil.example' } });
  t.match(page.body, 'This site does not know its public address (WAMI_BASE_URL is not set)');
  t.match(page.body, 'Ask an administrator of this site for a password-reset link');
  t.ok((await validateHtml(page.body, 'forgot-password-no-address')).valid);
  const posted = await new Browser(app).post('/forgot-password', { email: 'alice@example.org' });
  t.match(posted.text, 'does not know its public address');
  t.equal(await store.sql.value('SELECT count(*) FROM mail_outbox'), 0, 'nothing queued');
  t.equal(await store.sql.value("SELECT count(*) FROM one_time_tokens WHERE purpose = 'reset'"), 0, 'no link made');
});
