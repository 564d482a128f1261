// The command-line tool on a real data folder: legacy accounts imported with hashed passwords, an
// admin made, a password reset, an API token made; bad input reported with line numbers and exit codes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { Test } from 'tap';
import { Store } from '../server/store/index.js';
import { verifyPassword } from '../server/passwords.js';
import { startApp } from './helpers/app.js';
import { wami } from './helpers/cli.js';

function dataFolder(t: Test): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-cli-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('import-users: the old users.csv, passwords hashed, colons in passwords kept, bad lines reported', async (t) => {
  const dir = dataFolder(t);
  const csv = path.join(dir, 'users.csv');
  fs.writeFileSync(csv, ['anna:secret1:anna@example.org:1', 'bert:pa:ss:word:bert@example.org:0', '', 'broken line',
    'carl:pw::0', 'dora:pw:not-an-email:0', 'anna:again:anna2@example.org:0', 'eve:x:eve@example.org:maybe'].join('\n'));
  const run = await wami(dir, ['import-users', csv]);
  t.equal(run.code, 1, 'exit 1: some lines were not imported');
  t.match(run.stdout, '3 accounts imported');
  t.match(run.stdout, 'line 4: expected username:password:email:isAdmin');
  t.match(run.stdout, 'line 6: email:');
  t.match(run.stdout, /line 7: .*anna.*left as it is/);
  t.match(run.stdout, 'line 8: isAdmin is "maybe"');
  const store = Store.open(dir);
  t.teardown(() => store.close());
  const anna = (await store.users.credentials('anna'))!;
  t.equal(anna.user.isAdmin, 1);
  t.ok(await verifyPassword('secret1', anna.passwordHash), 'the password works');
  t.notMatch(anna.passwordHash, 'secret1', 'and is stored hashed');
  t.ok(await verifyPassword('pa:ss:word', (await store.users.credentials('bert'))!.passwordHash), 'colons inside a password are kept');
  t.equal((await store.users.byUsername('carl'))!.email, null, 'an empty email is allowed');
  const again = await wami(dir, ['import-users', csv]);
  t.match(again.stdout, '0 accounts imported', 'running it twice changes nothing');
  t.equal((await wami(dir, ['import-users', path.join(dir, 'missing.csv')])).code, 2);
});

t.test('create-admin, reset-password (ends sessions and login tokens), create-token work on the server\'s data', async (t) => {
  const { app, store, dataDir, storeEnv } = await startApp(t);
  // the CLI on the server's own store: its data folder, or its PostgreSQL database
  const run = (args: string[], input?: string) => wami(dataDir, args, input, storeEnv);
  t.equal((await run(['create-admin', 'root', 'root@example.org'], 'a long password\n')).code, 0);
  t.equal((await store.users.byUsername('root'))!.isAdmin, 1);
  t.equal((await run(['create-admin', 'root', 'other@example.org'], 'a long password\n')).code, 2, 'taken');
  t.equal((await run(['create-admin', 'shorty', 's@example.org'], 'short\n')).code, 2, 'too short a password');
  const login = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'root', password: 'a long password' } });
  const { token } = login.json() as { token: string };
  t.equal((await run(['reset-password', 'root'], 'another long password\n')).code, 0);
  t.equal((await app.inject({ url: '/api/user', headers: { authorization: `Bearer ${token}` } })).statusCode, 401, 'the old login token is dead');
  const relogin = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'root', password: 'another long password' } });
  t.equal(relogin.statusCode, 200);
  const made = await run(['create-token', 'root']);
  t.equal(made.code, 0);
  const apiKey = made.stdout.trim();
  t.equal((await app.inject({ url: '/api/user', headers: { authorization: `Bearer ${apiKey}` } })).statusCode, 200, 'the printed token works');
  t.equal((await run(['create-token', 'nobody'])).code, 2);
  t.equal((await run(['what'])).code, 2);
  t.match((await run([])).stderr, 'usage: npm run wami');
});
