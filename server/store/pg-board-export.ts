// A board in WeKan's export format on PostgreSQL: the sections of board-export.ts with
// json_build_object, read on a connection of its own in one REPEATABLE READ transaction (the board as
// it was when the export began, while others write), each table in pages by id so memory stays flat.
import type pg from 'pg';
import type { BoardSnapshot, ExportSection } from './board-export.js';

const PAGE = 500;

/** Flags are INTEGER 0/1 in the schema; the export has JSON booleans. */
const bool = (expression: string) => `(${expression}) <> 0`;
const role = (name: string) => `m.role = '${name}'`;
const array = (select: string) => `coalesce((${select}), '[]'::json)`;
/** A text key in the order rows were made, ties (rows made in one import) in their sort's order. */
const made = (table: string) => `${table}.created_at || lpad(greatest(${table}.sort, 0)::bigint::text, 15, '0') || ${table}.id`;

/**
 * Each section's rows: a text key to page by (PostgreSQL pushes the page's condition into the query) and
 * the JSON. Keys follow the order SQLite's export has (rowid: the order rows were made), or the board's
 * own order where the import reads it from the array (labels, custom fields: their sort).
 */
const SECTIONS: Record<ExportSection, string> = {
  labels: `SELECT lpad(l.sort::text, 12, '0') || l.id AS key, json_build_object('_id', l.id, 'name', l.name, 'color', l.color) AS doc
           FROM labels l WHERE l.board_id = $1`,
  members: `SELECT m.user_id AS key, json_build_object('userId', m.user_id, 'isAdmin', ${role('admin')},
              'isActive', ${bool('m.is_active')}, 'isNoComments', ${role('no-comments')},
              'isCommentOnly', ${role('comment-only')}, 'isWorker', ${role('worker')}) AS doc
            FROM board_members m WHERE m.board_id = $1`,
  attachments: `SELECT a.created_at || a.id AS key, json_build_object('_id', a.id, 'cardId', a.card_id, 'name', a.name, 'type', a.type,
                  'size', a.size, 'userId', a.user_id, 'createdAt', a.created_at) AS doc
                FROM attachments a WHERE a.board_id = $1`,
  lists: `SELECT ${made('l')} AS key, json_build_object('_id', l.id, 'title', l.title, 'sort', l.sort, 'color', l.color,
            'archived', ${bool('l.archived')}, 'archivedAt', l.archived_at, 'wipLimit',
            json_build_object('value', coalesce(l.wip_limit, 0), 'enabled', l.wip_limit IS NOT NULL, 'soft', ${bool('l.wip_soft')}),
            'starred', ${bool('l.starred')}, 'collapsed', ${bool('l.collapsed')},
            'createdAt', l.created_at, 'modifiedAt', l.modified_at, 'type', 'list') AS doc
          FROM lists l WHERE l.board_id = $1`,
  cards: `SELECT ${made('c')} AS key, json_build_object('_id', c.id, 'title', c.title, 'description', c.description,
            'listId', c.list_id, 'swimlaneId', c.swimlane_id, 'sort', c.sort, 'color', c.color,
            'archived', ${bool('c.archived')}, 'archivedAt', c.archived_at, 'userId', c.author_id,
            'members', ${array('SELECT json_agg(user_id) FROM card_members WHERE card_id = c.id')},
            'assignees', ${array('SELECT json_agg(user_id) FROM card_assignees WHERE card_id = c.id')},
            'labelIds', ${array('SELECT json_agg(label_id) FROM card_labels WHERE card_id = c.id')},
            'receivedAt', c.received_at, 'startAt', c.start_at, 'dueAt', c.due_at, 'endAt', c.end_at,
            'spentTime', c.spent_time, 'isOvertime', ${bool('c.is_overtime')}, 'coverId', c.cover_id,
            'requestedBy', c.requested_by, 'assignedBy', c.assigned_by, 'parentId', coalesce(c.parent_id, ''),
            'createdAt', c.created_at, 'modifiedAt', c.modified_at, 'dateLastActivity', c.date_last_activity,
            'customFields', ${array("SELECT json_agg(json_build_object('_id', field_id, 'value', value::json)) FROM card_custom_values WHERE card_id = c.id")},
            'type', 'cardType-card') AS doc
          FROM cards c WHERE c.board_id = $1`,
  customFields: `SELECT lpad(f.sort::text, 12, '0') || f.id AS key, json_build_object('_id', f.id, 'boardIds', json_build_array(f.board_id), 'name', f.name, 'type', f.type,
                  'settings', f.settings::json, 'showOnCard', ${bool('f.show_on_card')}, 'automaticallyOnCard', ${bool('f.automatically_on_card')},
                  'alwaysOnCard', ${bool('f.always_on_card')}, 'showLabelOnMiniCard', ${bool('f.show_label_on_mini_card')},
                  'showSumAtTopOfList', ${bool('f.show_sum_at_top_of_list')}) AS doc
                FROM custom_fields f WHERE f.board_id = $1`,
  swimlanes: `SELECT ${made('s')} AS key, json_build_object('_id', s.id, 'title', s.title, 'sort', s.sort, 'color', s.color,
                'archived', ${bool('s.archived')}, 'archivedAt', s.archived_at, 'createdAt', s.created_at,
                'modifiedAt', s.modified_at, 'type', 'swimlane') AS doc
              FROM swimlanes s WHERE s.board_id = $1`,
  comments: `SELECT c.created_at || c.id AS key, json_build_object('_id', c.id, 'cardId', c.card_id, 'text', c.text, 'userId', c.user_id,
               'createdAt', c.created_at, 'modifiedAt', c.modified_at) AS doc
             FROM comments c WHERE c.board_id = $1`,
  // activities in the order of the board versions they made: as text of fixed width
  activities: `SELECT lpad(a.board_version::text, 20, '0') AS key, json_build_object('_id', a.id, 'userId', a.user_id,
                 'activityType', a.activity_type, 'cardId', a.card_id, 'listId', a.list_id, 'swimlaneId', a.swimlane_id,
                 'data', coalesce(a.data, '{}')::json, 'createdAt', a.created_at) AS doc
               FROM activities a WHERE a.board_id = $1`,
  checklists: `SELECT ${made('c')} AS key, json_build_object('_id', c.id, 'cardId', c.card_id, 'title', c.title, 'sort', c.sort,
                 'createdAt', c.created_at, 'modifiedAt', c.modified_at, 'finishedAt', c.finished_at) AS doc
               FROM checklists c WHERE c.board_id = $1`,
  checklistItems: `SELECT ${made('i')} AS key, json_build_object('_id', i.id, 'checklistId', i.checklist_id, 'cardId', i.card_id,
                     'title', i.title, 'sort', i.sort, 'isFinished', ${bool('i.is_finished')}) AS doc
                   FROM checklist_items i WHERE i.board_id = $1`,
  users: `SELECT u.created_at || u.id AS key, json_build_object('_id', u.id, 'username', u.username,
            'profile', json_build_object('fullname', u.fullname, 'initials', u.initials, 'avatarUrl', '')) AS doc
          FROM users u WHERE u.id IN (SELECT user_id FROM board_members WHERE board_id = $1)`,
};

export class PostgresBoardSnapshot implements BoardSnapshot {
  private client: pg.PoolClient | null = null;

  constructor(private readonly pool: pg.Pool, private readonly boardId: string) {}

  async head(): Promise<Record<string, unknown> | undefined> {
    const client = await this.begin();
    const { rows } = await client.query(`SELECT json_build_object('_id', id, 'title', title, 'slug', slug, 'permission', permission,
        'color', color, 'archived', ${bool('archived')}, 'archivedAt', archived_at, 'description', description,
        'createdAt', created_at, 'modifiedAt', modified_at, 'type', 'board', 'sort', 0) AS doc
      FROM boards WHERE id = $1`, [this.boardId]);
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
    const client = this.client;
    this.client = null;
    if (client) void client.query('COMMIT').catch(() => {}).finally(() => client.release());
  }

  /** The snapshot's connection, its REPEATABLE READ transaction begun on first use. */
  private async begin(): Promise<pg.PoolClient> {
    if (this.client) return this.client;
    const client = await this.pool.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    this.client = client;
    return client;
  }
}
