// "Due within a day" reminders (Step 10): which live, unfinished cards come due soon, for whom (members,
// assignees, watchers who want the mail), and a mark per card, person and due date so each goes once,
// however many instances look and however often.
import type { Sql } from './sql.js';
import { now } from './time.js';

export interface DueCard {
  boardId: string;
  cardId: string;
  dueAt: string;
  userId: string;
}

export class DueReminders {
  constructor(private readonly sql: Sql) {}

  /** Cards due after `fromIso` and by `toIso`, with each person to remind who has not been yet. */
  async pending(fromIso: string, toIso: string, limit: number): Promise<DueCard[]> {
    return await this.sql.all(`SELECT c.board_id AS "boardId", c.id AS "cardId", c.due_at AS "dueAt", p.user_id AS "userId"
      FROM cards c
      JOIN boards b ON b.id = c.board_id AND b.archived = 0
      JOIN (SELECT card_id, user_id FROM card_members UNION SELECT card_id, user_id FROM card_assignees
            UNION SELECT card_id, user_id FROM card_watchers) p ON p.card_id = c.id
      JOIN users u ON u.id = p.user_id AND u.mail_due = 1 AND u.email IS NOT NULL AND u.login_disabled = 0
      WHERE c.due_at IS NOT NULL AND c.archived = 0 AND c.due_at > ? AND c.due_at <= ? AND c.end_at IS NULL AND c.due_complete = 0
        AND NOT EXISTS (SELECT 1 FROM due_reminders r WHERE r.card_id = c.id AND r.user_id = p.user_id AND r.due_at = c.due_at)
      ORDER BY c.due_at, c.id, p.user_id LIMIT ?`, fromIso, toIso, limit);
  }

  /** Marks the reminder as given; false when another round (or instance) did it first. */
  async mark(due: DueCard): Promise<boolean> {
    return await this.sql.run('INSERT INTO due_reminders (card_id, user_id, due_at, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      due.cardId, due.userId, due.dueAt, now()) === 1;
  }

  /** Forgets the marks of due dates before `beforeIso`: a past due date is never reminded of again. */
  async deleteBefore(beforeIso: string): Promise<void> {
    await this.sql.run('DELETE FROM due_reminders WHERE due_at < ?', beforeIso);
  }
}
