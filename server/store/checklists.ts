// Checklists on cards and their items: add, rename, tick several at once, reorder, delete.
import type { Db } from './db.js';
import type { Activities } from './activities.js';
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

const CHECKLIST_COLUMNS = 'id, board_id AS boardId, card_id AS cardId, title, sort, finished_at AS finishedAt';
const ITEM_COLUMNS = `id, checklist_id AS checklistId, card_id AS cardId, board_id AS boardId, title, sort,
  is_finished AS isFinished`;

export class Checklists {
  constructor(
    private readonly db: Db,
    private readonly activities: Activities,
  ) {}

  forCard(cardId: string): ChecklistWithItems[] {
    const lists = this.db
      .prepare(`SELECT ${CHECKLIST_COLUMNS} FROM checklists WHERE card_id = ? ORDER BY sort, created_at`)
      .all(cardId) as Checklist[];
    const items = this.db
      .prepare(`SELECT ${ITEM_COLUMNS} FROM checklist_items WHERE card_id = ? ORDER BY sort, created_at`)
      .all(cardId) as ChecklistItem[];
    return lists.map((list) => {
      const own = items.filter((i) => i.checklistId === list.id);
      return { ...list, items: own, done: own.filter((i) => i.isFinished).length };
    });
  }

  byId(cardId: string, checklistId: string): Checklist | undefined {
    return this.db
      .prepare(`SELECT ${CHECKLIST_COLUMNS} FROM checklists WHERE card_id = ? AND id = ?`)
      .get(cardId, checklistId) as Checklist | undefined;
  }

  itemById(checklistId: string, itemId: string): ChecklistItem | undefined {
    return this.db
      .prepare(`SELECT ${ITEM_COLUMNS} FROM checklist_items WHERE checklist_id = ? AND id = ?`)
      .get(checklistId, itemId) as ChecklistItem | undefined;
  }

  readonly create = (userId: string, card: Card, title: string): Checklist =>
    this.db.transaction((): Checklist => {
      const id = newId();
      const at = now();
      const next = this.db.prepare('SELECT coalesce(max(sort) + 1, 0) FROM checklists WHERE card_id = ?').pluck().get(card.id);
      this.db
        .prepare(`INSERT INTO checklists (id, board_id, card_id, title, sort, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(id, card.boardId, card.id, title, next, at, at);
      this.activities.record(card.boardId, userId, 'addChecklist', { cardId: card.id }, { checklistId: id, title });
      return this.byId(card.id, id)!;
    })();

  readonly rename = (userId: string, checklist: Checklist, title: string): void =>
    this.db.transaction(() => {
      this.db.prepare('UPDATE checklists SET title = ?, modified_at = ? WHERE id = ?').run(title, now(), checklist.id);
      this.activities.record(checklist.boardId, userId, 'changedChecklistTitle', { cardId: checklist.cardId },
        { checklistId: checklist.id, oldTitle: checklist.title, title });
    })();

  readonly delete = (userId: string, checklist: Checklist): void =>
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM checklists WHERE id = ?').run(checklist.id);
      this.activities.record(checklist.boardId, userId, 'removeChecklist', { cardId: checklist.cardId },
        { checklistId: checklist.id, title: checklist.title });
    })();

  readonly addItem = (userId: string, checklist: Checklist, title: string): ChecklistItem =>
    this.db.transaction((): ChecklistItem => {
      const id = newId();
      const at = now();
      const next = this.db.prepare('SELECT coalesce(max(sort) + 1, 0) FROM checklist_items WHERE checklist_id = ?').pluck().get(checklist.id);
      this.db
        .prepare(`INSERT INTO checklist_items (id, board_id, checklist_id, card_id, title, sort, created_at, modified_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(id, checklist.boardId, checklist.id, checklist.cardId, title, next, at, at);
      this.db.prepare('UPDATE checklists SET finished_at = NULL WHERE id = ?').run(checklist.id);
      this.activities.record(checklist.boardId, userId, 'addChecklistItem', { cardId: checklist.cardId },
        { checklistId: checklist.id, checklistItemId: id, title });
      return this.itemById(checklist.id, id)!;
    })();

  readonly renameItem = (userId: string, item: ChecklistItem, title: string): void =>
    this.db.transaction(() => {
      this.db.prepare('UPDATE checklist_items SET title = ?, modified_at = ? WHERE id = ?').run(title, now(), item.id);
      this.activities.record(item.boardId, userId, 'changedChecklistItemTitle', { cardId: item.cardId },
        { checklistItemId: item.id, oldTitle: item.title, title });
    })();

  readonly deleteItem = (userId: string, item: ChecklistItem): void =>
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM checklist_items WHERE id = ?').run(item.id);
      this.activities.record(item.boardId, userId, 'removedChecklistItem', { cardId: item.cardId },
        { checklistId: item.checklistId, checklistItemId: item.id, title: item.title });
      this.updateFinished(item.checklistId);
    })();

