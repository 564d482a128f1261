// Boards and cards people watch (Step 10, "watch" in WeKan): watchers hear by mail of cards moved on a
// watched board, and of moves and comments on a watched card. Watching changes no board, so it records
// no activity.
import type { Sql } from './sql.js';
import { now } from './time.js';

export class Watchers {
  constructor(private readonly sql: Sql) {}

  async watchBoard(boardId: string, userId: string, on: boolean): Promise<void> {
    if (on) {
      await this.sql.run('INSERT INTO board_watchers (board_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', boardId, userId, now());
    } else {
      await this.sql.run('DELETE FROM board_watchers WHERE board_id = ? AND user_id = ?', boardId, userId);
    }
  }

  async watchCard(cardId: string, userId: string, on: boolean): Promise<void> {
    if (on) {
      await this.sql.run('INSERT INTO card_watchers (card_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', cardId, userId, now());
    } else {
      await this.sql.run('DELETE FROM card_watchers WHERE card_id = ? AND user_id = ?', cardId, userId);
    }
  }

  async watchesBoard(boardId: string, userId: string): Promise<boolean> {
    return (await this.sql.value('SELECT 1 FROM board_watchers WHERE board_id = ? AND user_id = ?', boardId, userId)) !== undefined;
  }

  async watchesCard(cardId: string, userId: string): Promise<boolean> {
    return (await this.sql.value('SELECT 1 FROM card_watchers WHERE card_id = ? AND user_id = ?', cardId, userId)) !== undefined;
  }

  /** Who watches the card: on its own (`card`) or through its board (`board`); each person once. */
  async ofCard(boardId: string, cardId: string): Promise<{ userId: string; through: 'card' | 'board' }[]> {
    return await this.sql.all(`SELECT user_id AS "userId", 'card' AS through FROM card_watchers WHERE card_id = ?
      UNION SELECT user_id, 'board' FROM board_watchers WHERE board_id = ?
        AND user_id NOT IN (SELECT user_id FROM card_watchers WHERE card_id = ?)`, cardId, boardId, cardId);
  }
}
