// `npm run wami -- migrate-to-postgres URL`: a SQLite data folder's database copied into an empty
// PostgreSQL database (Step 9), in one transaction, table by table in pages (constant memory), and each
// table's row count compared at the end. Attachment files stay where they are: every instance reads
// them from the shared folder (WAMI_ATTACHMENTS_DIR). The search index is rebuilt by PostgreSQL's own triggers as cards,
// comments and checklist items arrive.
import fs from 'node:fs';
import pg from 'pg';
import type { Db } from './db.js';
import { postgresMigrations, redacted } from './pg-sql.js';

/** Tables in an order that satisfies their foreign keys; columns that point forward are filled after. */
const TABLES = [
  'settings', 'users', 'sessions', 'api_tokens', 'one_time_tokens', 'boards', 'board_members', 'swimlanes', 'lists', 'cards',
  'labels', 'card_labels', 'card_members', 'card_assignees', 'checklists', 'checklist_items', 'comments', 'activities',
  'attachments', 'custom_fields', 'card_custom_values', 'integrations', 'webhook_deliveries', 'sign_in_failures',
  'mail_outbox', 'board_invitations', 'board_watchers', 'card_watchers', 'due_reminders', 'mail_held', 'card_dependencies',
  'board_domains', 'board_backgrounds',
] as const;

/** Tables left out: the counter that tells caches accounts changed, which PostgreSQL's schema starts itself. */
export const NOT_COPIED = ['change_counts', 'boards_unfinished'];

/** Tables whose id PostgreSQL numbers itself: copied with their ids, and numbering goes on after the last. */
const NUMBERED: readonly (typeof TABLES)[number][] = ['webhook_deliveries', 'mail_outbox', 'mail_held'];

/** Columns that refer to rows copied later (or to their own table): copied as NULL, then set. */
const LATER: Partial<Record<(typeof TABLES)[number], string[]>> = { cards: ['parent_id', 'cover_id'] };

const PAGE = 200;

/** The target cannot take the copy (exit 2: nothing was written). */
export class MigrationRefused extends Error {}

export interface MigrationReport {
  tables: { table: string; rows: number }[];
}

export async function migrateToPostgres(sqlite: Db, url: string): Promise<MigrationReport> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new MigrationRefused(`cannot reach PostgreSQL at ${redacted(url)}: ${(error as Error).message}`);
  }
  try {
    const existing = Number((await client.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`)).rows[0].n);
    if (existing > 0) throw new MigrationRefused(`the PostgreSQL database already has ${existing} tables: the copy goes into an empty one`);
    const unknown = (sqlite.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
      AND name NOT LIKE 'card_search%'`).pluck().all() as string[]).filter((name) => !(TABLES as readonly string[]).includes(name) && !NOT_COPIED.includes(name));
    // a table a migration added and this list forgot would be lost on the way
    if (unknown.length) throw new Error(`the copy does not know the table${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
    const schema = sqlite.pragma('user_version', { simple: true }) as number;
    const migrations = postgresMigrations();
    const latest = migrations.at(-1)!.version;
    if (schema !== latest) throw new MigrationRefused(`this Wami copies schema ${latest} into PostgreSQL; the SQLite database is at ${schema}`);
    await client.query('BEGIN');
    for (const migration of migrations) await client.query(fs.readFileSync(migration.file, 'utf8'));
    const tables: MigrationReport['tables'] = [];
    // One read transaction: every table as of the same moment, so the copy's references hold.
    sqlite.exec('BEGIN');
    try {
      for (const table of TABLES) tables.push({ table, rows: await copyTable(sqlite, client, table) });
      await restoreLaterColumns(sqlite, client);
    } finally {
      sqlite.exec('COMMIT');
    }
    for (const table of NUMBERED) {
      await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`);
    }
    for (const { table, rows } of tables) {
      const copied = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
      if (copied !== rows) throw new Error(`${table}: ${rows} rows in SQLite but ${copied} in PostgreSQL`);
    }
    await client.query('COMMIT');
    return { tables };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

async function copyTable(sqlite: Db, client: pg.Client, table: (typeof TABLES)[number]): Promise<number> {
  const columns = (sqlite.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]);
  const later = new Set(LATER[table] ?? []);
  const identity = NUMBERED.includes(table) ? ' OVERRIDING SYSTEM VALUE' : '';
  const insert = (rows: unknown[][]) => {
    const values = rows.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
    return client.query(`INSERT INTO ${table} (${columns.join(', ')})${identity} VALUES ${values}`, rows.flat());
  };
  let page: unknown[][] = [];
  let count = 0;
  for (const row of sqlite.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw(true).iterate() as Iterable<unknown[]>) {
    page.push(row.map((value, i) => (later.has(columns[i]!) ? null : value)));
    count++;
    if (page.length === PAGE) {
      await insert(page);
      page = [];
    }
  }
  if (page.length) await insert(page);
  return count;
}

async function restoreLaterColumns(sqlite: Db, client: pg.Client): Promise<void> {
  const rows = sqlite.prepare('SELECT id, parent_id, cover_id FROM cards WHERE parent_id IS NOT NULL OR cover_id IS NOT NULL')
    .iterate() as Iterable<{ id: string; parent_id: string | null; cover_id: string | null }>;
  for (const row of rows) {
    await client.query('UPDATE cards SET parent_id = $2, cover_id = $3 WHERE id = $1', [row.id, row.parent_id, row.cover_id]);
  }
}
