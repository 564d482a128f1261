// Links and tokens end with their purpose: using one reset link ends the account's others, a new password
// ends every reset link still open, and a form made for Basic-auth credentials goes stale when the
// password changes (its CSRF token is bound to the credentials, not only to the account).
import t from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, signUp } from './helpers/browser.js';

const basicFor = (app: Parameters<typeof signUp>[0], username: string, password: string) => {
  const browser = new Browser(app, false);
  browser.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return browser;
};

/** A reset link for bob, made by the admin on /people (its path: no WAMI_BASE_URL here). */
async function resetLink(admin: Browser, bobId: string): Promise<string> {
  const people = await admin.submit(await admin.get('/people'), `/people/${bobId}/reset-link`);
  return people.$('div.done kbd').text();
}

t.test('using one reset link ends every other one of the account; other accounts keep theirs', async (t) => {
  const { app, store } = await startApp(t);
  const admin = await signUp(app, 'admin');
  await signUp(app, 'bob', 'forgotten one');
  await signUp(app, 'carol', 'carol password');
  const bobId = (await store.users.byUsername('bob'))!.id;
  const carolId = (await store.users.byUsername('carol'))!.id;
  const older = await resetLink(admin, bobId);
  const newer = await resetLink(admin, bobId);
  const carols = await resetLink(admin, carolId);
  t.equal((await new Browser(app).get(older)).status, 200, 'both work before either is used');

  const visitor = new Browser(app);
  const done = await visitor.submit(await visitor.get(newer), newer, { password: 'brand new one', password2: 'brand new one' });
  t.equal(done.status, 200);
  t.equal((await new Browser(app).get(older)).status, 404, 'the older link is dead once the newer was used');
  const late = await new Browser(app).post(older, { password: 'attacker pick', password2: 'attacker pick' });
  t.equal(late.status, 404, 'and cannot set a password');
  t.equal((await new Browser(app).get(carols)).status, 200, 'another account\'s link still works');
});

t.test('a password changed on the profile ends the reset links still open', async (t) => {
  const { app, store } = await startApp(t);
  const admin = await signUp(app, 'admin');
  const bob = await signUp(app, 'bob', 'old password');
  const link = await resetLink(admin, (await store.users.byUsername('bob'))!.id);
  const changed = await bob.submit(await bob.get('/change-password'), '/change-password',
    { current: 'old password', password: 'new password', password2: 'new password' });
  t.match(changed.text, 'Your password was changed');
  t.equal((await new Browser(app).get(link)).status, 404, 'the reset link made before is dead');
});

t.test('the CSRF token of a Basic-auth browser changes with the password', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice', 'old password');
  const basic = basicFor(app, 'alice', 'old password');
  const home = await basic.get('/');
  const oldToken = home.$('input[name=csrf]').first().val() as string;
  t.ok(oldToken, 'the Basic browser has a form token');
  t.equal((await basic.post('/boards', { csrf: oldToken, title: 'Made with Basic' })).status, 200, 'it works while the password is the same');

  await alice.submit(await alice.get('/change-password'), '/change-password',
    { current: 'old password', password: 'new password', password2: 'new password' });
  const renewed = basicFor(app, 'alice', 'new password');
  const stale = await renewed.post('/boards', { csrf: oldToken, title: 'Forged with an old token' });
  t.equal(stale.status, 403, 'a token taken with the old password no longer passes');
  const fresh = (await renewed.get('/')).$('input[name=csrf]').first().val() as string;
  t.not(fresh, oldToken, 'the new credentials have a token of their own');
  t.equal((await renewed.post('/boards', { csrf: fresh, title: 'Made again' })).status, 200);
});
