// The PostgreSQL schema (Step 9) against the SQLite one, on a real PostgreSQL started for the test: the
// same tables, columns, NOT NULLs, primary keys and indexes; usernames without case as NOCASE; search
// and the count of account changes kept by triggers; a board's deletion taking everything with it.
import fs from 'node:fs';
import t from 'tap';
import pg from 'pg';
import { tempStore } from './helpers/app.js';
import { startPostgres } from './helpers/postgres.js';
import { postgresMigrations } from '../server/store/pg-sql.js';

/** Tables of the search index, which the two engines build differently (FTS5 virtual tables, a tsvector). */
const SEARCH_TABLES = /^card_search/;

interface Shape {
  columns: Record<string, { notNull: boolean }>;
  primaryKey: string[];
}

t.test('the PostgreSQL schema has the SQLite schema\'s tables, columns, keys and indexes, and works', async (t) => {
  const postgres = await startPostgres(t);
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  t.teardown(() => client.end());
  await client.query('BEGIN');
  for (const migration of postgresMigrations()) await client.query(fs.readFileSync(migration.file, 'utf8'));
  await client.query('COMMIT');

  const { store } = tempStore(t);
  const sqliteTables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[])
    .filter((name) => name !== 'sqlite_sequence' && !SEARCH_TABLES.test(name));
  const sqlite: Record<string, Shape> = {};
  for (const table of sqliteTables) {
    const columns = store.db.prepare('SELECT name, "notnull" AS not_null, pk FROM pragma_table_info(?)').all(table) as
      { name: string; not_null: number; pk: number }[];
    sqlite[table] = {
      // SQLite lets a PRIMARY KEY column be NULL unless it says NOT NULL; PostgreSQL never does.
      columns: Object.fromEntries(columns.map((c) => [c.name, { notNull: c.not_null === 1 || c.pk > 0 }])),
      primaryKey: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
    };
  }
  const postgresShape: Record<string, Shape> = {};
  const columns = (await client.query(`SELECT table_name, column_name, is_nullable FROM information_schema.columns
    WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`)).rows as { table_name: string; column_name: string; is_nullable: string }[];
  for (const row of columns) {
    if (row.table_name === 'schema_migrations' || SEARCH_TABLES.test(row.table_name)) continue;
    const shape = postgresShape[row.table_name] ??= { columns: {}, primaryKey: [] };
    shape.columns[row.column_name] = { notNull: row.is_nullable === 'NO' };
  }
  const keys = (await client.query(`SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
    JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
    WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public' ORDER BY kcu.ordinal_position`)).rows as
    { table_name: string; column_name: string }[];
  for (const key of keys) postgresShape[key.table_name]?.primaryKey.push(key.column_name);
  t.same(Object.keys(postgresShape).sort(), Object.keys(sqlite).sort(), 'the same tables');
  for (const table of Object.keys(sqlite)) t.same(postgresShape[table], sqlite[table], `${table}: the same columns, NOT NULLs and primary key`);

  const sqliteIndexes = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").pluck().all() as string[]).sort();
  const postgresIndexes = ((await client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'
    AND indexname NOT IN (SELECT conname FROM pg_constraint) AND indexname NOT LIKE 'card\\_search%'`)).rows as { indexname: string }[])
    .map((r) => r.indexname).sort();
  t.same(postgresIndexes, sqliteIndexes, 'the same named indexes');
  t.equal(Number((await client.query('SELECT max(version) AS v FROM schema_migrations')).rows[0].v), store.db.pragma('user_version', { simple: true }),
    'PostgreSQL is at the schema number SQLite is at: every SQLite migration has its twin');

  // Behaviour the store relies on.
  const at = '2026-11-23T00:00:00.000Z';
  const count = async () => Number((await client.query(`SELECT count FROM change_counts WHERE name = 'accounts'`)).rows[0].count);
  const before = await count();
  await client.query('INSERT INTO users (id, username, email, password_hash, created_at, modified_at) VALUES ($1, $2, $3, $4, $5, $5)',
    ['u1', 'Alice', 'Alice@Example.org', 'x', at]);
  t.ok(await count() > before, 'an account change is counted');
  await t.rejects(client.query('INSERT INTO users (id, username, password_hash, created_at, modified_at) VALUES ($1, $2, $3, $4, $4)',
    ['u2', 'alice', 'x', at]), /duplicate key/, 'usernames are unique whatever their case');
  t.equal((await client.query('SELECT id FROM users WHERE username = $1', ['ALICE'])).rows[0]?.id, 'u1', 'and found whatever their case');

  await client.query(`INSERT INTO boards (id, title, slug, created_at, modified_at) VALUES ('b1', 'Board', 'board', $1, $1);
    INSERT INTO swimlanes (id, board_id, title, created_at, modified_at) VALUES ('s1', 'b1', 'Default', $1, $1);
    INSERT INTO lists (id, board_id, title, created_at, modified_at) VALUES ('l1', 'b1', 'To do', $1, $1);
    INSERT INTO cards (id, board_id, swimlane_id, list_id, title, created_at, modified_at, date_last_activity)
      VALUES ('c1', 'b1', 's1', 'l1', 'Quarterly report', $1, $1, $1);`.replace(/\$1/g, `'${at}'`));
  const found = async (word: string) => ((await client.query(
    `SELECT card_id FROM card_search WHERE document @@ plainto_tsquery('simple', $1)`, [word])).rows as { card_id: string }[]).map((r) => r.card_id);
  t.same(await found('quarterly'), ['c1'], 'a new card is searchable by its title');
  await client.query(`INSERT INTO comments (id, board_id, card_id, text, created_at, modified_at) VALUES ('m1', 'b1', 'c1', 'zebra crossing', $1, $1)`, [at]);
  t.same(await found('zebra'), ['c1'], 'and by its comments');
  await client.query(`DELETE FROM comments WHERE id = 'm1'`);
  t.same(await found('zebra'), [], 'a deleted comment is no longer found');
  await client.query(`INSERT INTO attachments (id, board_id, card_id, name, type, size, sha256, created_at, modified_at)
    VALUES ('a1', 'b1', 'c1', 'f.png', 'image/png', 10, 'x', $1, $1)`, [at]);
  await client.query(`UPDATE cards SET cover_id = 'a1' WHERE id = 'c1'`);
  await client.query(`DELETE FROM boards WHERE id = 'b1'`);
  const left = (await client.query(`SELECT (SELECT count(*) FROM cards) + (SELECT count(*) FROM lists) + (SELECT count(*) FROM swimlanes)
    + (SELECT count(*) FROM attachments) + (SELECT count(*) FROM card_search) AS n`)).rows[0].n;
  t.equal(Number(left), 0, "a board's deletion takes its lanes, cards, files' rows and search rows with it");
});
