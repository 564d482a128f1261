// `npm run wami -- migrate-to-postgres`: a data folder with every kind of row copied into a real
// PostgreSQL started for the test, counted on both sides; references (subtasks, covers), search and the
// webhook queue's order work there; a database that is not empty, or not reachable, is refused.
import t from 'tap';
import { NOT_COPIED } from '../server/store/to-postgres.js';
import pg from 'pg';
import { startApp } from './helpers/app.js';
import { wami } from './helpers/cli.js';
import { createBoard, signUp } from './helpers/browser.js';
import { startPostgres } from './helpers/postgres.js';

t.test('a data folder copied into PostgreSQL: every table counted, references and search intact', async (t) => {
  const postgres = await startPostgres(t);
  const { app, store, dataDir } = await startApp(t, { WAMI_WEBHOOK_PRIVATE: 'true', WAMI_WEBHOOK_RETRY_MS: '3600000' });
  const alice = await signUp(app, 'Alice');
  let board = await createBoard(alice, 'Moving house');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  for (const title of ['Parent', 'Child']) board = await alice.submit(board, '/cards', { title });
  const user = (await store.users.byUsername('alice'))!;
  const boardId = store.db.prepare('SELECT id FROM boards').pluck().get() as string;
  const [parent, child] = ['Parent', 'Child'].map((title) => store.db.prepare('SELECT * FROM cards WHERE title = ?').get(title) as { id: string });
  await store.integrations.create(user.id, boardId, { title: 'Hook', url: 'http://127.0.0.1:9/hook', token: null });
  const card = (await store.cards.byId(boardId, child!.id))!;
  await store.comments.add(user.id, card, 'zebra crossing');
  await store.checklists.addItem(user.id, await store.checklists.create(user.id, card, 'Boxes'), 'Kitchen');
  const cardUrl = board.$('div.card a').filter((_, a) => board.$(a).text() === 'Child').attr('href')!;
  await alice.upload(await alice.get(cardUrl), '/attachments', [{ filename: 'plan.txt', content: Buffer.from('plan'), type: 'text/plain' }]);
  const attachmentId = store.db.prepare('SELECT id FROM attachments').pluck().get() as string;
  store.db.prepare('UPDATE cards SET parent_id = ?, cover_id = ? WHERE id = ?').run(parent!.id, attachmentId, child!.id);
  const deliveries = store.db.prepare('SELECT count(*) FROM webhook_deliveries').pluck().get() as number;
  t.ok(deliveries > 0, 'webhook deliveries are queued');

  const run = await wami(dataDir, ['migrate-to-postgres', postgres.url]);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, `webhook_deliveries: ${deliveries} rows copied and counted`);
  t.match(run.stdout, 'cards: 2 rows');
  // a table added by a migration and forgotten in the copy's list would be lost on the way
  const sqliteTables = (store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'
    AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'card_search%'`).pluck().all() as string[]).filter((name) => !NOT_COPIED.includes(name));
  t.ok(sqliteTables.length > 25);
  for (const table of sqliteTables) t.match(run.stdout, `${table}: `, `${table} is copied`);

  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  t.teardown(() => client.end());
  const one = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows[0];
  for (const table of ['users', 'sessions', 'boards', 'board_members', 'lists', 'cards', 'comments', 'checklist_items', 'activities', 'attachments']) {
    const inSqlite = store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    t.equal(Number((await one(`SELECT count(*) AS n FROM ${table}`)).n), inSqlite, `${table}: ${inSqlite} rows on both sides`);
  }
  t.match(await one('SELECT parent_id, cover_id FROM cards WHERE id = $1', [child!.id]), { parent_id: parent!.id, cover_id: attachmentId },
    'references to rows copied later are set');
  t.equal((await one(`SELECT id FROM users WHERE username = 'ALICE'`))?.id, user.id, 'usernames still match without case');
  t.equal((await one(`SELECT card_id FROM card_search WHERE document @@ plainto_tsquery('simple', 'zebra')`))?.card_id, child!.id,
    'the search index was rebuilt');
  const next = await one(`INSERT INTO webhook_deliveries (integration_id, payload, next_attempt_ms, created_at)
    SELECT integration_id, '{}', 0, '' FROM webhook_deliveries LIMIT 1 RETURNING id`);
  const last = store.db.prepare('SELECT max(id) FROM webhook_deliveries').pluck().get() as number;
  t.ok(Number(next.id) > last, 'a new webhook delivery comes after the copied ones');

  const again = await wami(dataDir, ['migrate-to-postgres', postgres.url]);
  t.equal(again.code, 2);
  t.match(again.stderr, 'already has');
  const unreachable = await wami(dataDir, ['migrate-to-postgres', 'postgres://postgres:secret-pw@127.0.0.1:1/wami']);
  t.equal(unreachable.code, 2);
  t.match(unreachable.stderr, 'cannot reach PostgreSQL');
  t.notMatch(unreachable.stderr, 'secret-pw', 'the password is not printed');
});
