// The store: durable settings, migrations, ids, and "every change bumps the board's version and writes
// an activity in the same transaction". What is SQLite's own (its pragmas, its migrations, a trigger, a
// second connection) skips on PostgreSQL (WAMI_TEST_STORE=postgres); the rest runs on the engine under test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import Database from 'better-sqlite3';
import { migrate, openDatabase, SchemaTooNewError } from '../server/store/db.js';
import { Store } from '../server/store/index.js';
import { newId, newLabelId } from '../server/ids.js';
import { inOrder, onPostgres, storeUnderTest, tempStore } from './helpers/app.js';

const skip = onPostgres && "SQLite's own machinery";

t.test('wami.db is opened in WAL mode, synchronous FULL, with foreign keys on', { skip }, async (t) => {
  const { store, dir } = tempStore(t);
  t.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(store.db.pragma('synchronous', { simple: true }), 2, 'FULL');
  t.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
  t.ok(fs.existsSync(path.join(dir, 'wami.db')));
});

t.test('migrations run once, numbered, and a newer schema is refused', { skip }, async (t) => {
  const { store, dir } = tempStore(t);
  const applied = store.db.pragma('user_version', { simple: true }) as number;
  t.ok(applied >= 1);
  const tables = await store.sql.column(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  for (const table of ['settings', 'users', 'sessions', 'boards', 'board_members', 'swimlanes', 'lists', 'cards', 'labels',
    'card_labels', 'card_members', 'card_assignees', 'checklists', 'checklist_items', 'comments', 'activities', 'card_dependencies']) {
    t.ok(tables.includes(table), table);
  }
  t.equal(migrate(store.db), applied, 'a second run applies nothing new');
  store.db.pragma(`user_version = ${applied + 1}`);
  t.throws(() => openDatabase(path.join(dir, 'wami.db')), SchemaTooNewError);
});

t.test('a migration that fails leaves the database as it was', { skip }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-mig-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, '0001-good.sql'), 'CREATE TABLE a (x);');
  fs.writeFileSync(path.join(dir, '0002-bad.sql'), 'CREATE TABLE b (y); INSERT INTO nowhere VALUES (1);');
  const db = new Database(':memory:');
  t.throws(() => migrate(db, dir));
  t.equal(db.pragma('user_version', { simple: true }), 1);
  t.same(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all(), ['a'], 'table b was rolled back');
});

t.test('ids look like WeKan ids', async (t) => {
  const ids = new Set(Array.from({ length: 1000 }, () => newId()));
  t.equal(ids.size, 1000);
  for (const id of ids) t.match(id, /^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/);
  t.match(newLabelId(), /^[2-9A-Za-z]{6}$/);
});

t.test('every change bumps the board version once per activity, in the same transaction', async (t) => {
  const store = await storeUnderTest(t);
  const user = await store.users.create({ username: 'alice', email: null, passwordHash: 'x' });
  const board = await store.boards.create(user.id, 'Board');
  const swimlane = (await store.swimlanes.forBoard(board.id, false))[0]!;
  const list = await store.lists.create(user.id, board.id, 'To do');
  const card = await store.cards.create(user.id, { boardId: board.id, listId: list.id, swimlaneId: swimlane.id, title: 'A' });
  await store.cards.rename(user.id, card, 'B');
  await store.cards.move(user.id, board.id, [card.id], { listId: list.id, swimlaneId: swimlane.id, placement: { at: 'top' } });
  await store.cards.setArchived(user.id, board.id, [card.id], true);
  const versions = await store.sql.column('SELECT board_version FROM activities WHERE board_id = ? ORDER BY board_version', board.id);
  const version = (await store.boards.byId(board.id))!.version;
  t.same(versions, Array.from({ length: versions.length }, (_, i) => i + 2), 'one version per activity, no gaps');
  t.equal(version, versions.at(-1), 'the board is at the last activity');
  t.equal(await store.sql.value(`SELECT count(*) FROM activities WHERE activity_type = 'moveCard'`), 0,
    'moving a card to where it already is records nothing');

  // A failing change rolls back its data, its version bump and its activity together.
  const before = (await store.boards.byId(board.id))!.version;
  const activities = await store.sql.value('SELECT count(*) FROM activities');
  await t.rejects(store.cards.create(user.id, { boardId: board.id, listId: 'nope', swimlaneId: swimlane.id, title: 'X' }));
  await t.rejects(store.cards.move(user.id, board.id, [card.id], { listId: list.id, swimlaneId: swimlane.id, placement: { at: 'top' } }),
    'an archived card cannot be moved');
  t.equal((await store.boards.byId(board.id))!.version, before);
  t.equal(await store.sql.value('SELECT count(*) FROM activities'), activities);
});

