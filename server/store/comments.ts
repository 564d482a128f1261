// Comments on cards (Markdown), with their authors.
import type { Sql } from './sql.js';
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

const COMMENT_COLUMNS = `c.id, c.board_id AS "boardId", c.card_id AS "cardId", c.user_id AS "userId", u.username, c.text,
  c.created_at AS "createdAt", c.modified_at AS "modifiedAt"`;

export class Comments {
  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
  ) {}

  async forCard(cardId: string): Promise<Comment[]> {
    return await this.sql.all(`SELECT ${COMMENT_COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.user_id
                WHERE c.card_id = ? ORDER BY c.created_at, c.id`, cardId) as Comment[];
  }

  async byId(cardId: string, commentId: string): Promise<Comment | undefined> {
    return await this.sql.one(
      `SELECT ${COMMENT_COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.user_id WHERE c.card_id = ? AND c.id = ?`,
      cardId, commentId) as Comment | undefined;
  }

  readonly add = async (userId: string, card: Card, text: string): Promise<Comment> =>
    this.sql.transaction(async (): Promise<Comment> => {
      const id = newId();
      const at = now();
      await this.sql.run(
        'INSERT INTO comments (id, board_id, card_id, user_id, text, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        id, card.boardId, card.id, userId, text, at, at);
      await this.activities.record(card.boardId, userId, 'addComment', { cardId: card.id }, { commentId: id });
      return (await this.byId(card.id, id))!;
    });

  readonly edit = async (userId: string, comment: Comment, text: string): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run('UPDATE comments SET text = ?, modified_at = ? WHERE id = ?', text, now(), comment.id);
      await this.activities.record(comment.boardId, userId, 'editComment', { cardId: comment.cardId }, { commentId: comment.id });
    });

  readonly delete = async (userId: string, comment: Comment): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run('DELETE FROM comments WHERE id = ?', comment.id);
      await this.activities.record(comment.boardId, userId, 'deleteComment', { cardId: comment.cardId }, { commentId: comment.id });
    });
}
