// Sessions, API tokens, one-time links, site settings and failed sign-ins in the store, the same cases on
// SQLite and on a real PostgreSQL (Step 9): what several instances share must behave alike on both.
import t from 'tap';
import { ApiTokens } from '../server/store/api-tokens.js';
import { Sessions } from '../server/store/sessions.js';
import { Settings } from '../server/store/settings.js';
import { SignInFailures } from '../server/store/sign-in-failures.js';
import { OneTimeTokens } from '../server/store/tokens.js';
import { addUser, sqlStores } from './helpers/sql-stores.js';

const inHours = (hours: number) => new Date(Date.now() + hours * 3600 * 1000).toISOString();

for (const engine of sqlStores) {
  t.test(`on ${engine.name}`, async (t) => {
    const sql = await engine.open(t);
    await addUser(sql, 'u-alice', 'Alice');
    await addUser(sql, 'u-bob', 'bob');

    t.test('sessions: found while live, renewed, counted, ended; every change counted', async (t) => {
      const sessions = new Sessions(sql);
      const before = await sessions.accountChanges();
      await sessions.create('hash-1', 'u-alice', inHours(1));
      await sessions.create('hash-2', 'u-alice', inHours(2));
      await sessions.create('hash-old', 'u-alice', inHours(-1));
      t.ok(await sessions.accountChanges() > before, 'the count of account changes grows');
      const found = await sessions.find('hash-1');
      t.match(found, { user: { id: 'u-alice', username: 'Alice', isAdmin: 0, loginDisabled: 0, timeZone: 'UTC', autoRefresh: 1 } });
      t.equal(await sessions.find('hash-old'), undefined, 'an expired session finds nobody');
      t.equal(await sessions.find('nonsense'), undefined);
      t.equal(await sessions.countFor('u-alice'), 2, 'live sessions only');
      const later = inHours(10);
      await sessions.renew('hash-1', later);
      t.equal((await sessions.find('hash-1'))!.expiresAt, later);
      t.equal(await sessions.deleteExpired(), 1);
      await sessions.delete('hash-2');
      t.equal(await sessions.countFor('u-alice'), 1);
      t.equal(await sessions.deleteAllFor('u-alice'), 1);
      t.equal(await sessions.find('hash-1'), undefined);
    });

    t.test('API tokens: the user of a live token, by kind revoked; a disabled login has none', async (t) => {
      const tokens = new ApiTokens(sql);
      await tokens.create('t-login', 'u-bob', 'login', inHours(1));
      await tokens.create('t-api', 'u-bob', 'api', null);
      await tokens.create('t-old', 'u-bob', 'login', inHours(-1));
      t.equal((await tokens.userOf('t-api'))?.username, 'bob', 'a token with no end works');
      t.equal(await tokens.userOf('t-old'), undefined, 'an expired one does not');
      t.equal(await tokens.revokeAll('u-bob', 'login'), 2);
      t.equal(await tokens.userOf('t-login'), undefined);
      t.ok(await tokens.userOf('t-api'), 'other kinds stay');
      await sql.run('UPDATE users SET login_disabled = 1 WHERE id = ?', 'u-bob');
      t.equal(await tokens.userOf('t-api'), undefined, 'a disabled login');
      await sql.run('UPDATE users SET login_disabled = 0 WHERE id = ?', 'u-bob');
      await tokens.revoke('t-api');
      t.equal(await tokens.userOf('t-api'), undefined);
    });

    t.test('one-time links work once, before they expire', async (t) => {
      const links = new OneTimeTokens(sql);
      const reset = await links.issue('reset', 'u-alice', 'u-bob', 1);
      const invite = await links.issue('invite', 'u-alice', null, 1);
      t.equal(await links.peek('reset', reset), 'u-bob');
      t.equal(await links.peek('invite', invite), '', 'an invitation names no account');
      t.equal(await links.peek('invite', reset), undefined, 'a link is for its purpose only');
      t.equal(await links.use('reset', reset), true);
      t.equal(await links.use('reset', reset), false, 'used once');
      t.equal(await links.peek('reset', reset), undefined);
      const stale = await links.issue('reset', 'u-alice', 'u-bob', -1);
      t.equal(await links.use('reset', stale), false, 'expired');
    });

    t.test('site settings: defaults until saved; the signing secret is made once', async (t) => {
      const settings = new Settings(sql);
      await settings.load();
      const defaults = { registration: 'closed' as const, siteTitle: 'Wami' };
      t.same(settings.site(defaults), defaults);
      await settings.saveSite({ registration: 'invite-only', siteTitle: 'Team board' });
      t.same(settings.site(defaults), { registration: 'invite-only', siteTitle: 'Team board' });
      const another = new Settings(sql); // as another instance would read them
      await another.load();
      t.same(another.site(defaults), { registration: 'invite-only', siteTitle: 'Team board' });
      const secret = await settings.secret();
      t.ok(secret.length >= 40);
      t.equal(await another.secret(), secret);
    });

    t.test('failed sign-ins: counted in the window, the oldest known, forgotten, swept', async (t) => {
      const failures = new SignInFailures(sql);
      await failures.record(['address:1.2.3.4', 'login:bob'], 1000, 0);
      await failures.record(['address:1.2.3.4', 'login:bob'], 2000, 0);
      await failures.record(['login:bob'], 3000, 1500);
      t.same(await failures.since('address:1.2.3.4', 0), { count: 2, oldestMs: 1000 });
      t.same(await failures.since('login:bob', 0), { count: 2, oldestMs: 2000 }, 'a key\'s old failures go when it fails again');
      t.same(await failures.since('login:nobody', 0), { count: 0, oldestMs: null });
      await failures.forget('login:bob');
      t.same(await failures.since('login:bob', 0), { count: 0, oldestMs: null });
      t.equal(await failures.deleteBefore(1500), 1);
      t.same(await failures.since('address:1.2.3.4', 0), { count: 1, oldestMs: 2000 });
    });
  });
}
