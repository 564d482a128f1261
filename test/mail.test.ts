// Mail (Step 10, its first part): the durable outbox and its background sender, against a real SMTP
// server on loopback. A queued mail goes out as plain UTF-8 text with the right headers; a mail queued in
// a transaction that is undone never goes; a mail server that is down delays the mail, not a page, and
// the mail goes once the server is back.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { startSmtp } from './helpers/smtp.js';
import { signUp } from './helpers/browser.js';
import { until } from './helpers/wait.js';

t.test('a queued mail goes out as plain UTF-8 text, with its headers, once its transaction commits', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_MAIL_FROM: 'Wami Kanban <kanban@example.org>' });
  await app.ready();
  await store.outbox.enqueue({ to: 'anna@example.org', subject: 'Pääsy tauluun – “Työt” ✓', body: 'Hei Anna,\n\nlinkki: http://localhost/b/x\n', kind: 'test' });
  await until(() => smtp.received.length === 1);
  const [mail] = smtp.received;
  t.equal(mail!.subject, 'Pääsy tauluun – “Työt” ✓', 'the subject arrives whole');
  t.match(smtp.raw[0], /^Subject: =\?UTF-8\?[BQ]\?/m, 'encoded for the header (RFC 2047), not raw 8-bit');
  t.equal(mail!.text, 'Hei Anna,\n\nlinkki: http://localhost/b/x\n', 'the body as written');
  t.equal(mail!.html, false, 'plain text only: no HTML part, so nothing to track');
  t.match(smtp.raw[0], /^Content-Type: text\/plain; charset=utf-8/mi, 'declared as UTF-8 plain text');
  t.equal(mail!.from?.value[0]?.address, 'kanban@example.org', 'from WAMI_MAIL_FROM');
  t.equal(mail!.headers.get('auto-submitted'), 'auto-generated', 'marked automatic: no vacation replies');
  await until(async () => (await store.outbox.counts()).waiting === 0);
  t.equal(await store.sql.value('SELECT count(*) FROM mail_outbox WHERE sent_at IS NOT NULL'), 1, 'kept as sent (the rate limits count it)');

  const undone = store.atomically(async () => {
    await store.outbox.enqueue({ to: 'bob@example.org', subject: 'Never', body: 'x', kind: 'test' });
    throw new Error('changed my mind');
  });
  await t.rejects(undone, { message: 'changed my mind' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(smtp.received.length, 1, 'a mail queued in an undone transaction never goes');
});

t.test('a mail server that is down delays the mail, never a page; the mail goes once it is back', async (t) => {
  const smtp = await startSmtp(t, { running: false });
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_MAIL_RETRY_MS: '100' });
  await app.ready();
  const alice = await signUp(app, 'alice');
  await store.outbox.enqueue({ to: 'anna@example.org', subject: 'Waits', body: 'for the server', kind: 'test' });
  await until(async () => (await store.sql.value<number>('SELECT attempts FROM mail_outbox')) === 2);
  t.match(await store.sql.value('SELECT last_error FROM mail_outbox'), /ECONNREFUSED/, 'the reason is kept');
  const started = Date.now();
  t.equal((await alice.get('/')).status, 200, 'pages are served as usual meanwhile');
  t.ok(Date.now() - started < 1000, `at once (${Date.now() - started} ms)`);
  t.match((await alice.get('/information')).text, 'Email on: 1 waiting to be sent, 0 given up', 'the admin sees the mail waiting');
  await smtp.start();
  await until(() => smtp.received.length === 1);
  t.equal(smtp.received[0]!.subject, 'Waits', 'sent once the mail server is back');
  t.equal((await store.outbox.counts()).failed, 0, 'and is not counted as failed');
});

t.test('with no SMTP server set, mail waits in the outbox and nothing tries to send it', async (t) => {
  const { app, store } = await startApp(t);
  await app.ready();
  await store.outbox.enqueue({ to: 'anna@example.org', subject: 'Kept', body: 'x', kind: 'test' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.same(await store.sql.one('SELECT attempts, sent_at AS "sentAt" FROM mail_outbox'), { attempts: 0, sentAt: null },
    'not tried, not lost');
});

t.test('the sweep deletes mail settled a week ago, and keeps what waits', async (t) => {
  const { store } = await startApp(t);
  for (const subject of ['old sent', 'old failed', 'waiting']) await store.outbox.enqueue({ to: 'a@example.org', subject, body: 'x', kind: 'test' });
  await store.sql.run("UPDATE mail_outbox SET sent_at = '2000-01-01T00:00:00.000Z' WHERE subject = 'old sent'");
  await store.sql.run("UPDATE mail_outbox SET failed_at = '2000-01-01T00:00:00.000Z' WHERE subject = 'old failed'");
  t.equal(await store.outbox.deleteSettledBefore(new Date(Date.now() - 7 * 86400_000).toISOString()), 2);
  t.same(await store.sql.column('SELECT subject FROM mail_outbox'), ['waiting']);
});
