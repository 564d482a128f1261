// Accounts, sessions, API tokens, one-time links, site settings and failed sign-ins in the store, the same cases on
// SQLite and on a real PostgreSQL (Step 9): what several instances share must behave alike on both.
import t from 'tap';
import { ApiTokens } from '../server/store/api-tokens.js';
import { Sessions } from '../server/store/sessions.js';
import { Settings } from '../server/store/settings.js';
import { SignInFailures } from '../server/store/sign-in-failures.js';
import { OneTimeTokens } from '../server/store/tokens.js';
import { Users } from '../server/store/users.js';
import { addUser, sqlStores } from './helpers/sql-stores.js';

const inHours = (hours: number) => new Date(Date.now() + hours * 3600 * 1000).toISOString();

for (const engine of sqlStores) {
  t.test(`on ${engine.name}`, async (t) => {
    const sql = await engine.open(t);
    await addUser(sql, 'u-alice', 'Alice');
    await addUser(sql, 'u-bob', 'bob');

    t.test('accounts: the first is admin; names taken without regard to case; passwords end other sessions', async (t) => {
      const users = new Users(sql);
      await sql.run('DELETE FROM users');
      const ann = await users.create({ username: 'Ann', email: 'ann@example.org', passwordHash: 'h1' });
      t.match(ann, { username: 'Ann', email: 'ann@example.org', isAdmin: 1, loginDisabled: 0, textMode: 0, autoRefresh: 1 });
      const bo = await users.create({ username: 'bo', email: null, passwordHash: 'h2', fullname: 'Bo B' });
      t.equal(bo.isAdmin, 0, 'the second is not');
      await t.rejects(users.create({ username: 'ANN', email: null, passwordHash: 'x' }), { name: 'UsernameTakenError' });
      await t.rejects(users.create({ username: 'cy', email: 'ANN@example.org', passwordHash: 'x' }), { name: 'EmailTakenError' });
      t.equal(await users.count(), 2);
      t.equal((await users.byUsername('aNN'))?.id, ann.id);
      t.equal((await users.byId(bo.id))?.fullname, 'Bo B');
      t.match(await users.credentials('ann@example.org'), { user: { id: ann.id }, passwordHash: 'h1' }, 'by email');
      t.match(await users.credentials('bo'), { user: { id: bo.id }, passwordHash: 'h2' });
      t.equal(await users.credentials('nobody'), undefined);
      await users.updateProfile(bo.id, {
        fullname: 'Bo', initials: 'BB', timeZone: 'Europe/Paris', textMode: true, autoRefresh: false, charset: 'iso-8859-1', mailAdded: false, mailMentions: true,
        mailDue: false, mailWatched: true, mailDigest: true, language: 'fi',
      });
      t.match(await users.byId(bo.id), {
        fullname: 'Bo', initials: 'BB', timeZone: 'Europe/Paris', textMode: 1, autoRefresh: 0, charset: 'iso-8859-1', mailAdded: 0, mailMentions: 1,
        mailDue: 0, mailWatched: 1, mailDigest: 1, language: 'fi',
      });
      t.same(Object.fromEntries(await users.usernames([bo.id, ann.id, bo.id, 'gone'])), { [ann.id]: 'Ann', [bo.id]: 'bo' });
      t.same((await users.all()).map((u) => u.username), ['Ann', 'bo'], 'in name order, without regard to case');

      const sessions = new Sessions(sql);
      const tokens = new ApiTokens(sql);
      await sessions.create('bo-here', bo.id, inHours(1));
      await sessions.create('bo-there', bo.id, inHours(1));
      await tokens.create('bo-login', bo.id, 'login', inHours(1));
      await tokens.create('bo-key', bo.id, 'api', null);
      await users.setPassword(bo.id, 'h3', 'bo-here');
      t.equal(await users.passwordHash(bo.id), 'h3');
      t.ok(await sessions.find('bo-here'), 'the session in use stays');
      t.equal(await sessions.find('bo-there'), undefined, 'the others end');
      t.equal(await tokens.userOf('bo-login'), undefined, 'login tokens end');
      t.ok(await tokens.userOf('bo-key'), 'API keys stay');
      await users.setPassword(bo.id, 'h4', null);
      t.equal(await sessions.find('bo-here'), undefined, 'no session kept: all end');

      t.equal(await users.adminCount(), 1);
      await users.setAdmin(bo.id, true);
      t.equal(await users.adminCount(), 2);
      await sessions.create('bo-again', bo.id, inHours(1));
      await users.setLoginDisabled(bo.id, true);
      t.equal(await users.adminCount(), 1, 'a disabled admin does not count');
      t.equal(await sessions.find('bo-again'), undefined, 'disabling ends the sessions');
      t.match(await users.counts(), { users: 2, boards: 0, cards: 0 });
      await sql.run('DELETE FROM users');
      await addUser(sql, 'u-alice', 'Alice');
      await addUser(sql, 'u-bob', 'bob');
    });

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
