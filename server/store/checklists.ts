// Checklists on cards and their items: add, rename, tick several at once, reorder, delete.
import { message } from '../i18n/messages.js';
import { inSearchBulk } from './search.js';
import { MAX } from '../limits.js';
import { OverLimitError } from './refused.js';
import type { Sql } from './sql.js';
import { lockBoards, type Activities } from './activities.js';
import type { Card, Placement } from './cards.js';
import { InvalidTargetError } from './cards.js';
import { newId } from '../ids.js';
import { now } from './time.js';

export interface Checklist {
  id: string;
  boardId: string;
  cardId: string;
  title: string;
  sort: number;
  finishedAt: string | null;
}

export interface ChecklistItem {
  id: string;
  checklistId: string;
  cardId: string;
  boardId: string;
  title: string;
  sort: number;
  isFinished: 0 | 1;
}

export interface ChecklistWithItems extends Checklist {
  items: ChecklistItem[];
  done: number;
}

const CHECKLIST_COLUMNS = 'id, board_id AS "boardId", card_id AS "cardId", title, sort, finished_at AS "finishedAt"';
const ITEM_COLUMNS = `id, checklist_id AS "checklistId", card_id AS "cardId", board_id AS "boardId", title, sort,
  is_finished AS "isFinished"`;

/** One request with more items than a checklist holds (413), or one more item for a full one (422). */
const tooManyItems = (status: 413 | 422) => new OverLimitError(message('refusals.tooManyItems', { max: MAX.itemsPerChecklist }), status);

