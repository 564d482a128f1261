// Copying a card (to any board) and moving it to another board. Labels travel by name and colour
// (a label the target board lacks is dropped), people only if they are members there too.
import type { Db } from './db.js';
import type { Activities } from './activities.js';
import type { Card } from './cards.js';
import { assertWipRoom, InvalidTargetError } from './cards.js';
import { newId } from '../ids.js';
import { now } from './time.js';

export interface CardDestination {
  boardId: string;
  listId: string;
  swimlaneId: string;
}

export class CardTransfer {
  constructor(
    private readonly db: Db,
    private readonly activities: Activities,
  ) {}

  private assertLiveCell(to: CardDestination): void {
    const list = this.db.prepare('SELECT 1 FROM lists WHERE id = ? AND board_id = ? AND archived = 0').get(to.listId, to.boardId);
    const swimlane = this.db.prepare('SELECT 1 FROM swimlanes WHERE id = ? AND board_id = ? AND archived = 0').get(to.swimlaneId, to.boardId);
    if (!list || !swimlane) throw new InvalidTargetError('Choose a list and a swimlane of the board you picked.');
    assertWipRoom(this.db, to.listId, 1);
  }

  private nextSort(to: CardDestination): number {
    return this.db
      .prepare('SELECT coalesce(max(sort) + 1, 0) FROM cards WHERE list_id = ? AND swimlane_id = ? AND archived = 0')
      .pluck()
      .get(to.listId, to.swimlaneId) as number;
  }

  /** Target label ids for the card's labels, matched by name and colour. */
  private matchingLabels(cardId: string, targetBoardId: string): string[] {
    return this.db
      .prepare(
        `SELECT t.id FROM card_labels cl
         JOIN labels s ON s.board_id = cl.board_id AND s.id = cl.label_id
         JOIN labels t ON t.board_id = ? AND t.name = s.name AND t.color = s.color
         WHERE cl.card_id = ? GROUP BY s.id`,
      )
      .pluck()
      .all(targetBoardId, cardId) as string[];
  }

  private peopleOnTarget(cardId: string, table: 'card_members' | 'card_assignees', targetBoardId: string): string[] {
    return this.db
      .prepare(
        `SELECT x.user_id FROM ${table} x JOIN board_members m ON m.user_id = x.user_id AND m.board_id = ? AND m.is_active = 1
         WHERE x.card_id = ?`,
      )
      .pluck()
      .all(targetBoardId, cardId) as string[];
  }

