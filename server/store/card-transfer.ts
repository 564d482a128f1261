// Copying a card (to any board) and moving it to another board. Labels travel by name and colour
// (a label the target board lacks is dropped), people only if they are members there too.
import { message } from '../i18n/messages.js';
import { inSearchBulk } from './search.js';
import type { Sql } from './sql.js';
import { lockBoards, type Activities } from './activities.js';
import type { Card } from './cards.js';
import type { Dependencies } from './dependencies.js';
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
    private readonly sql: Sql,
    private readonly activities: Activities,
    private readonly dependencies: Dependencies,
  ) {}

  /** The cell is a live list and swimlane of the board, with room under a hard WIP limit. */
  async assertLiveCell(to: CardDestination): Promise<void> {
    const list = await this.sql.one('SELECT 1 FROM lists WHERE id = ? AND board_id = ? AND archived = 0', to.listId, to.boardId);
    const swimlane = await this.sql.one(
      'SELECT 1 FROM swimlanes WHERE id = ? AND board_id = ? AND archived = 0', to.swimlaneId, to.boardId);
    if (!list || !swimlane) throw new InvalidTargetError(message('refusals.chooseCell'));
    await assertWipRoom(this.sql, to.listId, 1);
  }

  private async nextSort(to: CardDestination): Promise<number> {
    return await this.sql.value(
      'SELECT coalesce(max(sort) + 1, 0) FROM cards WHERE list_id = ? AND swimlane_id = ? AND archived = 0',
      to.listId, to.swimlaneId) as number;
  }

  /** Target label ids for the card's labels, matched by name and colour. */
  private async matchingLabels(cardId: string, targetBoardId: string): Promise<string[]> {
    // one target label per label of the card (the first by id, should the target have twins)
    return await this.sql.column(`SELECT min(t.id) FROM card_labels cl
         JOIN labels s ON s.board_id = cl.board_id AND s.id = cl.label_id
         JOIN labels t ON t.board_id = ? AND t.name = s.name AND t.color = s.color
         WHERE cl.card_id = ? GROUP BY s.id`, targetBoardId, cardId) as string[];
  }

  private async peopleOnTarget(cardId: string, table: 'card_members' | 'card_assignees', targetBoardId: string): Promise<string[]> {
    return await this.sql.column(
      `SELECT x.user_id FROM ${table} x JOIN board_members m ON m.user_id = x.user_id AND m.board_id = ? AND m.is_active = 1
         WHERE x.card_id = ?`, targetBoardId, cardId) as string[];
  }

  /**
   * A copy at the bottom of the target cell: text, dates, colour, labels, people, checklists and the
   * attachments whose files the caller has already copied (`files`: new id by the original's id); not
   * comments. The cover follows its file.
   */
  readonly copy = async (userId: string, card: Card, to: CardDestination, files: Map<string, string> = new Map()): Promise<string> =>
    inSearchBulk(this.sql, async (): Promise<string> => {
      await lockBoards(this.sql, card.boardId, to.boardId);
      await this.assertLiveCell(to);
      return await this.copyCard(userId, card, to, await this.nextSort(to), files);
    });

  /** Inside the caller's transaction, the target cell checked: the copy (as `copy` makes it) at `sort`. */
  async copyCard(userId: string, card: Card, to: CardDestination, sort: number, files: Map<string, string>): Promise<string> {
    const id = newId();
    const at = now();
    await this.sql.run(`INSERT INTO cards (id, board_id, swimlane_id, list_id, title, description, sort, color, author_id, received_at,
                            start_at, due_at, end_at, spent_time, is_overtime, stickers, locations, created_at, modified_at, date_last_activity)
         SELECT ?, ?, ?, ?, title, description, ?, color, ?, received_at, start_at, due_at, end_at, spent_time, is_overtime, stickers, locations, ?, ?, ?
         FROM cards WHERE id = ?`, id, to.boardId, to.swimlaneId, to.listId, sort, userId, at, at, at, card.id);
    for (const labelId of (await this.matchingLabels(card.id, to.boardId))) {
      await this.sql.run('INSERT INTO card_labels (card_id, board_id, label_id) VALUES (?, ?, ?)', id, to.boardId, labelId);
    }
    for (const table of ['card_members', 'card_assignees'] as const) {
      for (const person of (await this.peopleOnTarget(card.id, table, to.boardId))) {
        await this.sql.run(`INSERT INTO ${table} (card_id, user_id) VALUES (?, ?)`, id, person);
      }
    }
    const checklists = await this.sql.all('SELECT id, title, sort FROM checklists WHERE card_id = ?', card.id) as
      { id: string; title: string; sort: number }[];
    for (const list of checklists) {
      const listId = newId();
      await this.sql.run(
        'INSERT INTO checklists (id, board_id, card_id, title, sort, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        listId, to.boardId, id, list.title, list.sort, at, at);
      const items = await this.sql.all('SELECT title, sort, is_finished FROM checklist_items WHERE checklist_id = ?', list.id) as
        { title: string; sort: number; is_finished: number }[];
      for (const item of items) {
        await this.sql.run(
          `INSERT INTO checklist_items (id, board_id, checklist_id, card_id, title, sort, is_finished, created_at, modified_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, newId(), to.boardId, listId, id, item.title, item.sort, item.is_finished, at, at);
      }
    }
    for (const fromId of (await this.sql.column('SELECT id FROM attachments WHERE card_id = ?', card.id)) as string[]) {
      const toId = files.get(fromId);
      if (!toId) continue;
      await this.sql.run(
        `INSERT INTO attachments (id, board_id, card_id, user_id, name, type, size, sha256, width, height, created_at, modified_at)
                  SELECT ?, ?, ?, ?, name, type, size, sha256, width, height, ?, ? FROM attachments WHERE id = ? AND card_id = ?`, toId, to.boardId, id, userId, at, at, fromId, card.id);
    }
    const cover = card.coverId ? files.get(card.coverId) : undefined;
    if (cover) await this.sql.run('UPDATE cards SET cover_id = ? WHERE id = ?', cover, id);
    // custom fields are the board's own: values travel only within it
    if (to.boardId === card.boardId) {
      await this.sql.run(
        'INSERT INTO card_custom_values (card_id, field_id, value) SELECT ?, field_id, value FROM card_custom_values WHERE card_id = ?',
        id, card.id);
    }
    await this.activities.record(to.boardId, userId, 'copyCard', { cardId: id, listId: to.listId, swimlaneId: to.swimlaneId },
      { fromCardId: card.id, fromBoardId: card.boardId });
    return id;
  }

  /** Moves the card and everything on it to another board, at the bottom of the target cell. */
  readonly moveToBoard = async (userId: string, card: Card, to: CardDestination): Promise<void> =>
    this.sql.transaction(async () => {
      if (to.boardId === card.boardId) throw new InvalidTargetError(message('refusals.sameBoard'));
      await lockBoards(this.sql, card.boardId, to.boardId);
      await this.assertLiveCell(to);
      await this.carryCard(userId, card, to, await this.nextSort(to));
      await this.dependencies.dropSplit([card.id]); // lines join cards of one board only
    });

  /**
   * Inside the caller's transaction, the target cell checked: the card to another board's cell at `sort`,
   * with its checklists, comments and files; labels by name and colour, people who are members there.
   */
  async carryCard(userId: string, card: Pick<Card, 'id' | 'boardId' | 'listId'>, to: CardDestination, sort: number): Promise<void> {
    const labels = await this.matchingLabels(card.id, to.boardId);
    const members = await this.peopleOnTarget(card.id, 'card_members', to.boardId);
    const assignees = await this.peopleOnTarget(card.id, 'card_assignees', to.boardId);
    await this.sql.run('DELETE FROM card_labels WHERE card_id = ?', card.id);
    await this.sql.run('DELETE FROM card_members WHERE card_id = ?', card.id);
    await this.sql.run('DELETE FROM card_assignees WHERE card_id = ?', card.id);
    await this.sql.run('DELETE FROM card_custom_values WHERE card_id = ?', card.id); // the old board's fields
    // subtasks stay within a board
    await this.sql.run('UPDATE cards SET parent_id = NULL WHERE id = ? OR parent_id = ?', card.id, card.id);
    const at = now();
    await this.sql.run(
      'UPDATE cards SET board_id = ?, list_id = ?, swimlane_id = ?, sort = ?, modified_at = ?, date_last_activity = ? WHERE id = ?',
      to.boardId, to.listId, to.swimlaneId, sort, at, at, card.id);
    for (const table of ['checklists', 'checklist_items', 'comments', 'attachments']) {
      await this.sql.run(`UPDATE ${table} SET board_id = ? WHERE card_id = ?`, to.boardId, card.id);
    }
    for (const labelId of labels) {
      await this.sql.run('INSERT INTO card_labels (card_id, board_id, label_id) VALUES (?, ?, ?)', card.id, to.boardId, labelId);
    }
    for (const person of members) await this.sql.run('INSERT INTO card_members (card_id, user_id) VALUES (?, ?)', card.id, person);
    for (const person of assignees) await this.sql.run('INSERT INTO card_assignees (card_id, user_id) VALUES (?, ?)', card.id, person);
    await this.activities.record(card.boardId, userId, 'moveCardToBoard', { cardId: card.id }, { toBoardId: to.boardId });
    await this.activities.record(to.boardId, userId, 'moveCardFromBoard', { cardId: card.id, listId: to.listId, swimlaneId: to.swimlaneId },
      { fromBoardId: card.boardId, oldListId: card.listId });
  }

  /**
   * Deletes the card for good, with its checklists, comments and attachment rows; the history keeps a
   * line. Answers the ids of the attachments, whose files the caller removes once this has committed.
   */
  readonly delete = async (userId: string, card: Card): Promise<string[]> =>
    inSearchBulk(this.sql, async (): Promise<string[]> => {
      const attachmentIds = await this.sql.column('SELECT id FROM attachments WHERE card_id = ?', card.id) as string[];
      await this.sql.run('DELETE FROM cards WHERE id = ?', card.id);
      await this.activities.record(card.boardId, userId, 'deleteCard', { listId: card.listId }, { cardId: card.id, title: card.title });
      return attachmentIds;
    });
}
