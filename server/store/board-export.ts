// A board in WeKan's export format, read as a consistent snapshot in pages. The export runs on a
// connection of its own inside one read transaction (WAL: writers go on meanwhile, the export sees the
// board as it was when it began), and each table is read in pages of rows ordered by id, each row
// already a JSON text made by SQLite: memory stays flat however big the board is.
import Database from 'better-sqlite3';

const PAGE = 500;

const bool = (column: string) => `json(CASE WHEN ${column} THEN 'true' ELSE 'false' END)`;
const array = (select: string) => `json(coalesce((${select}), '[]'))`;

/** Each exported array: the JSON object of one row, from the table's rows of the board. Each query
 *  starts `SELECT <unique number> AS key` and ends in its WHERE clause (the page's condition is added).
 *  Pages follow an order an index already has (the rowid, mostly), so no page sorts the board's rows. */
const SECTIONS = {
  labels: `SELECT l.rowid AS key, json_object('_id', l.id, 'name', l.name, 'color', l.color) AS doc
           FROM labels l WHERE l.board_id = @board`,
  members: `SELECT m.rowid AS key, json_object('userId', m.user_id, 'isAdmin', ${bool("m.role = 'admin'")},
              'isActive', ${bool('m.is_active')}, 'isNoComments', ${bool("m.role = 'no-comments'")},
              'isCommentOnly', ${bool("m.role = 'comment-only'")}, 'isWorker', ${bool("m.role = 'worker'")}) AS doc
            FROM board_members m WHERE m.board_id = @board`,
  attachments: `SELECT a.rowid AS key, json_object('_id', a.id, 'cardId', a.card_id, 'name', a.name, 'type', a.type,
                  'size', a.size, 'userId', a.user_id, 'createdAt', a.created_at) AS doc
                FROM attachments a WHERE a.board_id = @board`,
  lists: `SELECT l.rowid AS key, json_object('_id', l.id, 'title', l.title, 'sort', l.sort, 'color', l.color,
            'archived', ${bool('l.archived')}, 'archivedAt', l.archived_at, 'wipLimit',
            json_object('value', coalesce(l.wip_limit, 0), 'enabled', ${bool('l.wip_limit IS NOT NULL')}, 'soft', ${bool('l.wip_soft')}),
            'starred', ${bool('l.starred')}, 'collapsed', ${bool('l.collapsed')},
            'createdAt', l.created_at, 'modifiedAt', l.modified_at, 'type', 'list') AS doc
          FROM lists l WHERE l.board_id = @board`,
  cards: `SELECT c.rowid AS key, json_object('_id', c.id, 'title', c.title, 'description', c.description,
            'listId', c.list_id, 'swimlaneId', c.swimlane_id, 'sort', c.sort, 'color', c.color,
            'archived', ${bool('c.archived')}, 'archivedAt', c.archived_at, 'userId', c.author_id,
            'members', ${array('SELECT json_group_array(user_id) FROM card_members WHERE card_id = c.id')},
            'assignees', ${array('SELECT json_group_array(user_id) FROM card_assignees WHERE card_id = c.id')},
            'labelIds', ${array('SELECT json_group_array(label_id) FROM card_labels WHERE card_id = c.id')},
            'receivedAt', c.received_at, 'startAt', c.start_at, 'dueAt', c.due_at, 'endAt', c.end_at,
            'spentTime', c.spent_time, 'isOvertime', ${bool('c.is_overtime')}, 'coverId', c.cover_id,
            'requestedBy', c.requested_by, 'assignedBy', c.assigned_by, 'parentId', coalesce(c.parent_id, ''),
            'createdAt', c.created_at, 'modifiedAt', c.modified_at, 'dateLastActivity', c.date_last_activity,
            'customFields', ${array("SELECT json_group_array(json_object('_id', field_id, 'value', json(value))) FROM card_custom_values WHERE card_id = c.id")},
            'type', 'cardType-card') AS doc
          FROM cards c WHERE c.board_id = @board`,
  customFields: `SELECT f.rowid AS key, json_object('_id', f.id, 'boardIds', json_array(f.board_id), 'name', f.name, 'type', f.type,
                  'settings', json(f.settings), 'showOnCard', ${bool('f.show_on_card')}, 'automaticallyOnCard', ${bool('f.automatically_on_card')},
                  'alwaysOnCard', ${bool('f.always_on_card')}, 'showLabelOnMiniCard', ${bool('f.show_label_on_mini_card')},
                  'showSumAtTopOfList', ${bool('f.show_sum_at_top_of_list')}) AS doc
                FROM custom_fields f WHERE f.board_id = @board`,
  swimlanes: `SELECT s.rowid AS key, json_object('_id', s.id, 'title', s.title, 'sort', s.sort, 'color', s.color,
                'archived', ${bool('s.archived')}, 'archivedAt', s.archived_at, 'createdAt', s.created_at,
                'modifiedAt', s.modified_at, 'type', 'swimlane') AS doc
              FROM swimlanes s WHERE s.board_id = @board`,
  comments: `SELECT c.rowid AS key, json_object('_id', c.id, 'cardId', c.card_id, 'text', c.text, 'userId', c.user_id,
               'createdAt', c.created_at, 'modifiedAt', c.modified_at) AS doc
             FROM comments c WHERE c.board_id = @board`,
  // one activity per board version: the version is the key, along the (board_id, board_version) index
  activities: `SELECT a.board_version AS key, json_object('_id', a.id, 'userId', a.user_id, 'activityType', a.activity_type,
                 'cardId', a.card_id, 'listId', a.list_id, 'swimlaneId', a.swimlane_id,
                 'data', json(coalesce(a.data, '{}')), 'createdAt', a.created_at) AS doc
               FROM activities a WHERE a.board_id = @board`,
  checklists: `SELECT c.rowid AS key, json_object('_id', c.id, 'cardId', c.card_id, 'title', c.title, 'sort', c.sort,
                 'createdAt', c.created_at, 'modifiedAt', c.modified_at, 'finishedAt', c.finished_at) AS doc
               FROM checklists c WHERE c.board_id = @board`,
  checklistItems: `SELECT i.rowid AS key, json_object('_id', i.id, 'checklistId', i.checklist_id, 'cardId', i.card_id,
                     'title', i.title, 'sort', i.sort, 'isFinished', ${bool('i.is_finished')}) AS doc
                   FROM checklist_items i WHERE i.board_id = @board`,
  users: `SELECT u.rowid AS key, json_object('_id', u.id, 'username', u.username,
            'profile', json_object('fullname', u.fullname, 'initials', u.initials, 'avatarUrl', '')) AS doc
          FROM users u WHERE u.id IN (SELECT user_id FROM board_members WHERE board_id = @board)`,
} as const;

