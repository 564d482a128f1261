// Creating a board from an import plan (server/import/): all of it or none (see create).
// Everything gets a new id (labels keep theirs: they are per board); people are the local accounts the
// caller matched, and whatever names nobody local falls to the importer.
import { nextTurn, pacer } from '../pace.js';
import { inSearchBulk } from './search.js';
import type { Sql, SqlParam } from './sql.js';
import type { Activities } from './activities.js';
import type { ImportPlan } from '../import/plan.js';
import { newId } from '../ids.js';
import { now } from './time.js';
import { slugify } from './slug.js';

/** An attachment's file, already placed under its new id. */
export interface ImportedFile {
  id: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
}

export class BoardImport {
  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
  ) {}

  /**
   * Creates the board; `people` maps the export's user ids to local ones. Answers the new board's id.
   *
   * All or nothing. On PostgreSQL that is one transaction (its statements wait on the network, never on
   * this process). On SQLite one transaction would hold the one connection for the whole import, a second
   * or more for a big board, and every other request would wait (sqlite-sql.ts): so the rows go in
   * transactions of about 10 ms each, with a turn for the others between them, into a private board that
   * nobody is a member of yet and that boards_unfinished marks. The last transaction adds the members and
   * the board's visibility, which shows it; a failure deletes what was made, and a crash leaves a marked
   * board that the next start deletes (db.ts).
   */
  readonly create = async (importerId: string, plan: ImportPlan, people: Map<string, string>, files: Map<string, ImportedFile>): Promise<string> => {
    const { boardId, rows, last } = await importRows(importerId, plan, people, files);
    const finish = async () => {
      for (const write of last) await this.sql.run(write.text, ...write.values);
      await this.activities.record(boardId, importerId, 'importBoard', {}, { cards: plan.cards.length });
    };
    if (this.sql.dialect === 'postgres') {
      await inSearchBulk(this.sql, async () => {
        for (const write of rows) await this.sql.run(write.text, ...write.values);
        await finish();
      });
      return boardId;
    }
    let at = 0;
    try {
      while (at < rows.length) {
        await inSearchBulk(this.sql, async () => {
          const started = performance.now();
          if (at === 0) { // the board, then its mark, in the first transaction
            await this.sql.run(rows[0]!.text, ...rows[0]!.values);
            await this.sql.run('INSERT INTO boards_unfinished (board_id, started_at) VALUES (?, ?)', boardId, now());
            at = 1;
          }
          for (; at < rows.length && performance.now() - started < CHUNK_MS; at++) await this.sql.run(rows[at]!.text, ...rows[at]!.values);
        });
        await nextTurn();
      }
      await inSearchBulk(this.sql, async () => {
        await finish();
        await this.sql.run('DELETE FROM boards_unfinished WHERE board_id = ?', boardId);
      });
    } catch (error) {
      await inSearchBulk(this.sql, async () => { await this.sql.run('DELETE FROM boards WHERE id = ?', boardId); });
      throw error;
    }
    return boardId;
  };
}

/** One statement of an import, ready to run. */
interface Write {
  text: string;
  values: SqlParam[];
}

/** How long one of an import's transactions runs on SQLite before the others get a turn. */
const CHUNK_MS = 10;

/**
 * The rows of the board an import makes, as statements (the board first, private), and apart from them
 * the last ones: its members and its visibility, which show it. Everything gets a new id here, so
 * nothing needs to be read back.
 */