  /** Ticks exactly the given items of the checklist and unticks the others (one form, several boxes). */
  readonly setFinished = (userId: string, checklist: Checklist, finishedIds: string[]): number =>
    this.db.transaction((): number => {
      const items = this.db
        .prepare(`SELECT ${ITEM_COLUMNS} FROM checklist_items WHERE checklist_id = ?`)
        .all(checklist.id) as ChecklistItem[];
      const wanted = new Set(finishedIds);
      for (const id of wanted) {
        if (!items.some((i) => i.id === id)) throw new InvalidTargetError('An item you ticked is not on this checklist any more.');
      }
      let changed = 0;
      for (const item of items) {
        const finished = wanted.has(item.id);
        if (!!item.isFinished === finished) continue;
        this.db.prepare('UPDATE checklist_items SET is_finished = ?, modified_at = ? WHERE id = ?').run(finished ? 1 : 0, now(), item.id);
        this.activities.record(checklist.boardId, userId, finished ? 'checkedItem' : 'uncheckedItem', { cardId: checklist.cardId },
          { checklistId: checklist.id, checklistItemId: item.id });
        changed++;
      }
      this.updateFinished(checklist.id);
      return changed;
    })();

  /** Puts an item first or after another item of its checklist; the checklist is renumbered 0..n-1. */
  readonly moveItem = (userId: string, item: ChecklistItem, placement: Placement): void =>
    this.db.transaction(() => {
      const others = (this.db
        .prepare('SELECT id FROM checklist_items WHERE checklist_id = ? AND id <> ? ORDER BY sort, created_at')
        .pluck()
        .all(item.checklistId, item.id) as string[]);
      let at = 0;
      if (placement.at === 'bottom') at = others.length;
      if (placement.at === 'after') {
        at = others.indexOf(placement.id) + 1;
        if (at === 0) throw new InvalidTargetError('The item to put it after is not on this checklist any more.');
      }
      const order = [...others.slice(0, at), item.id, ...others.slice(at)];
      const update = this.db.prepare('UPDATE checklist_items SET sort = ? WHERE id = ?');
      order.forEach((id, index) => update.run(index, id));
      this.activities.record(item.boardId, userId, 'movedChecklistItem', { cardId: item.cardId },
        { checklistItemId: item.id, position: at });
    })();

  /** A checklist is finished when it has items and all are ticked (WeKan's finishedAt). */
  private updateFinished(checklistId: string): void {
    const { total, done } = this.db
      .prepare('SELECT count(*) AS total, coalesce(sum(is_finished), 0) AS done FROM checklist_items WHERE checklist_id = ?')
      .get(checklistId) as { total: number; done: number };
    const finished = total > 0 && done === total;
    this.db
      .prepare(`UPDATE checklists SET finished_at = CASE WHEN ? THEN coalesce(finished_at, ?) ELSE NULL END WHERE id = ?`)
      .run(finished ? 1 : 0, now(), checklistId);
  }
}
