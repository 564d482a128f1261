// A board's labels (6-character ids, as WeKan) and which cards carry them.
import type { Db } from './db.js';
import type { Activities } from './activities.js';
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
    private readonly db: Db,
    private readonly activities: Activities,
  ) {}

  forBoard(boardId: string): Label[] {
    return this.db
      .prepare('SELECT id, board_id AS boardId, name, color, sort FROM labels WHERE board_id = ? ORDER BY sort, name')
      .all(boardId) as Label[];
  }

  byId(boardId: string, labelId: string): Label | undefined {
    return this.db
      .prepare('SELECT id, board_id AS boardId, name, color, sort FROM labels WHERE board_id = ? AND id = ?')
      .get(boardId, labelId) as Label | undefined;
  }

  /** Used inside board creation: no activity of its own. */
  insertDefaults(boardId: string): void {
    const insert = this.db.prepare('INSERT INTO labels (board_id, id, name, color, sort) VALUES (?, ?, \'\', ?, ?)');
    DEFAULT_LABEL_COLORS.forEach((color, sort) => insert.run(boardId, newLabelId(), color, sort));
  }

  readonly create = (userId: string, boardId: string, name: string, color: string): Label =>
    this.db.transaction((): Label => {
      const id = newLabelId();
      const { next } = this.db
        .prepare('SELECT coalesce(max(sort) + 1, 0) AS next FROM labels WHERE board_id = ?')
        .get(boardId) as { next: number };
      this.db.prepare('INSERT INTO labels (board_id, id, name, color, sort) VALUES (?, ?, ?, ?, ?)').run(boardId, id, name, color, next);
      this.activities.record(boardId, userId, 'createLabel', {}, { labelId: id, name, color });
      return this.byId(boardId, id)!;
    })();

  readonly update = (userId: string, label: Label, name: string, color: string): void =>
    this.db.transaction(() => {
      this.db.prepare('UPDATE labels SET name = ?, color = ? WHERE board_id = ? AND id = ?').run(name, color, label.boardId, label.id);
      this.activities.record(label.boardId, userId, 'changedLabel', {}, { labelId: label.id, old: { name: label.name, color: label.color }, name, color });
    })();

  /** Removes the label from the board and from every card that carried it. */
  readonly delete = (userId: string, label: Label): void =>
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM labels WHERE board_id = ? AND id = ?').run(label.boardId, label.id);
      this.activities.record(label.boardId, userId, 'deletedLabel', {}, { labelId: label.id, name: label.name, color: label.color });
    })();

  onCard(cardId: string): string[] {
    return this.db.prepare('SELECT label_id FROM card_labels WHERE card_id = ?').pluck().all(cardId) as string[];
  }

  /** Sets exactly these labels on the card; each must be a label of the card's board. */
  readonly setOnCard = (userId: string, card: Card, labelIds: string[]): number =>
    this.db.transaction((): number => {
      const wanted = new Set(labelIds);
      for (const id of wanted) {
        if (!this.byId(card.boardId, id)) throw new InvalidTargetError('A label you picked is not a label of this board.');
      }
      const current = new Set(this.onCard(card.id));
      let changed = 0;
      for (const id of wanted) {
        if (current.has(id)) continue;
        this.db.prepare('INSERT INTO card_labels (card_id, board_id, label_id) VALUES (?, ?, ?)').run(card.id, card.boardId, id);
        this.activities.record(card.boardId, userId, 'addedLabel', { cardId: card.id }, { labelId: id });
        changed++;
      }
      for (const id of current) {
        if (wanted.has(id)) continue;
        this.db.prepare('DELETE FROM card_labels WHERE card_id = ? AND label_id = ?').run(card.id, id);
        this.activities.record(card.boardId, userId, 'removedLabel', { cardId: card.id }, { labelId: id });
        changed++;
      }
      return changed;
    })();
}