export type ExportSection = keyof typeof SECTIONS;
export const EXPORT_SECTIONS = Object.keys(SECTIONS) as ExportSection[];

/** One board read as of one moment, for its export: the head, then each section a page at a time. */
export interface BoardSnapshot {
  /** The board's own fields, as the head of the export; undefined when it is gone. */
  head(): Promise<Record<string, unknown> | undefined>;
  /** The section's rows as JSON texts, a page at a time. */
  pages(section: ExportSection): AsyncIterable<string[]>;
  /** Ends the snapshot's transaction and lets its connection go. */
  close(): void;
}

/** SQLite's snapshot: a read-only connection of its own, one read transaction. */
export class SqliteBoardSnapshot implements BoardSnapshot {
  private readonly db: Database.Database;

  /** Opens a read-only connection to the database file and begins the snapshot. */
  constructor(file: string, private readonly boardId: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.exec('BEGIN');
  }

  async head(): Promise<Record<string, unknown> | undefined> {
    const row = this.db
      .prepare(`SELECT json_object('_id', id, 'title', title, 'slug', slug, 'permission', permission, 'color', color,
                  'archived', ${bool('archived')}, 'archivedAt', archived_at, 'description', description,
                  'createdAt', created_at, 'modifiedAt', modified_at, 'type', 'board', 'sort', 0) AS doc
                FROM boards WHERE id = ?`)
      .pluck()
      .get(this.boardId) as string | undefined;
    return row ? (JSON.parse(row) as Record<string, unknown>) : undefined;
  }

  async *pages(section: ExportSection): AsyncGenerator<string[]> {
    // The page's condition goes into the query itself (as a subquery's outer WHERE, SQLite would make
    // every row's JSON for every page).
    const sql = SECTIONS[section];
    const key = /^SELECT (\S+) AS key/.exec(sql)![1]!;
    const statement = this.db.prepare(`${sql} AND ${key} > @after ORDER BY ${key} LIMIT ${PAGE}`);
    let after = 0;
    for (;;) {
      const rows = statement.all({ board: this.boardId, after }) as { key: number; doc: string }[];
      if (rows.length === 0) return;
      yield rows.map((r) => r.doc);
      after = rows.at(-1)!.key;
      if (rows.length < PAGE) return;
    }
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }
}
