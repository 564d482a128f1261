// The store's asynchronous SQL calls (Step 9), the same cases on SQLite (group commit on and off) and on a
// real PostgreSQL: what each call answers, transactions that commit, undo and nest, work awaited inside a
// transaction joining it, and other requests never seeing (or being undone with) half a transaction.
import t, { type Test } from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PgSql, numberParameters } from '../server/store/pg-sql.js';
import type { Sql } from '../server/store/sql.js';
import { Store } from '../server/store/index.js';
import { SCHEMA } from './helpers/schema.js';
import { startPostgres } from './helpers/postgres.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A setting's value, as another request would read it. */
const setting = (sql: Sql, key: string) => sql.value<string>('SELECT value FROM settings WHERE key = ?', key);
const put = (sql: Sql, key: string, value: string) => sql.run('INSERT INTO settings (key, value) VALUES (?, ?)', key, value);

function sqliteSql(t: Test, groupCommit: boolean): Sql {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-sql-'));
  const store = Store.open(dir, { groupCommit });
  t.teardown(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return store.sql;
}

async function postgresSql(t: Test): Promise<PgSql> {
  const postgres = await startPostgres(t);
  const sql = PgSql.connect(postgres.url);
  t.teardown(() => sql.close());
  t.equal(await sql.migrate(), SCHEMA, 'migrated to the schema SQLite has');
  return sql;
}

async function behaves(t: Test, sql: Sql) {
  t.test('calls answer rows, values and counts as numbers', async (t) => {
    t.equal(await put(sql, 'a', 'one'), 1, 'run answers the rows it changed');
    await put(sql, 'b', 'two');
    t.same(await sql.one('SELECT key, value AS "theValue" FROM settings WHERE key = ?', 'a'), { key: 'a', theValue: 'one' });
    t.equal(await sql.one('SELECT key FROM settings WHERE key = ?', 'none'), undefined);
    t.same(await sql.all('SELECT key FROM settings WHERE key IN (?, ?) ORDER BY key', 'a', 'b'), [{ key: 'a' }, { key: 'b' }]);
    t.equal(await sql.value('SELECT count(*) FROM settings WHERE key IN (?, ?)', 'a', 'b'), 2, 'a count is a number');
    t.equal(await sql.value('SELECT value FROM settings WHERE key = ?', 'none'), undefined);
    t.same(await sql.column('SELECT value FROM settings WHERE key IN (?, ?) ORDER BY key', 'a', 'b'), ['one', 'two']);
    t.equal(await sql.value("SELECT count(*) FROM settings WHERE value = 'what?' OR key = ?", 'a'), 1, 'a ? inside quotes is text');
    t.equal(await sql.run('UPDATE settings SET value = ? WHERE key IN (?, ?)', 'x', 'a', 'b'), 2);
    await t.rejects(put(sql, 'a', 'again'), 'a broken constraint rejects');
    t.equal(await setting(sql, 'a'), 'x', 'and changes nothing');
  });

  t.test('a transaction commits all of its work, or none of it', async (t) => {
    t.equal(await sql.transaction(async () => {
      await put(sql, 'c1', '1');
      await put(sql, 'c2', '2');
      return 'done';
    }), 'done');
    t.equal(await setting(sql, 'c2'), '2');
    await t.rejects(sql.transaction(async () => {
      await put(sql, 'c3', '3');
      await put(sql, 'c1', 'duplicate');
    }), 'a failing statement fails the transaction');
    t.equal(await setting(sql, 'c3'), undefined, 'its earlier statement is undone');
    await t.rejects(sql.transaction(async () => {
      await put(sql, 'c4', '4');
      await pause(5);
      throw new Error('changed my mind');
    }), { message: 'changed my mind' });
    t.equal(await setting(sql, 'c4'), undefined, 'work that throws after a real wait is undone too');
  });

  t.test('a nested transaction is undone alone; store calls awaited inside join the transaction', async (t) => {
    /** A store call of its own, as an aggregate's method would be: it knows nothing of the transaction. */
    const record = (key: string) => sql.transaction(() => put(sql, key, 'in'));
    await sql.transaction(async () => {
      await record('n1');
      await sql.transaction(async () => {
        await put(sql, 'n2', 'in');
        throw new Error('inner only');
      }).catch(() => {});
      await record('n3');
    });
    t.same(await sql.column("SELECT key FROM settings WHERE key LIKE 'n%' ORDER BY key"), ['n1', 'n3']);
    await t.rejects(sql.transaction(async () => {
      await record('n4');
      throw new Error('all of it');
    }));
    t.equal(await setting(sql, 'n4'), undefined, "a store call's own transaction is undone with the outer one");
  });

  t.test('statements a transaction starts together run one after another on its connection', async (t) => {
    const warnings: string[] = [];
    const warned = (warning: Error) => warnings.push(warning.message);
    process.on('warning', warned);
    const values = await sql.transaction(async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => put(sql, `s${i}`, String(i))));
      return Promise.all(Array.from({ length: 10 }, (_, i) => setting(sql, `s${i}`)));
    });
    process.off('warning', warned);
    t.same(values, Array.from({ length: 10 }, (_, i) => String(i)), 'each got its own answer');
    t.same(warnings, [], 'no overlapping queries on one connection');
    await t.rejects(sql.transaction(async () => {
      await Promise.all([put(sql, 'u1', 'a'), put(sql, 'u1', 'twice'), put(sql, 'u2', 'b')]);
    }), 'one failing statement among them fails the transaction');
    t.same(await sql.column("SELECT key FROM settings WHERE key LIKE 'u%'"), [], 'and undoes all of them');
  });

  t.test('others never see half a transaction, and are not undone with it', async (t) => {
    let halfway!: () => void;
    const reached = new Promise<void>((resolve) => { halfway = resolve; });
    const undone = sql.transaction(async () => {
      await put(sql, 'h1', 'first');
      halfway();
      await pause(30);
      await put(sql, 'h2', 'second');
      throw new Error('undone');
    });
    undone.catch(() => {}); // it may fail before the reads below end: checked after them
    await reached;
    const [seen, written] = await Promise.all([
      sql.value<number>("SELECT count(*) FROM settings WHERE key IN ('h1', 'h2')"),
      put(sql, 'h3', 'by another request'),
    ]);
    await t.rejects(undone);
    t.equal(seen, 0, 'a read by another request sees none of it');
    t.equal(written, 1);
    t.equal(await setting(sql, 'h3'), 'by another request', 'a write by another request stays');
    t.equal(await setting(sql, 'h1'), undefined);

    const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => sql.transaction(async () => {
      await put(sql, `p${i}`, 'a');
      await pause(1);
      await put(sql, `q${i}`, 'b');
      return sql.value<number>("SELECT count(*) FROM settings WHERE key LIKE 'p%' OR key LIKE 'q%'");
    })));
    t.ok(counts.every((count) => count! % 2 === 0), 'twenty transactions at once each see whole ones only');
    t.equal(await sql.value("SELECT count(*) FROM settings WHERE key LIKE 'p%' OR key LIKE 'q%'"), 40);
  });
}

t.test('on SQLite, with group commit', async (t) => behaves(t, sqliteSql(t, true)));
t.test('on SQLite, each write committed alone', async (t) => behaves(t, sqliteSql(t, false)));
t.test('on PostgreSQL', async (t) => {
  const sql = await postgresSql(t);
  await behaves(t, sql);
  t.test('migrating again does nothing; a newer schema is refused', async (t) => {
    t.equal(await sql.migrate(), SCHEMA);
    await sql.run("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'later')");
    await t.rejects(sql.migrate(), { name: 'SchemaTooNewError', found: 99, known: SCHEMA });
  });
});

t.test('parameters are numbered for PostgreSQL, except inside quotes', async (t) => {
  t.same(numberParameters("SELECT ? AS \"a?\", '?''?' || ? WHERE x = ?"), { text: "SELECT $1 AS \"a?\", '?''?' || $2 WHERE x = $3", names: [] });
  t.same(numberParameters("SELECT @a, '@b', @c WHERE x = @a"), { text: "SELECT $1, '@b', $2 WHERE x = $1", names: ['a', 'c'] });
});
