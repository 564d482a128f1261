// A board in WeKan's export format, read as a consistent snapshot in pages. The export runs on a
// connection of its own inside one read transaction (WAL: writers go on meanwhile, the export sees the
// board as it was when it began), and each table is read in pages of rows ordered by id, each row
// already a JSON text made by SQLite: memory stays flat however big the board is.
import Database from 'better-sqlite3';
import { nextTurn } from '../pace.js';

const PAGE = 500;

/** The JSON functions of one engine, with which the export's sections are written once for both. */
export interface ExportDialect {
  /** json_object or json_build_object. */
  object: string;
  /** json_array or json_build_array. */
  array: string;
  /** A flag (INTEGER 0/1, or a comparison) as a JSON boolean. */
  bool(expression: string): string;
  /** `value` over the rows of `from` as a JSON array, [] when there are none. */
  list(value: string, from: string): string;
  /** A column holding JSON text, as JSON. */
  json(text: string): string;
  /** The board's parameter in the query. */
  board: string;
  /** What each section pages by: a key unique in the section, in the order the export lists its rows. */
  keys: Record<ExportSection, string>;
}

export const EXPORT_SECTIONS = ['labels', 'members', 'attachments', 'lists', 'cards', 'customFields', 'swimlanes', 'comments',
  'activities', 'checklists', 'checklistItems', 'users'] as const;
export type ExportSection = (typeof EXPORT_SECTIONS)[number];

/**
 * Each exported array's query: `SELECT <key> AS key, <the row as JSON> AS doc FROM … WHERE …` for the
 * board's rows (the snapshot adds its page's condition and order).
 */
export function exportSections(d: ExportDialect): Record<ExportSection, string> {
  const { object, array, bool, list, json, board } = d;
  const doc: Record<ExportSection, [string, string]> = {
    labels: [`${object}('_id', l.id, 'name', l.name, 'color', l.color)`, `labels l WHERE l.board_id = ${board}`],
    members: [`${object}('userId', m.user_id, 'isAdmin', ${bool("m.role = 'admin'")},
        'isActive', ${bool('m.is_active')}, 'isNoComments', ${bool("m.role = 'no-comments'")},
        'isCommentOnly', ${bool("m.role = 'comment-only'")}, 'isWorker', ${bool("m.role = 'worker'")},
        'isNormalAssignedOnly', ${bool("m.role = 'normal-assigned-only'")}, 'isCommentAssignedOnly', ${bool("m.role = 'comment-assigned-only'")},
        'isReadOnly', ${bool("m.role = 'read-only'")}, 'isReadAssignedOnly', ${bool("m.role = 'read-assigned-only'")})`,
    `board_members m WHERE m.board_id = ${board}`],
    attachments: [`${object}('_id', a.id, 'cardId', a.card_id, 'name', a.name, 'type', a.type,
        'size', a.size, 'userId', a.user_id, 'createdAt', a.created_at)`, `attachments a WHERE a.board_id = ${board}`],
    lists: [`${object}('_id', l.id, 'title', l.title, 'sort', l.sort, 'color', l.color,
        'archived', ${bool('l.archived')}, 'archivedAt', l.archived_at, 'wipLimit',
        ${object}('value', coalesce(l.wip_limit, 0), 'enabled', ${bool('l.wip_limit IS NOT NULL')}, 'soft', ${bool('l.wip_soft')}),
        'starred', ${bool('l.starred')}, 'collapsed', ${bool('l.collapsed')},
        'createdAt', l.created_at, 'modifiedAt', l.modified_at, 'type', 'list')`, `lists l WHERE l.board_id = ${board}`],
    cards: [`${object}('_id', c.id, 'title', c.title, 'description', c.description,
        'listId', c.list_id, 'swimlaneId', c.swimlane_id, 'sort', c.sort, 'color', c.color,
        'archived', ${bool('c.archived')}, 'archivedAt', c.archived_at, 'userId', c.author_id,
        'members', ${list('user_id', 'card_members WHERE card_id = c.id')},
        'assignees', ${list('user_id', 'card_assignees WHERE card_id = c.id')},
        'labelIds', ${list('label_id', 'card_labels WHERE card_id = c.id')},
        'receivedAt', c.received_at, 'startAt', c.start_at, 'dueAt', c.due_at, 'endAt', c.end_at,
        'spentTime', c.spent_time, 'isOvertime', ${bool('c.is_overtime')}, 'dueComplete', ${bool('c.due_complete')}, 'coverId', c.cover_id,
        'stickers', ${json('c.stickers')}, 'locations', ${json('c.locations')},
        'cardDependencies', ${list(`${object}('cardId', target_id, 'type', type, 'color', color, 'icon', icon)`, 'card_dependencies WHERE card_id = c.id')},
        'requestedBy', c.requested_by, 'assignedBy', c.assigned_by, 'parentId', coalesce(c.parent_id, ''),
        'createdAt', c.created_at, 'modifiedAt', c.modified_at, 'dateLastActivity', c.date_last_activity,
        'customFields', ${list(`${object}('_id', field_id, 'value', ${json('value')})`, 'card_custom_values WHERE card_id = c.id')},
        'type', 'cardType-card')`, `cards c WHERE c.board_id = ${board}`],
    customFields: [`${object}('_id', f.id, 'boardIds', ${array}(f.board_id), 'name', f.name, 'type', f.type,
        'settings', ${json('f.settings')}, 'showOnCard', ${bool('f.show_on_card')}, 'automaticallyOnCard', ${bool('f.automatically_on_card')},
        'alwaysOnCard', ${bool('f.always_on_card')}, 'showLabelOnMiniCard', ${bool('f.show_label_on_mini_card')},
        'showSumAtTopOfList', ${bool('f.show_sum_at_top_of_list')})`, `custom_fields f WHERE f.board_id = ${board}`],
    swimlanes: [`${object}('_id', s.id, 'title', s.title, 'sort', s.sort, 'color', s.color,
        'archived', ${bool('s.archived')}, 'archivedAt', s.archived_at, 'createdAt', s.created_at,
        'modifiedAt', s.modified_at, 'type', 'swimlane')`, `swimlanes s WHERE s.board_id = ${board}`],
    comments: [`${object}('_id', c.id, 'cardId', c.card_id, 'text', c.text, 'userId', c.user_id,
        'createdAt', c.created_at, 'modifiedAt', c.modified_at)`, `comments c WHERE c.board_id = ${board}`],
    activities: [`${object}('_id', a.id, 'userId', a.user_id, 'activityType', a.activity_type,
        'cardId', a.card_id, 'listId', a.list_id, 'swimlaneId', a.swimlane_id,
        'data', ${json("coalesce(a.data, '{}')")}, 'createdAt', a.created_at)`, `activities a WHERE a.board_id = ${board}`],
    checklists: [`${object}('_id', c.id, 'cardId', c.card_id, 'title', c.title, 'sort', c.sort,
        'createdAt', c.created_at, 'modifiedAt', c.modified_at, 'finishedAt', c.finished_at)`, `checklists c WHERE c.board_id = ${board}`],
    checklistItems: [`${object}('_id', i.id, 'checklistId', i.checklist_id, 'cardId', i.card_id,
        'title', i.title, 'sort', i.sort, 'isFinished', ${bool('i.is_finished')})`, `checklist_items i WHERE i.board_id = ${board}`],
    users: [`${object}('_id', u.id, 'username', u.username,
        'profile', ${object}('fullname', u.fullname, 'initials', u.initials, 'avatarUrl', ''))`,
    `users u WHERE u.id IN (SELECT user_id FROM board_members WHERE board_id = ${board})`],
  };
  return Object.fromEntries(EXPORT_SECTIONS.map((section) => {
    const [json, from] = doc[section];
    return [section, `SELECT ${d.keys[section]} AS key, ${json} AS doc FROM ${from}`];
  })) as Record<ExportSection, string>;
}

