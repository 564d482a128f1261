// Site administration: settings, people, reset and invitation links, information; admins only.
import t from 'tap';
import { SCHEMA } from './helpers/schema.js';
import { startApp } from './helpers/app.js';
import { Browser, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';
import { redactUrl } from '../server/web/log-redact.js';

t.test('only site admins reach the admin pages', async (t) => {
  const { app } = await startApp(t);
  const admin = await signUp(app, 'admin');
  const bob = await signUp(app, 'bob');
  for (const url of ['/setting', '/people', '/information']) {
    const page = await admin.get(url);
    t.equal(page.status, 200, url);
    t.equal((await validateHtml(page.body, url.slice(1))).valid, true, `${url} validates`);
    t.equal((await bob.get(url)).status, 403, `${url} is refused to others`);
  }
  const token = (await bob.get('/')).$('input[name=csrf]').attr('value')!;
  t.equal((await bob.post('/setting', { csrf: token, registration: 'closed', siteTitle: 'Mine' })).status, 403);
});

t.test('site title and registration: open, invite-only (with single-use links), closed', async (t) => {
  const { app, store } = await startApp(t);
  const admin = await signUp(app, 'admin');
  let setting = await admin.submit(await admin.get('/setting'), '/setting', { siteTitle: 'Team Kanban', registration: 'invite-only' });
  t.equal(setting.$('title').text(), 'Site settings - Team Kanban');
  const bad = await admin.submit(setting, '/setting', { siteTitle: '', registration: 'sometimes' });
  t.equal(bad.status, 422);
  t.equal((await validateHtml(bad.body, 'setting-422')).valid, true);

  const stranger = new Browser(app);
  t.equal((await stranger.get('/sign-up')).status, 403, 'no invitation, no sign-up');
  const people = await admin.submit(await admin.get('/people'), '/people/invite');
  const link = people.$('div.done kbd').text();
  t.match(link, /^\/sign-up\?invite=[\w-]+$/, 'without WAMI_BASE_URL: the path only, no host guessed from the request');
  t.match(people.text, 'so this is the link\'s path only: put the address people reach this site at in front of it');
  t.ok((await validateHtml(people.body, 'people-link-path')).valid);
  const invited = new Browser(app);
  const form = await invited.get(link);
  t.equal(form.status, 200);
  const taken = await invited.submit(form, '/sign-up', { username: 'admin', email: 'n@example.org', password: 'password123', password2: 'password123' });
  t.equal(taken.status, 409, 'a username taken already: 409');
  t.match(taken.text, 'That username is taken');
  const done = await invited.submit(taken, '/sign-up', { username: 'newbie', email: 'n@example.org', password: 'password123', password2: 'password123' });
  t.match(done.text, 'Signed in as newbie', 'the invitation still works after the refused try');
  t.equal((await new Browser(app).get(link)).status, 403, 'the link works once');

  setting = await admin.submit(await admin.get('/setting'), '/setting', { siteTitle: 'Team Kanban', registration: 'closed' });
  t.equal((await stranger.get('/sign-up')).status, 403);
  t.equal(await store.users.count(), 2);
});

t.test('make admin, disable login, and the guards that keep one admin in charge', async (t) => {
  const { app, store } = await startApp(t);
  const admin = await signUp(app, 'admin');
  const bob = await signUp(app, 'bob', 'bob password');
  const bobId = (await store.users.byUsername('bob'))!.id;
  const adminId = (await store.users.byUsername('admin'))!.id;
  let people = await admin.get('/people');
  const selfDemote = await admin.submit(people, `/people/${adminId}/admin`);
  t.equal(selfDemote.status, 409, 'the last admin stays');
  people = await admin.submit(people, `/people/${bobId}/admin`);
  t.equal((await store.users.byId(bobId))?.isAdmin, 1);
  people = await admin.submit(people, `/people/${bobId}/admin`);
  t.equal((await store.users.byId(bobId))?.isAdmin, 0);
  t.equal((await admin.submit(people, `/people/${adminId}/login`)).status, 409, 'cannot disable yourself');
  people = await admin.submit(people, `/people/${bobId}/login`);
  t.equal((await store.users.byId(bobId))?.loginDisabled, 1);
  t.equal((await bob.get('/', false)).status, 303, 'a disabled account is signed out');
  const again = new Browser(app);
  const refused = await again.submit(await again.get('/sign-in'), '/sign-in', { username: 'bob', password: 'bob password' });
  t.equal(refused.status, 401, 'and cannot sign in');
  people = await admin.submit(people, `/people/${bobId}/login`);
  const allowed = await again.submit(await again.get('/sign-in'), '/sign-in', { username: 'bob', password: 'bob password' });
  t.match(allowed.text, 'Signed in as bob');
});

t.test('an admin-issued reset link sets a new password once; used, unknown or expired links are 404', async (t) => {
  const { app, store } = await startApp(t, { WAMI_BASE_URL: 'https://kanban.example.org' });
  const admin = await signUp(app, 'admin');
  const bob = await signUp(app, 'bob', 'forgotten one');
  const bobId = (await store.users.byUsername('bob'))!.id;
  const people = await admin.submit(await admin.get('/people'), `/people/${bobId}/reset-link`);
  t.match(people.text, 'A password-reset link for bob');
  const link = people.$('div.done kbd').text();
  t.match(link, /^https:\/\/kanban\.example\.org\/reset-password\/[\w-]+$/, 'a whole link on the public origin');
  t.notMatch(people.text, 'path only');
  const path = new URL(link).pathname;
  t.equal(redactUrl(path), '/reset-password/[redacted]', 'the token never reaches the log');
  const visitor = new Browser(app);
  const form = await visitor.get(path);
  t.match(form.text, 'For the account bob');
  t.equal((await validateHtml(form.body, 'reset-password')).valid, true);
  const short = await visitor.submit(form, path, { password: 'short', password2: 'short' });
  t.equal(short.status, 422);
  const done = await visitor.submit(form, path, { password: 'brand new pass', password2: 'brand new pass' });
  t.match(done.text, 'Your new password is set');
  t.equal((await bob.get('/', false)).status, 303, 'old sessions end');
  const signedIn = await visitor.submit(await visitor.get('/sign-in'), '/sign-in', { username: 'bob', password: 'brand new pass' });
  t.match(signedIn.text, 'Signed in as bob');
  t.equal((await new Browser(app).get(path)).status, 404, 'used once');
  t.equal((await new Browser(app).get('/reset-password/nonsense')).status, 404);
  const expired = await store.tokens.issue('reset', (await store.users.byUsername('admin'))!.id, bobId, 1);
  await store.sql.run(`UPDATE one_time_tokens SET expires_at = '2000-01-01T00:00:00.000Z' WHERE used_at IS NULL`);
  t.equal((await new Browser(app).get(`/reset-password/${expired}`)).status, 404, 'expired');
});

t.test('information shows versions and counts', async (t) => {
  const { app } = await startApp(t);
  const admin = await signUp(app, 'admin');
  const page = await admin.get('/information');
  t.match(page.text, /Wami 0\.\d+\.\d+/);
  t.match(page.text, new RegExp(`Database (SQLite 3\\.[\\d.]+|PostgreSQL \\d[\\d.]*) \\(schema ${SCHEMA}\\)`));
  t.match(page.text, 'users 1');
  t.match(page.text, 'Email off (WAMI_SMTP_URL not set): 0 waiting to be sent, 0 given up', 'whether mail goes, and what waits');
});