async function importRows(importerId: string, plan: ImportPlan, people: Map<string, string>, files: Map<string, ImportedFile>) {
  const at = now();
  const boardId = newId();
  const local = (id: string | null) => (id ? people.get(id) ?? null : null);
  const rows: Write[] = [];
  // the plan's values are checked already (import/plan.ts); a missing one is stored as NULL
  const write = (text: string, ...values: unknown[]) => {
    rows.push({ text, values: values.map((v) => (v ?? null) as SqlParam) });
  };
  const { board } = plan;
  write(`INSERT INTO boards (id, title, slug, description, permission, color, card_settings, created_at, modified_at)
         VALUES (?, ?, ?, ?, 'private', ?, ?, ?, ?)`, boardId, board.title, slugify(board.title), board.description, board.color, board.cardSettings, at, at);
  for (const [i, l] of plan.labels.entries()) {
    write('INSERT INTO labels (board_id, id, name, color, sort) VALUES (?, ?, ?, ?, ?)', boardId, l.id, l.name, l.color, i);
  }
  const members = new Map<string, { role: string; active: boolean }>();
  for (const m of plan.members) {
    const user = local(m.userId);
    if (user) members.set(user, { role: m.role, active: m.active });
  }
  members.set(importerId, { role: 'admin', active: true }); // whoever imports may run the board
  const last: Write[] = [...members].map(([userId, m]) => ({
    text: 'INSERT INTO board_members (board_id, user_id, role, is_active) VALUES (?, ?, ?, ?)', values: [boardId, userId, m.role, m.active ? 1 : 0],
  }));
  last.push({ text: 'UPDATE boards SET permission = ? WHERE id = ?', values: [board.permission, boardId] });
  const laneIds = new Map<string, string>();
  for (const [table, lanes] of [['swimlanes', plan.swimlanes], ['lists', plan.lists]] as const) {
    for (const lane of lanes) {
      const id = newId();
      laneIds.set(`${table}:${lane.id}`, id);
      if (table === 'lists') {
        write(`INSERT INTO lists (id, board_id, title, sort, color, wip_limit, wip_soft, starred, collapsed, archived, archived_at, created_at, modified_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, boardId, lane.title, lane.sort, lane.color, lane.wipLimit, lane.wipSoft ? 1 : 0,
        lane.starred ? 1 : 0, lane.collapsed ? 1 : 0, lane.archived ? 1 : 0, lane.archived ? at : null, at, at);
      } else {
        write(`INSERT INTO swimlanes (id, board_id, title, sort, color, archived, archived_at, created_at, modified_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, boardId, lane.title, lane.sort, lane.color, lane.archived ? 1 : 0, lane.archived ? at : null, at, at);
      }
    }
  }
  const fieldIds = new Map<string, string>();
  for (const [sort, { id: sourceId, definition: f }] of plan.customFields.entries()) {
    const id = newId();
    fieldIds.set(sourceId, id);
    write(`INSERT INTO custom_fields (id, board_id, name, type, settings, show_on_card, automatically_on_card, always_on_card,
           show_label_on_mini_card, show_sum_at_top_of_list, sort, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    id, boardId, f.name, f.type, JSON.stringify(f.settings), f.showOnCard ? 1 : 0, f.automaticallyOnCard ? 1 : 0, f.alwaysOnCard ? 1 : 0,
    f.showLabelOnMiniCard ? 1 : 0, f.showSumAtTopOfList ? 1 : 0, sort, at, at);
  }
  const labelIds = new Set(plan.labels.map((l) => l.id));
  const cardIds = new Map<string, string>();
  const pace = pacer(); // twenty thousand cards take a while to lay out, too
  for (const card of plan.cards) {
    await pace();
    const id = newId();
    cardIds.set(card.id, id);
    write(`INSERT INTO cards (id, board_id, swimlane_id, list_id, title, description, sort, color, archived, archived_at, author_id,
           received_at, start_at, due_at, end_at, spent_time, is_overtime, due_complete, stickers, locations, requested_by, assigned_by, created_at, modified_at, date_last_activity)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    id, boardId, laneIds.get(`swimlanes:${card.swimlaneId}`), laneIds.get(`lists:${card.listId}`), card.title, card.description,
    card.sort, card.color, card.archived ? 1 : 0, card.archived ? at : null, local(card.authorId) ?? importerId,
    card.receivedAt, card.startAt, card.dueAt, card.endAt, card.spentTime, card.isOvertime ? 1 : 0, card.dueComplete ? 1 : 0, card.stickers, card.locations, card.requestedBy, card.assignedBy,
    card.createdAt ?? at, at, at);
    for (const labelId of new Set(card.labelIds)) {
      if (labelIds.has(labelId)) write('INSERT INTO card_labels (card_id, board_id, label_id) VALUES (?, ?, ?)', id, boardId, labelId);
    }
    for (const { fieldId, value } of card.customFields) {
      write('INSERT INTO card_custom_values (card_id, field_id, value) VALUES (?, ?, ?)', id, fieldIds.get(fieldId), JSON.stringify(value));
    }
    for (const [table, named] of [['card_members', card.members], ['card_assignees', card.assignees]] as const) {
      for (const person of new Set(named.map(local).filter((p): p is string => !!p && members.has(p)))) {
        write(`INSERT INTO ${table} (card_id, user_id) VALUES (?, ?)`, id, person);
      }
    }
  }
  const checklistIds = new Map<string, { id: string; cardId: string }>();
  // subtasks: once every card has its new id (a parent outside the plan is dropped)
  for (const card of plan.cards) {
    const parent = card.parentId ? cardIds.get(card.parentId) : undefined;
    if (parent && parent !== cardIds.get(card.id)) write('UPDATE cards SET parent_id = ? WHERE id = ?', parent, cardIds.get(card.id));
    for (const line of card.dependencies) {
      const target = cardIds.get(line.targetId);
      if (target && target !== cardIds.get(card.id)) {
        write('INSERT INTO card_dependencies (card_id, target_id, type, color, icon, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          cardIds.get(card.id), target, line.type, line.color, line.icon, at);
      }
    }
  }
  for (const c of plan.checklists) {
    const id = newId();
    const cardId = cardIds.get(c.cardId)!;
    checklistIds.set(c.id, { id, cardId });
    write('INSERT INTO checklists (id, board_id, card_id, title, sort, finished_at, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      id, boardId, cardId, c.title, c.sort, c.finishedAt, at, at);
  }
  for (const item of plan.items) {
    const checklist = checklistIds.get(item.checklistId)!;
    write(`INSERT INTO checklist_items (id, board_id, checklist_id, card_id, title, sort, is_finished, created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, newId(), boardId, checklist.id, checklist.cardId, item.title, item.sort, item.isFinished ? 1 : 0, at, at);
  }
  for (const c of plan.comments) {
    write('INSERT INTO comments (id, board_id, card_id, user_id, text, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      newId(), boardId, cardIds.get(c.cardId), local(c.userId) ?? importerId, c.text, c.createdAt ?? at, at);
  }
  for (const a of plan.attachments) {
    const file = files.get(a.id);
    if (!file) continue; // exported without its body
    write(`INSERT INTO attachments (id, board_id, card_id, user_id, name, type, size, sha256, width, height, created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, file.id, boardId, cardIds.get(a.cardId), local(a.userId) ?? importerId,
    a.name, a.type, file.size, file.sha256, file.width, file.height, at, at);
  }
  for (const card of plan.cards) {
    const cover = card.coverId ? files.get(card.coverId) : undefined;
    if (cover?.width) write('UPDATE cards SET cover_id = ? WHERE id = ?', cover.id, cardIds.get(card.id));
  }
  return { boardId, rows, last };
}
