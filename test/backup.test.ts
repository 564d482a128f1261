// Backup, restore and check from the command line, on real data folders: a backup taken while a server
// takes writes restores to a state with every write answered before it began; restore and backup refuse
// folders that are not empty; check finds a missing file, a damaged one and an orphan.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { Store, type SqliteStore } from '../server/store/index.js';
import { attachmentPath } from '../server/files/storage.js';
import { SCHEMA } from './helpers/schema.js';
import { listenApp, onPostgres } from './helpers/app.js';
import { wami } from './helpers/cli.js';
import { createBoard, formValues, signUp } from './helpers/browser.js';

function folder(t: Test, name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wami-${name}-`));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const SQLITE_ONLY = onPostgres && "backup and restore copy SQLite's data folder; on PostgreSQL the CLI refuses them (test/pg-store.test.ts)";

t.test('a backup taken under a write load restores with every write answered before it began', { skip: SQLITE_ONLY }, async (t) => {
  const { app, url, dataDir } = await listenApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Backed up');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Files' });
  const cardUrl = board.$('div.card a').first().attr('href')!;
  const files = Array.from({ length: 3 }, (_, i) => Buffer.from(`file ${i}\n`.repeat(2000 + i)));
  for (const [i, content] of files.entries()) {
    await alice.upload(await alice.get(cardUrl), '/attachments', [{ filename: `f${i}.txt`, content, type: 'text/plain' }]);
  }
  // The load: card creates over HTTP, each one noted once its 303 came back.
  const { form, values } = formValues(board, '/cards');
  const answered: string[] = [];
  let stop = false;
  const load = (async () => {
    for (let n = 0; !stop; n++) {
      const title = `load ${n}`;
      const answer = await fetch(`${url}${form.attr('action')}`, {
        method: 'POST', redirect: 'manual', body: new URLSearchParams({ ...values as Record<string, string>, title }),
        headers: { cookie: alice.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      });
      if (answer.status === 303) answered.push(title);
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const backupDir = path.join(folder(t, 'backup'), 'monday');
  const answeredBefore = [...answered];
  const made = await wami(dataDir, ['backup', backupDir]);
  const answeredDuring = answered.length - answeredBefore.length;
  stop = true;
  await load;
  t.equal(made.code, 0, made.stderr);
  t.match(made.stdout, '3 attachment files');
  t.ok(answeredBefore.length > 0 && answeredDuring > 0, `writes went on before (${answeredBefore.length}) and during (${answeredDuring}) the backup`);
  t.match(JSON.parse(fs.readFileSync(path.join(backupDir, 'backup.json'), 'utf8')), { format: 'wami-backup', schema: SCHEMA, attachments: 3 },
    'the manifest says what it holds');

  const restoredDir = path.join(folder(t, 'restored'), 'data');
  const restored = await wami(restoredDir, ['restore', backupDir]);
  t.equal(restored.code, 0, restored.stderr);
  const store = Store.open(restoredDir);
  t.teardown(() => store.close());
  const titles = new Set(await store.sql.column('SELECT title FROM cards') as string[]);
  t.same(answeredBefore.filter((title) => !titles.has(title)), [], `all ${answeredBefore.length} creates answered before the backup began are in it`);
  const rows = [];
  for await (const row of store.attachments.everyFile()) rows.push(row);
  t.equal(rows.length, 3);
  for (const row of rows) {
    t.equal(sha256(fs.readFileSync(attachmentPath(path.join(restoredDir, 'attachments'), row.id))), row.sha256, 'each file restored whole');
  }
  const checked = await wami(restoredDir, ['check']);
  t.equal(checked.code, 0, checked.stdout);
  t.match(checked.stdout, 'integrity_check ok');
  t.match(checked.stdout, '3 checked, 0 missing, 0 damaged, 0 orphan files');
});

t.test('restore refuses a data folder that is not empty, and backup a folder that is not empty', { skip: SQLITE_ONLY }, async (t) => {
  const { app, dataDir } = await listenApp(t);
  await signUp(app, 'alice');
  const backupDir = path.join(folder(t, 'backup'), 'b');
  t.equal((await wami(dataDir, ['backup', backupDir])).code, 0);

  const again = await wami(dataDir, ['backup', backupDir]);
  t.equal(again.code, 2);
  t.match(again.stderr, 'is not empty');

  const target = folder(t, 'target');
  fs.writeFileSync(path.join(target, 'notes.txt'), 'keep me');
  const refused = await wami(target, ['restore', backupDir]);
  t.equal(refused.code, 2);
  t.match(refused.stderr, /not empty \(notes\.txt\)/);
  t.same(fs.readdirSync(target), ['notes.txt'], 'nothing written there');

  const live = await wami(dataDir, ['restore', backupDir]);
  t.equal(live.code, 2, 'not onto a folder in use either');
  t.equal(fs.existsSync(path.join(dataDir, 'wami.db.restoring')), false);

  const keep = folder(t, 'keep');
  fs.writeFileSync(path.join(keep, '.keep'), '');
  t.equal((await wami(keep, ['restore', backupDir])).code, 0, "the repository's keep file alone counts as empty");
  const notBackup = await wami(folder(t, 'other'), ['restore', folder(t, 'random')]);
  t.equal(notBackup.code, 2);
  t.match(notBackup.stderr, 'is not a Wami backup');
});

t.test('check finds a deleted file, a damaged file and an orphan, and exits 1', async (t) => {
  const { app, dataDir, storeEnv } = await listenApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Checked');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Files' });
  const cardUrl = board.$('div.card a').first().attr('href')!;
  for (const name of ['kept.txt', 'deleted.txt', 'damaged.txt']) {
    await alice.upload(await alice.get(cardUrl), '/attachments', [{ filename: name, content: Buffer.from(`${name}\n`.repeat(100)), type: 'text/plain' }]);
  }
  t.equal((await wami(dataDir, ['check'], '', storeEnv)).code, 0, 'all sound at first');
  const store = app.store as SqliteStore;
  const idOf = async (name: string) => await store.sql.value('SELECT id FROM attachments WHERE name = ?', name) as string;
  const root = path.join(dataDir, 'attachments');
  fs.rmSync(attachmentPath(root, await idOf('deleted.txt')));
  const damaged = attachmentPath(root, await idOf('damaged.txt'));
  const bytes = fs.readFileSync(damaged);
  bytes[10] = bytes[10]! ^ 0xff; // same size, one byte flipped
  fs.writeFileSync(damaged, bytes);
  fs.mkdirSync(path.join(root, 'ab', 'cd'), { recursive: true });
  fs.writeFileSync(path.join(root, 'ab', 'cd', 'stray'), 'left by a crash');

  const checked = await wami(dataDir, ['check'], '', storeEnv);
  t.equal(checked.code, 1);
  t.match(checked.stdout, '3 checked, 1 missing, 1 damaged, 1 orphan files');
  t.match(checked.stdout, `missing: attachment ${(await idOf('deleted.txt'))} has no file`);
  t.match(checked.stdout, `damaged: attachment ${(await idOf('damaged.txt'))}: its SHA-256 differs`);
  t.match(checked.stdout, path.join('attachments', 'ab', 'cd', 'stray'));
  t.notMatch(checked.stdout, await idOf('kept.txt'));
});

t.test('attachments in a folder of their own on another file system (a mount every instance shares)', async (t) => {
  const shared = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'wami-shared-'));
  t.teardown(() => fs.rmSync(shared, { recursive: true, force: true }));
  const env = { WAMI_ATTACHMENTS_DIR: shared };
  const { app, dataDir, storeEnv } = await listenApp(t, env);
  const otherDevice = fs.statSync(shared).dev !== fs.statSync(dataDir).dev;
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Shared');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Files' });
  const cardUrl = board.$('div.card a').first().attr('href')!;
  const content = Buffer.from('on the shared folder\n'.repeat(5000));
  const card = await alice.upload(await alice.get(cardUrl), '/attachments', [{ filename: 'shared.txt', content, type: 'text/plain' }]);
  const id = (await app.store.sql.value<string>('SELECT id FROM attachments'))!;
  t.same(fs.readFileSync(attachmentPath(shared, id)), content, `the file is in the shared folder${otherDevice ? ', copied across file systems' : ''}`);
  t.equal(fs.existsSync(path.join(dataDir, 'attachments')) && fs.readdirSync(path.join(dataDir, 'attachments')).length > 0, false,
    'and not in the data folder');
  t.same(fs.readdirSync(path.join(dataDir, 'tmp')), [], 'no temp file left on this machine');
  t.same(fs.readdirSync(path.dirname(attachmentPath(shared, id))), [id], 'nothing half-copied beside it');
  const download = await app.inject({ url: card.$('table.attachments a').first().attr('href')!, headers: { cookie: alice.cookieHeader() } });
  t.same(download.rawPayload, content);

  t.equal((await wami(dataDir, ['check'], '', { ...storeEnv, ...env })).code, 0, 'check looks in the shared folder');
  if (onPostgres) return; // backup and restore are SQLite's
  const backupDir = path.join(folder(t, 'backup'), 'b');
  t.equal((await wami(dataDir, ['backup', backupDir], '', env)).code, 0);
  const restored = folder(t, 'restored');
  const restoredShared = folder(t, 'restored-shared');
  t.equal((await wami(restored, ['restore', backupDir], '', { WAMI_ATTACHMENTS_DIR: restoredShared })).code, 0);
  t.same(fs.readFileSync(attachmentPath(restoredShared, id)), content, 'restored into the attachments folder it is told');
});