/** The board's own fields, the head of the export, as one JSON text (`doc`) for the board's parameter. */
export function exportHead(d: ExportDialect): string {
  return `SELECT ${d.object}('_id', id, 'title', title, 'slug', slug, 'permission', permission, 'color', color,
      'archived', ${d.bool('archived')}, 'archivedAt', archived_at, 'description', description,
      'createdAt', created_at, 'modifiedAt', modified_at, 'type', 'board', 'sort', 0, 'cardSettings', card_settings) AS doc
    FROM boards WHERE id = ${d.board}`;
}

/**
 * SQLite's JSON functions. Pages follow an order an index already has (the rowid, mostly), so no page
 * sorts the board's rows; one activity per board version, along the (board_id, board_version) index.
 */
const SQLITE_JSON: ExportDialect = {
  object: 'json_object',
  array: 'json_array',
  bool: (expression) => `json(CASE WHEN ${expression} THEN 'true' ELSE 'false' END)`,
  list: (value, from) => `json(coalesce((SELECT json_group_array(${value}) FROM ${from}), '[]'))`,
  json: (text) => `json(${text})`,
  board: '@board',
  keys: {
    labels: 'l.rowid', members: 'm.rowid', attachments: 'a.rowid', lists: 'l.rowid', cards: 'c.rowid', customFields: 'f.rowid',
    swimlanes: 's.rowid', comments: 'c.rowid', activities: 'a.board_version', checklists: 'c.rowid', checklistItems: 'i.rowid',
    users: 'u.rowid',
  },
};
const SECTIONS = exportSections(SQLITE_JSON);
const HEAD = exportHead(SQLITE_JSON);

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
    const row = this.db.prepare(HEAD).pluck().get({ board: this.boardId }) as string | undefined;
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
      // each page is read synchronously: a turn for other requests between pages of a big board
      await nextTurn();
    }
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }
}