  /**
   * A copy at the bottom of the target cell: text, dates, colour, labels, people, checklists and the
   * attachments whose files the caller has already copied (`files`: new id by the original's id); not
   * comments. The cover follows its file.
   */
  readonly copy = (userId: string, card: Card, to: CardDestination, files: Map<string, string> = new Map()): string =>
    this.db.transaction((): string => {
      this.assertLiveCell(to);
      const id = newId();
      const at = now();
      this.db
        .prepare(
          `INSERT INTO cards (id, board_id, swimlane_id, list_id, title, description, sort, color, author_id, received_at,
                              start_at, due_at, end_at, spent_time, is_overtime, created_at, modified_at, date_last_activity)
           SELECT ?, ?, ?, ?, title, description, ?, color, ?, received_at, start_at, due_at, end_at, spent_time, is_overtime, ?, ?, ?
           FROM cards WHERE id = ?`,
        )
        .run(id, to.boardId, to.swimlaneId, to.listId, this.nextSort(to), userId, at, at, at, card.id);
      for (const labelId of this.matchingLabels(card.id, to.boardId)) {
        this.db.prepare('INSERT INTO card_labels (card_id, board_id, label_id) VALUES (?, ?, ?)').run(id, to.boardId, labelId);
      }
      for (const table of ['card_members', 'card_assignees'] as const) {
        for (const person of this.peopleOnTarget(card.id, table, to.boardId)) {
          this.db.prepare(`INSERT INTO ${table} (card_id, user_id) VALUES (?, ?)`).run(id, person);
        }
      }
      const checklists = this.db.prepare('SELECT id, title, sort FROM checklists WHERE card_id = ?').all(card.id) as
        { id: string; title: string; sort: number }[];
      for (const list of checklists) {
        const listId = newId();
        this.db
          .prepare('INSERT INTO checklists (id, board_id, card_id, title, sort, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(listId, to.boardId, id, list.title, list.sort, at, at);
        const items = this.db.prepare('SELECT title, sort, is_finished FROM checklist_items WHERE checklist_id = ?').all(list.id) as
          { title: string; sort: number; is_finished: number }[];
        for (const item of items) {
          this.db
            .prepare(`INSERT INTO checklist_items (id, board_id, checklist_id, card_id, title, sort, is_finished, created_at, modified_at)
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
            .run(newId(), to.boardId, listId, id, item.title, item.sort, item.is_finished, at, at);
        }
      }
      for (const [fromId, toId] of files) {
        this.db
          .prepare(`INSERT INTO attachments (id, board_id, card_id, user_id, name, type, size, sha256, width, height, created_at, modified_at)
                    SELECT ?, ?, ?, ?, name, type, size, sha256, width, height, ?, ? FROM attachments WHERE id = ? AND card_id = ?`)
          .run(toId, to.boardId, id, userId, at, at, fromId, card.id);
      }
      const cover = card.coverId ? files.get(card.coverId) : undefined;
      if (cover) this.db.prepare('UPDATE cards SET cover_id = ? WHERE id = ?').run(cover, id);
      // custom fields are the board's own: values travel only within it
      if (to.boardId === card.boardId) {
        this.db.prepare('INSERT INTO card_custom_values (card_id, field_id, value) SELECT ?, field_id, value FROM card_custom_values WHERE card_id = ?')
          .run(id, card.id);
      }
      this.activities.record(to.boardId, userId, 'copyCard', { cardId: id, listId: to.listId, swimlaneId: to.swimlaneId },
        { fromCardId: card.id, fromBoardId: card.boardId });
      return id;
    })();

  /** Moves the card and everything on it to another board, at the bottom of the target cell. */
  readonly moveToBoard = (userId: string, card: Card, to: CardDestination): void =>
    this.db.transaction(() => {
      if (to.boardId === card.boardId) throw new InvalidTargetError('That is the board the card is on: move it on its own page.');
      this.assertLiveCell(to);
      const labels = this.matchingLabels(card.id, to.boardId);
      const members = this.peopleOnTarget(card.id, 'card_members', to.boardId);
      const assignees = this.peopleOnTarget(card.id, 'card_assignees', to.boardId);
      this.db.prepare('DELETE FROM card_labels WHERE card_id = ?').run(card.id);
      this.db.prepare('DELETE FROM card_members WHERE card_id = ?').run(card.id);
      this.db.prepare('DELETE FROM card_assignees WHERE card_id = ?').run(card.id);
      this.db.prepare('DELETE FROM card_custom_values WHERE card_id = ?').run(card.id); // the old board's fields
      // subtasks stay within a board
      this.db.prepare('UPDATE cards SET parent_id = NULL WHERE id = ? OR parent_id = ?').run(card.id, card.id);
      const at = now();
      this.db
        .prepare('UPDATE cards SET board_id = ?, list_id = ?, swimlane_id = ?, sort = ?, modified_at = ?, date_last_activity = ? WHERE id = ?')
        .run(to.boardId, to.listId, to.swimlaneId, this.nextSort(to), at, at, card.id);
      for (const table of ['checklists', 'checklist_items', 'comments', 'attachments']) {
        this.db.prepare(`UPDATE ${table} SET board_id = ? WHERE card_id = ?`).run(to.boardId, card.id);
      }
      for (const labelId of labels) {
        this.db.prepare('INSERT INTO card_labels (card_id, board_id, label_id) VALUES (?, ?, ?)').run(card.id, to.boardId, labelId);
      }
      for (const person of members) this.db.prepare('INSERT INTO card_members (card_id, user_id) VALUES (?, ?)').run(card.id, person);
      for (const person of assignees) this.db.prepare('INSERT INTO card_assignees (card_id, user_id) VALUES (?, ?)').run(card.id, person);
      this.activities.record(card.boardId, userId, 'moveCardToBoard', { cardId: card.id }, { toBoardId: to.boardId });
      this.activities.record(to.boardId, userId, 'moveCardFromBoard', { cardId: card.id, listId: to.listId, swimlaneId: to.swimlaneId },
        { fromBoardId: card.boardId, oldListId: card.listId });
    })();

  /**
   * Deletes the card for good, with its checklists, comments and attachment rows; the history keeps a
   * line. Answers the ids of the attachments, whose files the caller removes once this has committed.
   */
  readonly delete = (userId: string, card: Card): string[] =>
    this.db.transaction((): string[] => {
      const attachmentIds = this.db.prepare('SELECT id FROM attachments WHERE card_id = ?').pluck().all(card.id) as string[];
      this.db.prepare('DELETE FROM cards WHERE id = ?').run(card.id);
      this.activities.record(card.boardId, userId, 'deleteCard', { listId: card.listId }, { cardId: card.id, title: card.title });
      return attachmentIds;
    })();
}
