// Who belongs to a board and in which role; who is on a card (members) and who does it (assignees).
// A removed board member is kept inactive, as WeKan does, so history still names them.
import { MAX } from '../limits.js';
import { OverLimitError, Refused } from './refused.js';
import { message, type MessageRef } from '../i18n/messages.js';
import type { Sql } from './sql.js';
import { lockBoards, type Activities } from './activities.js';
import type { Card } from './cards.js';
import type { MemberRole } from '../permissions.js';

export interface Member {
  userId: string;
  username: string;
  fullname: string;
  role: MemberRole;
}

export type CardPeople = 'members' | 'assignees';

/** Each kind's table (fixed by the code, never by input) and its word in the history's activity types. */
const CARD_PEOPLE: Record<CardPeople, string> = { members: 'card_members', assignees: 'card_assignees' };
const NOUN: Record<CardPeople, string> = { members: 'Member', assignees: 'Assignee' };

/** A change to the members that the board refuses (an unknown user, the last admin leaving…). */
export class MembershipError extends Refused {
  override name = 'MembershipError';
  constructor(words: MessageRef, readonly status: 409 | 422) {
    super(words);
  }
}

export class Members {
  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
  ) {}

  async forBoard(boardId: string): Promise<Member[]> {
    return await this.sql.all(
      `SELECT m.user_id AS "userId", u.username, u.fullname, m.role FROM board_members m JOIN users u ON u.id = m.user_id
         WHERE m.board_id = ? AND m.is_active = 1 ORDER BY lower(u.username)`, boardId) as Member[];
  }

  private async activeRole(boardId: string, userId: string): Promise<MemberRole | undefined> {
    return await this.sql.value(
      'SELECT role FROM board_members WHERE board_id = ? AND user_id = ? AND is_active = 1', boardId, userId) as MemberRole | undefined;
  }

  private async otherAdmins(boardId: string, userId: string): Promise<number> {
    return await this.sql.value(
      `SELECT count(*) FROM board_members WHERE board_id = ? AND user_id <> ? AND role = 'admin' AND is_active = 1`,
      boardId, userId) as number;
  }

  readonly add = async (actorId: string, boardId: string, username: string, role: MemberRole): Promise<Member> =>
    this.sql.transaction(async (): Promise<Member> => {
      const user = await this.sql.one('SELECT id FROM users WHERE username = ?', username) as { id: string } | undefined;
      if (!user) throw new MembershipError(message('refusals.noAccount', { username }), 422);
      if (await this.activeRole(boardId, user.id)) throw new MembershipError(message('refusals.memberAlready', { username }), 409);
      await lockBoards(this.sql, boardId);
      const members = await this.sql.value<number>('SELECT count(*) FROM board_members WHERE board_id = ? AND is_active = 1', boardId);
      if (members! >= MAX.membersPerBoard) throw new OverLimitError(message('refusals.tooManyMembers', { max: MAX.membersPerBoard }), 422);
      await this.sql.run(`INSERT INTO board_members (board_id, user_id, role, is_active) VALUES (?, ?, ?, 1)
           ON CONFLICT (board_id, user_id) DO UPDATE SET role = excluded.role, is_active = 1`, boardId, user.id, role);
      await this.activities.record(boardId, actorId, 'addBoardMember', {}, { memberId: user.id, role });
      return (await this.forBoard(boardId)).find((m) => m.userId === user.id)!;
    });

  readonly setRole = async (actorId: string, boardId: string, userId: string, role: MemberRole): Promise<void> =>
    this.sql.transaction(async () => {
      await lockBoards(this.sql, boardId);
      const current = await this.activeRole(boardId, userId);
      if (!current) throw new MembershipError(message('refusals.notMember'), 422);
      if (current === role) return;
      if (current === 'admin' && (await this.otherAdmins(boardId, userId)) === 0) {
        throw new MembershipError(message('refusals.lastBoardAdmin'), 409);
      }
      await this.sql.run('UPDATE board_members SET role = ? WHERE board_id = ? AND user_id = ?', role, boardId, userId);
      await this.activities.record(boardId, actorId, 'changedBoardMemberRole', {}, { memberId: userId, old: current, role });
    });

  readonly remove = async (actorId: string, boardId: string, userId: string): Promise<void> =>
    this.sql.transaction(async () => {
      await lockBoards(this.sql, boardId);
      const current = await this.activeRole(boardId, userId);
      if (!current) throw new MembershipError(message('refusals.notMember'), 422);
      if (current === 'admin' && (await this.otherAdmins(boardId, userId)) === 0) {
        throw new MembershipError(message('refusals.lastBoardAdmin'), 409);
      }
      await this.sql.run('UPDATE board_members SET is_active = 0 WHERE board_id = ? AND user_id = ?', boardId, userId);
      await this.activities.record(boardId, actorId, 'removeBoardMember', {}, { memberId: userId });
    });

  /** Boards `userId` is an active admin of, and whether somebody else is admin there too. */
  async adminBoards(userId: string): Promise<{ id: string; title: string; otherAdmins: number }[]> {
    return await this.sql.all(
      `SELECT b.id, b.title, (SELECT count(*) FROM board_members o WHERE o.board_id = b.id AND o.user_id <> m.user_id
                                  AND o.role = 'admin' AND o.is_active = 1) AS "otherAdmins"
         FROM board_members m JOIN boards b ON b.id = m.board_id
         WHERE m.user_id = ? AND m.role = 'admin' AND m.is_active = 1 ORDER BY lower(b.title)`, userId) as { id: string; title: string; otherAdmins: number }[];
  }

  /** WeKan's takeOwnership: `adminId` becomes an admin of every board `userId` is admin of; answers them. */
  readonly takeOwnership = async (adminId: string, userId: string): Promise<{ id: string; title: string }[]> =>
    this.sql.transaction(async () => {
      const boards = await this.adminBoards(userId);
      for (const board of boards) {
        if ((await this.activeRole(board.id, adminId)) === 'admin') continue;
        await this.sql.run(`INSERT INTO board_members (board_id, user_id, role, is_active) VALUES (?, ?, 'admin', 1)
             ON CONFLICT (board_id, user_id) DO UPDATE SET role = 'admin', is_active = 1`, board.id, adminId);
        await this.activities.record(board.id, adminId, 'addBoardMember', {}, { memberId: adminId, role: 'admin', takenFrom: userId });
      }
      return boards.map(({ id, title }) => ({ id, title }));
    });

  /**
   * Deletes an account: it leaves every board first (recorded, so open boards refresh), then goes with its
   * sessions and tokens; its cards and comments stay, without an author. Refused while a board would be
   * left without an admin (take ownership first).
   */
  readonly deleteAccount = async (actorId: string, userId: string): Promise<void> =>
    this.sql.transaction(async () => {
      const boardIds = await this.sql.column<string>('SELECT board_id FROM board_members WHERE user_id = ? AND is_active = 1', userId);
      await lockBoards(this.sql, ...boardIds);
      const orphaned = (await this.adminBoards(userId)).filter((b) => b.otherAdmins === 0);
      if (orphaned.length) {
        throw new MembershipError(message('refusals.onlyAdminOf', { boards: orphaned.map((b) => `"${b.title}"`).join(', ') }), 409);
      }
      for (const boardId of boardIds) await this.activities.record(boardId, actorId, 'removeBoardMember', {}, { memberId: userId, accountDeleted: true });
      await this.sql.run('DELETE FROM users WHERE id = ?', userId);
    });

  /** The ids of the board's cards (archived too) assigned to the user. */
  async assignedCards(boardId: string, userId: string): Promise<string[]> {
    return await this.sql.column(
      'SELECT c.id FROM cards c JOIN card_assignees a ON a.card_id = c.id WHERE c.board_id = ? AND a.user_id = ?', boardId, userId) as string[];
  }

  async onCard(cardId: string, kind: CardPeople): Promise<string[]> {
    return await this.sql.column(`SELECT user_id FROM ${CARD_PEOPLE[kind]} WHERE card_id = ?`, cardId) as string[];
  }

  /** Sets exactly these people on the card; each must be an active member of its board. */
  readonly setOnCard = async (actorId: string, card: Card, kind: CardPeople, userIds: string[]): Promise<number> =>
    this.sql.transaction(async (): Promise<number> => {
      const wanted = new Set(userIds);
      for (const id of wanted) await this.assertOnBoard(card, id);
      const current = new Set(await this.onCard(card.id, kind));
      let changed = 0;
      for (const id of wanted) if (!current.has(id)) changed += await this.join(actorId, card, kind, id);
      for (const id of current) if (!wanted.has(id)) changed += await this.unjoin(actorId, card, kind, id);
      return changed;
    });

  /** Puts one person on the card (an active member of its board), the others staying; 0 when already there. */
  readonly addToCard = async (actorId: string, card: Card, kind: CardPeople, userId: string): Promise<number> =>
    this.sql.transaction(async (): Promise<number> => {
      await this.assertOnBoard(card, userId);
      return (await this.onCard(card.id, kind)).includes(userId) ? 0 : await this.join(actorId, card, kind, userId);
    });

  /** Takes one person off the card, whether or not still on the board; 0 when not there. */
  readonly removeFromCard = async (actorId: string, card: Card, kind: CardPeople, userId: string): Promise<number> =>
    this.sql.transaction(async (): Promise<number> =>
      ((await this.onCard(card.id, kind)).includes(userId) ? await this.unjoin(actorId, card, kind, userId) : 0));

  private async assertOnBoard(card: Card, userId: string): Promise<void> {
    if (!(await this.activeRole(card.boardId, userId))) throw new MembershipError(message('refusals.pickedNotMember'), 422);
  }

  private async join(actorId: string, card: Card, kind: CardPeople, userId: string): Promise<number> {
    await this.sql.run(`INSERT INTO ${CARD_PEOPLE[kind]} (card_id, user_id) VALUES (?, ?)`, card.id, userId);
    await this.activities.record(card.boardId, actorId, `join${NOUN[kind]}`, { cardId: card.id }, { memberId: userId });
    return 1;
  }

  private async unjoin(actorId: string, card: Card, kind: CardPeople, userId: string): Promise<number> {
    await this.sql.run(`DELETE FROM ${CARD_PEOPLE[kind]} WHERE card_id = ? AND user_id = ?`, card.id, userId);
    await this.activities.record(card.boardId, actorId, `unjoin${NOUN[kind]}`, { cardId: card.id }, { memberId: userId });
    return 1;
  }
}