export class Checklists {
  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
  ) {}

  async forCard(cardId: string): Promise<ChecklistWithItems[]> {
    const lists = await this.sql.all(
      `SELECT ${CHECKLIST_COLUMNS} FROM checklists WHERE card_id = ? ORDER BY sort, created_at`, cardId) as Checklist[];
    const items = await this.sql.all(
      `SELECT ${ITEM_COLUMNS} FROM checklist_items WHERE card_id = ? ORDER BY sort, created_at`, cardId) as ChecklistItem[];
    return lists.map((list) => {
      const own = items.filter((i) => i.checklistId === list.id);
      return { ...list, items: own, done: own.filter((i) => i.isFinished).length };
    });
  }

  async byId(cardId: string, checklistId: string): Promise<Checklist | undefined> {
    return await this.sql.one(
      `SELECT ${CHECKLIST_COLUMNS} FROM checklists WHERE card_id = ? AND id = ?`, cardId, checklistId) as Checklist | undefined;
  }

  async itemById(checklistId: string, itemId: string): Promise<ChecklistItem | undefined> {
    return await this.sql.one(
      `SELECT ${ITEM_COLUMNS} FROM checklist_items WHERE checklist_id = ? AND id = ?`, checklistId, itemId) as ChecklistItem | undefined;
  }

  /**
   * A new checklist at the end of the card's, with `items` in it (WeKan's API makes one with its items in
   * one call): one change, so one line of history, and the card's search row refreshed once.
   */
  readonly create = async (userId: string, card: Card, title: string, items: readonly string[] = []): Promise<Checklist> =>
    inSearchBulk(this.sql, async (): Promise<Checklist> => {
      if (items.length > MAX.itemsPerChecklist) throw tooManyItems(413);
      await lockBoards(this.sql, card.boardId);
      const id = newId();
      const at = now();
      const { count, next } = (await this.sql.one<{ count: number; next: number }>(
        'SELECT count(*) AS count, coalesce(max(sort) + 1, 0) AS next FROM checklists WHERE card_id = ?', card.id))!;
      if (count >= MAX.checklistsPerCard) {
        throw new OverLimitError(message('refusals.tooManyChecklists', { max: MAX.checklistsPerCard }), 422);
      }
      await this.sql.run(
        `INSERT INTO checklists (id, board_id, card_id, title, sort, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        id, card.boardId, card.id, title, next, at, at);
      for (const [sort, item] of items.entries()) {
        await this.sql.run(`INSERT INTO checklist_items (id, board_id, checklist_id, card_id, title, sort, created_at, modified_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, newId(), card.boardId, id, card.id, item, sort, at, at);
      }
      await this.activities.record(card.boardId, userId, 'addChecklist', { cardId: card.id },
        { checklistId: id, title, ...(items.length ? { items: items.length } : {}) });
      return (await this.byId(card.id, id))!;
    });

  readonly rename = async (userId: string, checklist: Checklist, title: string): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run('UPDATE checklists SET title = ?, modified_at = ? WHERE id = ?', title, now(), checklist.id);
      await this.activities.record(checklist.boardId, userId, 'changedChecklistTitle', { cardId: checklist.cardId },
        { checklistId: checklist.id, oldTitle: checklist.title, title });
    });

  readonly delete = async (userId: string, checklist: Checklist): Promise<void> =>
    inSearchBulk(this.sql, async () => {
      await this.sql.run('DELETE FROM checklists WHERE id = ?', checklist.id);
      await this.activities.record(checklist.boardId, userId, 'removeChecklist', { cardId: checklist.cardId },
        { checklistId: checklist.id, title: checklist.title });
    });

  readonly addItem = async (userId: string, checklist: Checklist, title: string): Promise<ChecklistItem> =>
    this.sql.transaction(async (): Promise<ChecklistItem> => {
      await lockBoards(this.sql, checklist.boardId);
      const id = newId();
      const at = now();
      const { count, next } = (await this.sql.one<{ count: number; next: number }>(
        'SELECT count(*) AS count, coalesce(max(sort) + 1, 0) AS next FROM checklist_items WHERE checklist_id = ?', checklist.id))!;
      if (count >= MAX.itemsPerChecklist) throw tooManyItems(422);
      await this.sql.run(`INSERT INTO checklist_items (id, board_id, checklist_id, card_id, title, sort, created_at, modified_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, checklist.boardId, checklist.id, checklist.cardId, title, next!, at, at);
      await this.sql.run('UPDATE checklists SET finished_at = NULL WHERE id = ?', checklist.id);
      await this.activities.record(checklist.boardId, userId, 'addChecklistItem', { cardId: checklist.cardId },
        { checklistId: checklist.id, checklistItemId: id, title });
      return (await this.itemById(checklist.id, id))!;
    });

  readonly renameItem = async (userId: string, item: ChecklistItem, title: string): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run('UPDATE checklist_items SET title = ?, modified_at = ? WHERE id = ?', title, now(), item.id);
      await this.activities.record(item.boardId, userId, 'changedChecklistItemTitle', { cardId: item.cardId },
        { checklistItemId: item.id, oldTitle: item.title, title });
    });

  readonly deleteItem = async (userId: string, item: ChecklistItem): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run('DELETE FROM checklist_items WHERE id = ?', item.id);
      await this.activities.record(item.boardId, userId, 'removedChecklistItem', { cardId: item.cardId },
        { checklistId: item.checklistId, checklistItemId: item.id, title: item.title });
      await this.updateFinished(item.checklistId);
    });

  /** Ticks exactly the given items of the checklist and unticks the others (one form, several boxes). */
  readonly setFinished = async (userId: string, checklist: Checklist, finishedIds: string[]): Promise<number> =>
    this.sql.transaction(async (): Promise<number> => {
      const items = await this.sql.all(
        `SELECT ${ITEM_COLUMNS} FROM checklist_items WHERE checklist_id = ?`, checklist.id) as ChecklistItem[];
      const wanted = new Set(finishedIds);
      for (const id of wanted) {
        if (!items.some((i) => i.id === id)) throw new InvalidTargetError(message('refusals.itemGone'));
      }
      let changed = 0;
      for (const item of items) {
        const finished = wanted.has(item.id);
        if (!!item.isFinished === finished) continue;
        await this.sql.run('UPDATE checklist_items SET is_finished = ?, modified_at = ? WHERE id = ?', finished ? 1 : 0, now(), item.id);
        await this.activities.record(checklist.boardId, userId, finished ? 'checkedItem' : 'uncheckedItem', { cardId: checklist.cardId },
          { checklistId: checklist.id, checklistItemId: item.id });
        changed++;
      }
      await this.updateFinished(checklist.id);
      return changed;
    });

  /** Puts an item first or after another item of its checklist; the checklist is renumbered 0..n-1. */
  readonly moveItem = async (userId: string, item: ChecklistItem, placement: Placement): Promise<void> =>
    this.sql.transaction(async () => {
      await lockBoards(this.sql, item.boardId);
      const others = (await this.sql.column(
        'SELECT id FROM checklist_items WHERE checklist_id = ? AND id <> ? ORDER BY sort, created_at',
        item.checklistId, item.id) as string[]);
      let at = 0;
      if (placement.at === 'bottom') at = others.length;
      if (placement.at === 'after') {
        at = others.indexOf(placement.id) + 1;
        if (at === 0) throw new InvalidTargetError(message('refusals.itemAnchorGone'));
      }
      const order = [...others.slice(0, at), item.id, ...others.slice(at)];
      for (const [index, id] of order.entries()) await this.sql.run('UPDATE checklist_items SET sort = ? WHERE id = ?', index, id);
      await this.activities.record(item.boardId, userId, 'movedChecklistItem', { cardId: item.cardId },
        { checklistItemId: item.id, position: at });
    });

  /** A checklist is finished when it has items and all are ticked (WeKan's finishedAt). */
  private async updateFinished(checklistId: string): Promise<void> {
    const { total, done } = await this.sql.one(
      'SELECT count(*) AS total, coalesce(sum(is_finished), 0) AS done FROM checklist_items WHERE checklist_id = ?',
      checklistId) as { total: number; done: number };
    const finished = total > 0 && done === total;
    await this.sql.run(
      `UPDATE checklists SET finished_at = CASE WHEN ? THEN coalesce(finished_at, ?) ELSE NULL END WHERE id = ?`,
      finished ? 1 : 0, now(), checklistId);
  }
}
