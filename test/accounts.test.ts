// Sign-up, sign-in, sign-out, browsers without cookies, HTTP Basic auth and the failed-login limit.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { Browser, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

t.test('the first account becomes site admin, later ones do not', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  await signUp(app, 'bob');
  t.equal((await store.users.byUsername('alice'))?.isAdmin, 1);
  t.equal((await store.users.byUsername('bob'))?.isAdmin, 0);
});

t.test('passwords are stored hashed with scrypt, never as typed', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice', 'my secret words');
  const row = await store.sql.one('SELECT password_hash FROM users') as { password_hash: string };
  t.match(row.password_hash, /^scrypt\$16384\$8\$1\$/);
  t.notMatch(row.password_hash, /my secret words/);
});

t.test('the session cookie is HttpOnly, random and stored only as a hash', async (t) => {
  const { app, store } = await startApp(t);
  const browser = new Browser(app);
  const form = await browser.get('/sign-up');
  const response = await browser.submit(form, '/sign-up', {
    username: 'alice', email: 'a@example.org', password: 'password123', password2: 'password123',
  }, undefined, false);
  t.equal(response.status, 303);
  const setCookie = ([] as string[]).concat(response.headers['set-cookie'] as string | string[]);
  const session = setCookie.find((c) => c.startsWith('wami_session='));
  t.ok(session, 'a session cookie is set');
  t.match(session!, /HttpOnly/);
  t.match(session!, /Expires=/, 'old browsers need Expires');
  const token = /wami_session=([^;]+)/.exec(session!)![1]!;
  t.ok(token.length >= 40, 'the token is long and random');
  const stored = await store.sql.all('SELECT token_hash FROM sessions') as { token_hash: string }[];
  t.equal(stored.length, 1);
  t.not(stored[0]!.token_hash, token, 'only a hash is stored');
});

t.test('sign in, see the boards page, sign out', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  const browser = new Browser(app);
  const start = await browser.get('/');
  t.equal(start.url, '/sign-in?next=%2F', 'a visitor is sent to the sign-in page');
  const signedIn = await browser.submit(start, '/sign-in', { username: 'alice', password: 'password123' });
  t.equal(signedIn.status, 200);
  t.match(signedIn.text, 'Signed in as alice');
  t.match(signedIn.text, 'All boards');
  const signedOut = await browser.submit(signedIn, '/sign-out');
  t.match(signedOut.text, 'Sign in');
  t.notMatch(signedOut.text, 'Signed in as');
  const again = await browser.get('/', false);
  t.equal(again.status, 303, 'the old session no longer works');
});

t.test('sign out everywhere: every browser and API login token of the user ends, other users stay', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  const bob = await signUp(app, 'bob', 'password123');
  const browsers = [new Browser(app), new Browser(app), new Browser(app)];
  for (const browser of browsers) {
    await browser.submit(await browser.get('/sign-in'), '/sign-in', { username: 'alice', password: 'password123' });
  }
  const login = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'password123' } });
  const bearer = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
  t.equal((await app.inject({ url: '/api/user', headers: bearer })).statusCode, 200);
  const profile = await browsers[0]!.get('/profile');
  t.match(profile.text, 'Signed in on 4 browsers', 'the three here and the one from sign-up');
  t.equal((await validateHtml(profile.body, 'profile-sessions')).valid, true);

  const out = await browsers[0]!.submit(profile, '/sign-out/everywhere');
  t.equal(out.url, '/sign-in?everywhere=1');
  t.match(out.text, 'You are signed out everywhere');
  for (const [i, browser] of browsers.entries()) t.equal((await browser.get('/', false)).status, 303, `browser ${i + 1} is signed out`);
  t.equal((await app.inject({ url: '/api/user', headers: bearer })).statusCode, 401, 'the API login token too');
  t.equal((await bob.get('/')).status, 200, 'bob stays signed in');
  t.equal(await store.sql.value("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'alice'"), 0);

  const forged = await bob.post('/sign-out/everywhere', { csrf: 'forged' });
  t.equal(forged.status, 403, 'it needs the form token, as every form');
  t.equal((await bob.get('/')).status, 200);
});

t.test('an account disabled by another process (the CLI) is signed out on its very next request', async (t) => {
  const { app, reopen } = await startApp(t);
  const alice = await signUp(app, 'alice');
  t.equal((await alice.get('/')).status, 200, 'signed in (and the session now remembered for a second)');
  const other = await reopen();
  await other.sql.run(`UPDATE users SET login_disabled = 1 WHERE username = 'alice'`);
  t.equal((await alice.get('/', false)).status, 303, 'no longer signed in, within the second too');
});

t.test('signing in by email works too, and goes back to the page asked for', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  const browser = new Browser(app);
  const form = await browser.get('/archived-boards');
  const page = await browser.submit(form, '/sign-in', { username: 'alice@example.org', password: 'password123' });
  t.equal(page.url, '/archived-boards');
  t.match(page.text, 'Archived boards');
});

