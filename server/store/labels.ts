// A board's labels (6-character ids, as WeKan) and which cards carry them.
import { message } from '../i18n/messages.js';
import { MAX } from '../limits.js';
import { OverLimitError } from './refused.js';
import type { Sql } from './sql.js';
import { lockBoards, type Activities } from './activities.js';
import type { Card } from './cards.js';
import { newLabelId } from '../ids.js';
import { InvalidTargetError } from './cards.js';

export interface Label {
  id: string;
  boardId: string;
  name: string;
  color: string;
  sort: number;
}

/** WeKan gives every new board these six unnamed labels. */
export const DEFAULT_LABEL_COLORS = ['green', 'yellow', 'orange', 'red', 'purple', 'blue'] as const;

export class Labels {
  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
  ) {}

  async forBoard(boardId: string): Promise<Label[]> {
    return await this.sql.all(
      'SELECT id, board_id AS "boardId", name, color, sort FROM labels WHERE board_id = ? ORDER BY sort, name', boardId) as Label[];
  }

  async byId(boardId: string, labelId: string): Promise<Label | undefined> {
    return await this.sql.one(
      'SELECT id, board_id AS "boardId", name, color, sort FROM labels WHERE board_id = ? AND id = ?',
      boardId, labelId) as Label | undefined;
  }

  /** Used inside board creation: no activity of its own. */
  async insertDefaults(boardId: string): Promise<void> {
    for (const [sort, color] of DEFAULT_LABEL_COLORS.entries()) {
      await this.sql.run(
        "INSERT INTO labels (board_id, id, name, color, sort) VALUES (?, ?, '', ?, ?)", boardId, newLabelId(), color, sort);
    }
  }

  readonly create = async (userId: string, boardId: string, name: string, color: string): Promise<Label> =>
    this.sql.transaction(async (): Promise<Label> => {
      await lockBoards(this.sql, boardId);
      const id = newLabelId();
      const { count, next } = await this.sql.one(
        'SELECT count(*) AS count, coalesce(max(sort) + 1, 0) AS next FROM labels WHERE board_id = ?', boardId) as { count: number; next: number };
      if (count >= MAX.labelsPerBoard) throw new OverLimitError(message('refusals.tooManyLabels', { max: MAX.labelsPerBoard }), 422);
      await this.sql.run('INSERT INTO labels (board_id, id, name, color, sort) VALUES (?, ?, ?, ?, ?)', boardId, id, name, color, next);
      await this.activities.record(boardId, userId, 'createLabel', {}, { labelId: id, name, color });
      return (await this.byId(boardId, id))!;
    });

  readonly update = async (userId: string, label: Label, name: string, color: string): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run('UPDATE labels SET name = ?, color = ? WHERE board_id = ? AND id = ?', name, color, label.boardId, label.id);
      await this.activities.record(label.boardId, userId, 'changedLabel', {}, { labelId: label.id, old: { name: label.name, color: label.color }, name, color });
    });

  /** Removes the label from the board and from every card that carried it. */
  readonly delete = async (userId: string, label: Label): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run('DELETE FROM labels WHERE board_id = ? AND id = ?', label.boardId, label.id);
      await this.activities.record(label.boardId, userId, 'deletedLabel', {}, { labelId: label.id, name: label.name, color: label.color });
    });

  async onCard(cardId: string): Promise<string[]> {
    return await this.sql.column('SELECT label_id FROM card_labels WHERE card_id = ?', cardId) as string[];
  }

  /** Sets exactly these labels on the card; each must be a label of the card's board. */
  readonly setOnCard = async (userId: string, card: Card, labelIds: string[]): Promise<number> =>
    this.sql.transaction(async (): Promise<number> => {
      const wanted = new Set(labelIds);
      for (const id of wanted) {
        if (!(await this.byId(card.boardId, id))) throw new InvalidTargetError(message('refusals.labelGone'));
      }
      const current = new Set(await this.onCard(card.id));
      let changed = 0;
      for (const id of wanted) {
        if (current.has(id)) continue;
        await this.sql.run('INSERT INTO card_labels (card_id, board_id, label_id) VALUES (?, ?, ?)', card.id, card.boardId, id);
        await this.activities.record(card.boardId, userId, 'addedLabel', { cardId: card.id }, { labelId: id });
        changed++;
      }
      for (const id of current) {
        if (wanted.has(id)) continue;
        await this.sql.run('DELETE FROM card_labels WHERE card_id = ? AND label_id = ?', card.id, id);
        await this.activities.record(card.boardId, userId, 'removedLabel', { cardId: card.id }, { labelId: id });
        changed++;
      }
      return changed;
    });
}
