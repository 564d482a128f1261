// `npm run wami -- migrate-from-wekan URL USER`: a live WeKan moved through its REST API, tested against
// a Wami on loopback playing the WeKan (it speaks the same API). Every board the user belongs to comes
// over with its people, files, custom fields, checklists, comments and dependencies; people Wami did not
// know get accounts; a second run goes on where the first stopped and makes nothing twice.
import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { listenApp, startApp } from './helpers/app.js';
import { apiAs, idOf } from './helpers/api.js';
import { signUp } from './helpers/browser.js';
import { wami } from './helpers/cli.js';
import { migrateFromWekan } from '../server/migrate-from-wekan.js';
import type { Store } from '../server/store/index.js';

const PASSWORD = 'correct horse battery';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The "WeKan": alice's two boards (bob a member of the first), one with everything on it. */
async function wekan(t: Parameters<typeof startApp>[0]) {
  const source = await listenApp(t);
  const alice = await signUp(source.app, 'alice');
  await signUp(source.app, 'bob');
  const api = await apiAs(source.app, 'alice');
  const bobId = (await source.store.users.byUsername('bob'))!.id;
  const made = await api('POST', '/api/boards', { title: 'Launch' });
  const boardId = idOf(made);
  const swimlaneId = (made.json() as { defaultSwimlaneId: string }).defaultSwimlaneId;
  await api('POST', `/api/boards/${boardId}/members/${bobId}/add`, { action: 'add', isCommentOnly: true });
  const listId = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' }));
  const fieldId = idOf(await api('POST', `/api/boards/${boardId}/custom-fields`, { name: 'Cost', type: 'number' }));
  const first = idOf(await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'Plan', swimlaneId, assignees: [bobId] }));
  const second = idOf(await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'Ship', swimlaneId }));
  await api('POST', `/api/boards/${boardId}/lists/${listId}/cards/${first}/customFields/${fieldId}`, { value: 12 });
  await api('POST', `/api/boards/${boardId}/cards/${first}/checklists`, { title: 'Steps', items: ['One', 'Two'] });
  await api('POST', `/api/boards/${boardId}/cards/${first}/comments`, { comment: 'Looks good' });
  await api('POST', `/api/boards/${boardId}/cards/${first}/dependencies`, { cardId: second, type: 'blocks' });
  const file = randomBytes(50_000);
  await api('POST', '/api/attachment/upload', JSON.stringify({ boardId, swimlaneId, listId, cardId: first, fileName: 'plan.bin', fileData: file.toString('base64') }));
  idOf(await api('POST', '/api/boards', { title: 'Second board' }));
  return { ...source, alice, api, boardId, file };
}

async function boardsNamed(store: Store, title: string) {
  return (await store.sql.all<{ id: string }>('SELECT id FROM boards WHERE title = ?', title)).map((b) => b.id);
}

t.test('every board comes over with its people, files and parts; a second run makes nothing twice', async (t) => {
  const source = await wekan(t);
  const target = await startApp(t);
  const context = { store: target.store, files: target.app.files, wamiConfig: target.config };
  const lines: string[] = [];
  const summary = await migrateFromWekan(context, source.url, 'alice', PASSWORD, (line) => lines.push(line));
  t.equal(summary.boards.length, 2);
  t.ok(summary.boards.every((b) => b.wamiId && !b.failure), JSON.stringify(summary.boards));
  t.same(summary.accountsMade.sort(), ['alice', 'bob'], 'accounts for the people Wami did not know');
  t.match(lines.join('\n'), /Launch: 1 lists, 2 cards, 1 files, 2 members/);

  const { store } = target;
  const [launch] = await boardsNamed(store, 'Launch');
  t.ok(launch);
  const bob = (await store.users.byUsername('bob'))!;
  t.equal(bob.email, 'bob@example.org', 'his address, read as a WeKan admin may');
  t.equal((await store.members.forBoard(launch!)).find((m) => m.userId === bob.id)?.role, 'comment-only', 'with his role');
  const cards = await store.cards.faces(launch!);
  const plan = cards.find((c) => c.title === 'Plan')!;
  t.same(await store.members.onCard(plan.id, 'assignees'), [bob.id], 'still assigned');
  t.equal((await store.checklists.forCard(plan.id))[0]?.items.length, 2);
  t.match((await store.comments.forCard(plan.id))[0], { text: 'Looks good' });
  t.equal((await store.dependencies.ofCard(plan.id))[0]?.type, 'blocks');
  t.same([...(await store.customFields.valuesOf(plan.id)).values()], [12]);
  const [attachment] = await store.attachments.forCard(plan.id);
  t.equal(attachment?.sha256, sha256(source.file), 'the file, byte for byte');
  t.ok(fs.existsSync(target.app.files.pathOf(attachment!.id)));

  await source.api('POST', '/api/boards', { title: 'Made later' });
  const again = await migrateFromWekan(context, source.url, 'alice', PASSWORD);
  t.equal(again.boards.filter((b) => b.earlier).length, 2, 'the two from before are left alone');
  t.same(again.boards.filter((b) => !b.earlier).map((b) => b.title), ['Made later']);
  t.equal((await boardsNamed(store, 'Launch')).length, 1, 'nothing twice');
  t.same(again.accountsMade, []);
});

t.test('a board that fails is reported and taken by the next run; a wrong password makes nothing', async (t) => {
  const source = await wekan(t);
  const target = await startApp(t);
  const { store } = target;
  await t.rejects(migrateFromWekan({ store, files: target.app.files, wamiConfig: target.config }, source.url, 'alice', 'wrong password'),
    /signing in as alice failed/);
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), 0);

  const small = { ...target.config, maxImportBytes: 20_000 }; // "Launch" carries a 50 KB file: too large this time
  const first = await migrateFromWekan({ store, files: target.app.files, wamiConfig: small }, source.url, 'alice', PASSWORD);
  t.match(first.boards.find((b) => b.title === 'Launch'), { wamiId: null, failure: /WAMI_MAX_IMPORT_BYTES/ });
  t.ok(first.boards.find((b) => b.title === 'Second board')?.wamiId);
  const temp = `${target.dataDir}/tmp`;
  t.same(fs.existsSync(temp) ? fs.readdirSync(temp).filter((name) => name.startsWith('wekan-export')) : [], [], 'no export left in the temp folder');
  const second = await migrateFromWekan({ store, files: target.app.files, wamiConfig: target.config }, source.url, 'alice', PASSWORD);
  t.same(second.boards.filter((b) => !b.earlier).map((b) => b.title), ['Launch'], 'only what failed');
  t.equal((await boardsNamed(store, 'Second board')).length, 1);
});

t.test('the command: password on standard input, a summary, exit codes', async (t) => {
  const source = await wekan(t);
  const target = await startApp(t);
  const run = await wami(target.dataDir, ['migrate-from-wekan', source.url, 'alice'], `${PASSWORD}\n`, target.storeEnv ?? {});
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /Migrated 2 boards\./);
  t.match(run.stdout, /Accounts made for people Wami did not know.*alice, bob|bob, alice/);
  const wrong = await wami(target.dataDir, ['migrate-from-wekan', source.url, 'alice'], 'nope\n', target.storeEnv ?? {});
  t.equal(wrong.code, 2);
  t.match(wrong.stderr, /signing in as alice failed/);
  const nowhere = await wami(target.dataDir, ['migrate-from-wekan', 'http://127.0.0.1:9', 'alice'], `${PASSWORD}\n`, target.storeEnv ?? {});
  t.equal(nowhere.code, 2);
  t.match(nowhere.stderr, /127\.0\.0\.1:9/);
});