t.test('a wrong password or username is a 401 page that does not say which half was wrong', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  const sessionsBefore = await store.sql.one('SELECT count(*) AS n FROM sessions');
  const browser = new Browser(app);
  const wrongPassword = await browser.submit(await browser.get('/sign-in'), '/sign-in', { username: 'alice', password: 'nope-nope' });
  const wrongUser = await browser.submit(await browser.get('/sign-in'), '/sign-in', { username: 'nobody', password: 'password123' });
  for (const page of [wrongPassword, wrongUser]) {
    t.equal(page.status, 401);
    t.match(page.text, 'Wrong username or password.');
    t.notMatch(page.text, /no such user|unknown user|incorrect password/i);
  }
  t.equal(wrongPassword.$('#username').attr('value'), 'alice', 'the username typed is kept');
  t.equal(wrongPassword.$('#password').attr('value'), undefined, 'the password is not sent back');
  t.same(await store.sql.one('SELECT count(*) AS n FROM sessions'), sessionsBefore, 'no session made');
});

t.test('too many failed sign-ins get 429 with Retry-After, even with the right password', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  const browser = new Browser(app);
  for (let i = 0; i < 10; i++) {
    const page = await browser.submit(await browser.get('/sign-in'), '/sign-in', { username: 'alice', password: `wrong${i}` });
    t.equal(page.status, 401);
  }
  const limited = await browser.submit(await browser.get('/sign-in'), '/sign-in', { username: 'alice', password: 'password123' });
  t.equal(limited.status, 429);
  t.ok(Number(limited.headers['retry-after']) > 0);
  t.match(limited.text, 'Too many failed sign-ins');
});

t.test('failures from many addresses do not lock the owner out: each address pauses only itself', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  // from the trusted proxy (inject comes from 127.0.0.1), each attempt naming another client address
  const login = (forwardedFor: string, password: string, username = 'alice') => app.inject({
    method: 'POST', url: '/users/login', headers: { 'x-forwarded-for': forwardedFor }, payload: { username, password } });
  for (let i = 0; i < 12; i++) t.equal((await login(`203.0.113.${i + 1}`, `guess ${i}`)).statusCode, 401, `attempt ${i + 1} from its own address`);
  t.equal((await login('198.51.100.20', 'password123')).statusCode, 200, 'the owner, from their address, signs in');

  for (let i = 0; i < 10; i++) await login('192.0.2.50', `guess ${i}`);
  const paused = await login('192.0.2.50', 'password123');
  t.equal(paused.statusCode, 429, 'ten failures from one address pause that address, even with the right password');
  t.ok(Number(paused.headers['retry-after']) > 0);
  t.equal((await login('192.0.2.50', 'anything', 'bob')).statusCode, 429, 'for every account');
  t.equal((await login('198.51.100.20', 'password123')).statusCode, 200, 'the owner elsewhere is not');
});

t.test('the sign-in limit is kept in the database: another server on the same data holds it too', async (t) => {
  const { app, dataDir, reopen } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  const login = (server: typeof app, password: string) =>
    server.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password } });
  for (let i = 0; i < 10; i++) t.equal((await login(app, 'wrong password')).statusCode, 401);
  // A second server on the same database: a restart, or (on PostgreSQL) another instance.
  const other = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false' }), store: await reopen() });
  t.teardown(() => other.close());
  const limited = await login(other, 'password123');
  t.equal(limited.statusCode, 429, 'paused there too, even with the right password');
  t.ok(Number(limited.headers['retry-after']) > 0);
});

t.test('sign-up checks what was typed: 422 with the form and the typed values again', async (t) => {
  const { app, store } = await startApp(t);
  const browser = new Browser(app);
  const page = await browser.submit(await browser.get('/sign-up'), '/sign-up', {
    username: 'bad\tname!', email: 'not-an-email', password: 'short', password2: 'short',
  });
  t.equal(page.status, 422);
  t.match(page.text, 'may not hold line breaks, tabs or other control characters');
  t.match(page.text, 'not an email address');
  t.match(page.text, 'at least 8 characters');
  t.equal(page.$('#username').attr('value'), 'bad\tname!');
  t.equal(page.$('#email').attr('value'), 'not-an-email');
  const mismatch = await browser.submit(await browser.get('/sign-up'), '/sign-up', {
    username: 'carol', email: 'c@example.org', password: 'password123', password2: 'password124',
  });
  t.equal(mismatch.status, 422);
  t.match(mismatch.text, 'The two passwords differ');
  t.equal(await store.users.count(), 0, 'no account was made');
});

t.test('a taken username or email is a 409 page', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const browser = new Browser(app);
  const sameName = await browser.submit(await browser.get('/sign-up'), '/sign-up', {
    username: 'ALICE', email: 'other@example.org', password: 'password123', password2: 'password123',
  });
  t.equal(sameName.status, 409);
  t.match(sameName.text, 'That username is taken');
  const sameEmail = await browser.submit(await browser.get('/sign-up'), '/sign-up', {
    username: 'alice2', email: 'alice@example.org', password: 'password123', password2: 'password123',
  });
  t.equal(sameEmail.status, 409);
  t.equal(await store.users.count(), 1);
});

