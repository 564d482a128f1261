// A board in WeKan's export format on PostgreSQL: the sections of board-export.ts in PostgreSQL's JSON
// functions, read on a connection of its own in one REPEATABLE READ transaction (the board as
// it was when the export began, while others write), each table in pages by id so memory stays flat.
import type pg from 'pg';
import { exportHead, exportSections, type BoardSnapshot, type ExportDialect, type ExportSection } from './board-export.js';
import { checkOut, type HeldConnection } from './pg-sql.js';

const PAGE = 500;

/** A text key in the order rows were made, ties (rows made in one import) in their sort's order. */
const made = (table: string) => `${table}.created_at || lpad(greatest(${table}.sort, 0)::bigint::text, 15, '0') || ${table}.id`;

/**
 * PostgreSQL's JSON functions. Each section pages by a text key (PostgreSQL pushes the page's condition
 * into the query) in the order SQLite's export has (rowid: the order rows were made), or the board's own
 * order where the import reads it from the array (labels, custom fields: their sort); activities by the
 * board version they made, as text of fixed width.
 */
const POSTGRES_JSON: ExportDialect = {
  object: 'json_build_object',
  array: 'json_build_array',
  // flags are INTEGER 0/1, comparisons boolean: either as an integer, then compared
  bool: (expression) => `((${expression})::int <> 0)`,
  list: (value, from) => `coalesce((SELECT json_agg(${value}) FROM ${from}), '[]'::json)`,
  json: (text) => `(${text})::json`,
  board: '$1',
  keys: {
    labels: "lpad(l.sort::text, 12, '0') || l.id", members: 'm.user_id', attachments: 'a.created_at || a.id', lists: made('l'),
    cards: made('c'), customFields: "lpad(f.sort::text, 12, '0') || f.id", swimlanes: made('s'), comments: 'c.created_at || c.id',
    activities: "lpad(a.board_version::text, 20, '0')", checklists: made('c'), checklistItems: made('i'),
    users: 'u.created_at || u.id',
  },
};
const SECTIONS = exportSections(POSTGRES_JSON);
const HEAD = exportHead(POSTGRES_JSON);

export class PostgresBoardSnapshot implements BoardSnapshot {
  private held: HeldConnection | null = null;

  constructor(private readonly pool: pg.Pool, private readonly boardId: string) {}

  async head(): Promise<Record<string, unknown> | undefined> {
    const client = await this.begin();
    const { rows } = await client.query(HEAD, [this.boardId]);
    return rows[0]?.doc as Record<string, unknown> | undefined;
  }

  async *pages(section: ExportSection): AsyncGenerator<string[]> {
    const client = await this.begin();
    const sql = SECTIONS[section];
    let after = '';
    for (;;) {
      const { rows } = await client.query(`SELECT key, doc::text AS doc FROM (${sql}) page WHERE key > $2 ORDER BY key LIMIT ${PAGE}`,
        [this.boardId, after]) as { rows: { key: string; doc: string }[] };
      if (rows.length === 0) return;
      yield rows.map((r) => r.doc);
      after = rows.at(-1)!.key;
      if (rows.length < PAGE) return;
    }
  }

  close(): void {
    const held = this.held;
    this.held = null;
    if (held) void held.client.query('COMMIT').catch(() => {}).finally(() => held.release());
  }

  /** The snapshot's connection, its REPEATABLE READ transaction begun on first use. */
  private async begin(): Promise<pg.PoolClient> {
    if (this.held) return this.held.client;
    const held = await checkOut(this.pool);
    try {
      await held.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    } catch (error) {
      held.release(error as Error);
      throw error;
    }
    this.held = held;
    return held.client;
  }
}
