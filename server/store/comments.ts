// Comments on cards (Markdown), with their authors.
import type { Db } from './db.js';
import type { Activities } from './activities.js';
import type { Card } from './cards.js';
import { newId } from '../ids.js';
import { now } from './time.js';

export interface Comment {
  id: string;
  boardId: string;
  cardId: string;
  userId: string | null;
  username: string | null;
  text: string;
  createdAt: string;
  modifiedAt: string;
}

const COMMENT_COLUMNS = `c.id, c.board_id AS boardId, c.card_id AS cardId, c.user_id AS userId, u.username, c.text,
  c.created_at AS createdAt, c.modified_at AS modifiedAt`;

export class Comments {
  constructor(
    private readonly db: Db,
    private readonly activities: Activities,
  ) {}

  forCard(cardId: string): Comment[] {
    return this.db
      .prepare(`SELECT ${COMMENT_COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.user_id
                WHERE c.card_id = ? ORDER BY c.created_at, c.id`)
      .all(cardId) as Comment[];
  }

  byId(cardId: string, commentId: string): Comment | undefined {
    return this.db
      .prepare(`SELECT ${COMMENT_COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.user_id WHERE c.card_id = ? AND c.id = ?`)
      .get(cardId, commentId) as Comment | undefined;
  }

  readonly add = (userId: string, card: Card, text: string): Comment =>
    this.db.transaction((): Comment => {
      const id = newId();
      const at = now();
      this.db
        .prepare('INSERT INTO comments (id, board_id, card_id, user_id, text, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, card.boardId, card.id, userId, text, at, at);
      this.activities.record(card.boardId, userId, 'addComment', { cardId: card.id }, { commentId: id });
      return this.byId(card.id, id)!;
    })();

  readonly edit = (userId: string, comment: Comment, text: string): void =>
    this.db.transaction(() => {
      this.db.prepare('UPDATE comments SET text = ?, modified_at = ? WHERE id = ?').run(text, now(), comment.id);
      this.activities.record(comment.boardId, userId, 'editComment', { cardId: comment.cardId }, { commentId: comment.id });
    })();

  readonly delete = (userId: string, comment: Comment): void =>
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM comments WHERE id = ?').run(comment.id);
      this.activities.record(comment.boardId, userId, 'deleteComment', { cardId: comment.cardId }, { commentId: comment.id });
    })();
}