t.test('sign-up can be closed by the operator', async (t) => {
  const { app, store } = await startApp(t, { WAMI_ALLOW_SIGN_UP: 'false' });
  await signUp(app, 'first-admin'); // a fresh site always lets its first account (the admin) be made
  t.equal(await store.users.count(), 1);
  const browser = new Browser(app);
  t.equal((await browser.get('/sign-up')).status, 403);
  const post = await browser.post('/sign-up', { username: 'x', email: 'x@example.org', password: 'password123', password2: 'password123' });
  t.equal(post.status, 403);
  t.match(post.text, 'Sign-up is closed');
});

t.test('a sign-in form with a forged token is refused with 403', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  const browser = new Browser(app);
  const page = await browser.submit(await browser.get('/sign-in'), '/sign-in', {
    username: 'alice', password: 'password123', csrf: 'forged-token-forged-token-forged!',
  });
  t.equal(page.status, 403);
  t.equal((await store.sql.one('SELECT count(*) AS n FROM sessions') as { n: number }).n, 1, 'only the sign-up session');
});

t.test('a browser that refuses cookies is told so, and how to allow them', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  const dillo = new Browser(app, false);
  const page = await dillo.submit(await dillo.get('/sign-in'), '/sign-in', { username: 'alice', password: 'password123' });
  t.equal(page.status, 200);
  t.match(page.text, 'Your browser refused our cookie');
  t.match(page.text, 'localhost ACCEPT', 'the Dillo cookiesrc line names this host');
  t.ok(page.$('a[href^="/sign-in/basic"]').length, 'offers HTTP authentication instead');
});

t.test('HTTP Basic auth signs in without cookies; a wrong password gets 401 again', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  const dillo = new Browser(app, false);
  const challenge = await dillo.get('/sign-in/basic');
  t.equal(challenge.status, 401);
  t.match(String(challenge.headers['www-authenticate']), /^Basic realm="Wami"/);
  dillo.authorization = `Basic ${Buffer.from('alice:wrong-password').toString('base64')}`;
  t.equal((await dillo.get('/sign-in/basic')).status, 401);
  dillo.authorization = `Basic ${Buffer.from('alice:password123').toString('base64')}`;
  const boards = await dillo.get('/sign-in/basic');
  t.equal(boards.status, 200);
  t.match(boards.text, 'Signed in as alice');
  t.match(boards.text, 'close the browser to sign out');
  // Forms work too: the CSRF token is bound to the Basic-auth user.
  const created = await dillo.submit(boards, '/boards', { title: 'Dillo board' });
  t.equal(created.status, 200);
  t.equal((await store.boards.forMember((await store.users.byUsername('alice'))!.id, false)).length, 1);
  t.equal(dillo.cookies.size, 0, 'no cookie was needed');
});

t.test('a Dillo user can sign up without cookies and is pointed at Basic auth', async (t) => {
  const { app, store } = await startApp(t);
  const dillo = new Browser(app, false);
  const page = await dillo.submit(await dillo.get('/sign-up'), '/sign-up', {
    username: 'dora', email: 'd@example.org', password: 'password123', password2: 'password123',
  });
  t.match(page.text, 'Your account was made');
  t.ok(await store.users.byUsername('dora'));
});

t.test('sign-out needs the CSRF token', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const forged = await alice.post('/sign-out', { csrf: 'x' });
  t.equal(forged.status, 403);
  t.match((await alice.get('/')).text, 'Signed in as alice', 'still signed in');
});

t.test('next= never leads off the site', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice', 'password123');
  const browser = new Browser(app);
  const form = await browser.get('/sign-in?next=//evil.example/x');
  t.equal(form.$('input[name=next]').attr('value'), '/');
  const response = await browser.submit(form, '/sign-in', { username: 'alice', password: 'password123', next: 'http://evil.example/' }, undefined, false);
  t.equal(response.status, 303);
  t.equal(String(response.headers.location), '/', 'home on this site');
});

t.test('a session in use is renewed once half its time is gone (kiosks stay signed in)', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const soon = new Date(Date.now() + 3 * 86400_000).toISOString();
  await store.sql.run('UPDATE sessions SET expires_at = ?', soon);
  await new Promise((resolve) => setTimeout(resolve, 1100)); // past the one-second session cache
  const cookie = [...alice.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await app.inject({ url: '/', headers: { cookie } });
  t.equal(response.statusCode, 200);
  t.match(String(response.headers['set-cookie']), /wami_session=.*Expires=/, 'the cookie is sent again');
  const expires = await store.sql.value('SELECT expires_at FROM sessions') as string;
  t.ok(expires > new Date(Date.now() + 29 * 86400_000).toISOString(), 'pushed to a full period');
  const next = await app.inject({ url: '/', headers: { cookie } });
  t.notOk(next.headers['set-cookie'], 'and not again on the next request');
});