t.test('a failed card write in the middle of a move undoes the whole move', { skip: onPostgres && 'a SQLite trigger' }, async (t) => {
  const { store } = tempStore(t);
  const user = await store.users.create({ username: 'alice', email: null, passwordHash: 'x' });
  const board = await store.boards.create(user.id, 'Board');
  const swimlane = (await store.swimlanes.forBoard(board.id, false))[0]!;
  const [a, b] = await inOrder(['To do', 'Done'], async (title) => await store.lists.create(user.id, board.id, title));
  const cards = await inOrder(['1', '2', '3'], async (title) => await store.cards.create(user.id, { boardId: board.id, listId: a!.id, swimlaneId: swimlane.id, title }));
  // a trigger makes the second card's update fail half-way through the move
  store.db.exec(`CREATE TRIGGER fail_second BEFORE UPDATE OF list_id ON cards WHEN NEW.id = '${cards[1]!.id}'
                 BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
  const snapshot = async () => await store.sql.all('SELECT id, list_id, sort FROM cards ORDER BY id');
  const before = await snapshot();
  const version = (await store.boards.byId(board.id))!.version;
  await t.rejects(store.cards.move(user.id, board.id, cards.map((c) => c.id), { listId: b!.id, swimlaneId: swimlane.id, placement: { at: 'bottom' } }));
  t.same(await snapshot(), before, 'no card moved');
  t.equal((await store.boards.byId(board.id))!.version, version);
});

t.test('the first user is admin; usernames are unique whatever their case', async (t) => {
  const store = await storeUnderTest(t);
  t.equal((await store.users.create({ username: 'Alice', email: null, passwordHash: 'x' })).isAdmin, 1);
  t.equal((await store.users.create({ username: 'bob', email: null, passwordHash: 'x' })).isAdmin, 0);
  await t.rejects(store.users.create({ username: 'alice', email: null, passwordHash: 'x' }), { name: 'UsernameTakenError' });
  t.equal((await store.users.byUsername('ALICE'))?.username, 'Alice', 'kept as typed');
});

t.test('the signing secret is made once and kept', { skip }, async (t) => {
  const { store, dir } = tempStore(t);
  const secret = await store.settings.secret();
  t.ok(secret.length >= 40);
  await store.writer.pending(); // committed at the end of the turn; till then the write lock is held
  const again = Store.open(dir);
  t.equal(await again.settings.secret(), secret);
  again.close();
});

t.test('a board and role remembered for page requests never outlive a write', { skip }, async (t) => {
  const { store, dir } = tempStore(t);
  const owner = await store.users.create({ username: 'owner', email: null, passwordHash: 'x' });
  const bob = await store.users.create({ username: 'bob', email: null, passwordHash: 'x' });
  const board = await store.boards.create(owner.id, 'Team');
  await store.members.add(owner.id, board.id, 'bob', 'normal');
  t.equal((await store.boards.access(board.id, bob.id))?.role, 'normal');
  t.equal((await store.boards.access(board.id, bob.id))?.role, 'normal', 'asked again: the same answer');
  await store.members.setRole(owner.id, board.id, bob.id, 'comment-only');
  t.equal((await store.boards.access(board.id, bob.id))?.role, 'comment-only', 'a role change is seen by the next request');
  await store.members.remove(owner.id, board.id, bob.id);
  t.equal(await store.boards.access(board.id, bob.id), undefined, 'a removed member loses the board at once');
  const titled = (await store.boards.access(board.id, owner.id))!;
  t.throws(() => { (titled.board as { title: string }).title = 'changed by a caller'; }, TypeError,
    'the remembered board is frozen: no request can change what the next one sees');

  // Another process (the command-line tool) writes through its own connection: seen within a second.
  await store.writer.pending();
  const other = new Database(path.join(dir, 'wami.db'));
  t.teardown(() => other.close());
  other.prepare(`UPDATE boards SET title = 'Renamed elsewhere' WHERE id = ?`).run(board.id);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  t.equal((await store.boards.access(board.id, owner.id))?.board.title, 'Renamed elsewhere');
});
