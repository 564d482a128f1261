// Cards: create, edit, move (one or several, keeping their order) and archive.
// Within a cell (list x swimlane) cards are ordered by `sort`, a number as in WeKan (ties: oldest first).
// A move writes only the moved cards: each gets a sort between its new neighbours' (below the first, above
// the last, or evenly between two), so no other card's row is read or written. Only when two neighbours
// have no room left between them is the cell renumbered 0..n-1.
import { nextTurn } from '../pace.js';
import { Refused } from './refused.js';
import { message } from '../i18n/messages.js';
import type { Sql, SqlParam } from './sql.js';
import { lockBoards, type Activities } from './activities.js';
import { newId } from '../ids.js';
import { mentionedUsernames, newlyMentioned } from '../mentions.js';
import { now } from './time.js';

export interface Card {
  id: string;
  boardId: string;
  swimlaneId: string;
  listId: string;
  title: string;
  description: string;
  sort: number;
  color: string | null;
  archived: 0 | 1;
  archivedAt: string | null;
  authorId: string | null;
  receivedAt: string | null;
  startAt: string | null;
  dueAt: string | null;
  endAt: string | null;
  spentTime: number | null;
  /** The attachment shown on the board as the card's cover. */
  coverId: string | null;
  isOvertime: 0 | 1;
  /** WeKan's complete tick (dueComplete): the work is done, whatever the dates say. */
  dueComplete: 0 | 1;
  /** WeKan's stickers and locations, as JSON text (stickers-and-locations.ts reads them). */
  stickers: string;
  locations: string;
  /** Who asked for the work and who handed it out (WeKan's free text). */
  requestedBy: string;
  assignedBy: string;
  /** The card this one is a subtask of (same board). */
  parentId: string | null;
  createdAt: string;
  modifiedAt: string;
}

/** The card's fields that are plain values, changed through the API (WeKan's names). */
export interface CardWork {
  isOvertime: boolean;
  dueComplete: boolean;
  requestedBy: string;
  assignedBy: string;
  parentId: string | null;
}

/** What the board page shows of a card. */
export interface CardFace {
  id: string;
  listId: string;
  swimlaneId: string;
  title: string;
  color: string | null;
  dueAt: string | null;
  endAt: string | null;
  dueComplete: 0 | 1;
  /** When anything last happened to the card (card aging). */
  lastActivity: string;
  labels: { id: string; name: string; color: string }[];
  members: string[];
  /** Members and assignees, for the board's member filter. */
  peopleIds: string[];
  /** The image shown on the card, if it has a cover. */
  cover: { id: string; name: string; width: number; height: number } | null;
}

/** The fields of a card's "details" form. */
export interface CardDetails {
  receivedAt: string | null;
  startAt: string | null;
  dueAt: string | null;
  endAt: string | null;
  color: string | null;
  spentTime: number | null;
}

export type Placement = { at: 'top' } | { at: 'bottom' } | { at: 'after'; id: string };

export interface MoveTarget {
  listId: string;
  swimlaneId: string;
  placement: Placement;
}

/** A list with a hard WIP limit is full: the change is refused (409), as WeKan does. */
export class WipLimitError extends Refused {
  override name = 'WipLimitError';
}

/** Refuses to put `incoming` more cards into a list whose hard WIP limit they would pass. */
export async function assertWipRoom(sql: Sql, listId: string, incoming: number): Promise<void> {
  if (incoming <= 0) return;
  const list = await sql.one<{ title: string; wipLimit: number | null; wipSoft: number }>(
    'SELECT title, wip_limit AS "wipLimit", wip_soft AS "wipSoft" FROM lists WHERE id = ?', listId);
  if (!list || list.wipLimit === null || list.wipSoft) return;
  const count = (await sql.value<number>('SELECT count(*) FROM cards WHERE list_id = ? AND archived = 0', listId))!;
  if (count + incoming > list.wipLimit) {
    throw new WipLimitError(message('refusals.wipLimit', { list: list.title, max: list.wipLimit, count }));
  }
}

/** A list, swimlane or card named in a request is not (or no longer) a live part of the board. */
export class InvalidTargetError extends Refused {
  override name = 'InvalidTargetError';
}

const CARD_COLUMNS = `id, board_id AS "boardId", swimlane_id AS "swimlaneId", list_id AS "listId", title, description, sort,
  color, archived, archived_at AS "archivedAt", author_id AS "authorId", received_at AS "receivedAt", start_at AS "startAt",
  due_at AS "dueAt", end_at AS "endAt", spent_time AS "spentTime", cover_id AS "coverId", is_overtime AS "isOvertime",
  due_complete AS "dueComplete", stickers, locations, requested_by AS "requestedBy", assigned_by AS "assignedBy", parent_id AS "parentId", created_at AS "createdAt", modified_at AS "modifiedAt"`;

interface Slot {
  id: string;
  listId: string;
  swimlaneId: string;
  sort: number;
}

/** The sorts of the neighbours that moved cards go between; null where the cell ends. */
interface Gap {
  after: number | null;
  before: number | null;
}

/**
 * Sorts for `count` cards in a gap, evenly spaced and strictly between its ends (an open end: steps of 1).
 * Null when the gap has no room left for them, as after some fifty halvings in one place.
 */
function sortsWithin(gap: Gap, count: number): number[] | null {
  const { after, before } = gap;
  const sorts = Array.from({ length: count }, (_, i) => {
    if (after === null && before === null) return i;
    if (after === null) return before! - count + i;
    if (before === null) return after + 1 + i;
    return after + ((before - after) * (i + 1)) / (count + 1);
  });
  const fits = sorts.every((sort, i) => (i === 0 ? after === null || sort > after : sort > sorts[i - 1]!))
    && (before === null || sorts[count - 1]! < before);
  return fits ? sorts : null;
}

/** True when the cards already stand in the gap of the target cell, in this order: a move would change nothing. */
function alreadyIn(gap: Gap, cards: Slot[], target: MoveTarget): boolean {
  return cards.every((card, i) => card.listId === target.listId && card.swimlaneId === target.swimlaneId
    && (i === 0 ? gap.after === null || card.sort > gap.after : card.sort > cards[i - 1]!.sort))
    && (gap.before === null || cards[cards.length - 1]!.sort < gap.before);
}

export class Cards {
  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
  ) {}

  private async assertLiveCell(boardId: string, listId: string, swimlaneId: string): Promise<void> {
    const list = await this.sql.one('SELECT 1 FROM lists WHERE id = ? AND board_id = ? AND archived = 0', listId, boardId);
    if (!list) throw new InvalidTargetError(message('refusals.listGone'));
    const swimlane = await this.sql.one('SELECT 1 FROM swimlanes WHERE id = ? AND board_id = ? AND archived = 0', swimlaneId, boardId);
    if (!swimlane) throw new InvalidTargetError(message('refusals.swimlaneGone'));
  }

  /** Adds a card at the bottom of its cell. */
  readonly create = async (
    userId: string,
    input: { boardId: string; listId: string; swimlaneId: string; title: string; description?: string },
  ): Promise<Card> =>
    this.sql.transaction(async (): Promise<Card> => {
      await lockBoards(this.sql, input.boardId);
      await this.assertLiveCell(input.boardId, input.listId, input.swimlaneId);
      await assertWipRoom(this.sql, input.listId, 1);
      const id = newId();
      const at = now();
      const { next } = await this.sql.one(
        `SELECT coalesce(max(sort) + 1, 0) AS next FROM cards WHERE list_id = ? AND swimlane_id = ? AND archived = 0`,
        input.listId, input.swimlaneId) as { next: number };
      await this.sql.run(`INSERT INTO cards (id, board_id, swimlane_id, list_id, title, description, sort, author_id,
                              created_at, modified_at, date_last_activity)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, input.boardId, input.swimlaneId, input.listId, input.title, input.description ?? '', next, userId,
          at, at, at);
      const mentioned = mentionedUsernames(input.description ?? '');
      await this.activities.record(input.boardId, userId, 'createCard', {
        cardId: id,
        listId: input.listId,
        swimlaneId: input.swimlaneId,
      }, mentioned.length ? { mentioned } : undefined);
      return (await this.byId(input.boardId, id))!;
    });

  /** A card of this board (archived or not); undefined when the id belongs elsewhere. */
  async byId(boardId: string, cardId: string): Promise<Card | undefined> {
    return await this.sql.one(`SELECT ${CARD_COLUMNS} FROM cards WHERE board_id = ? AND id = ?`, boardId, cardId) as Card | undefined;
  }

  /**
   * Every card the board shows (live, in a live list and swimlane) with its labels and members. Four
   * queries, each a synchronous read on SQLite (50 ms or more for 20,000 cards): others get a turn
   * between them. A change that lands in such a turn shows as far as the later queries see it, and its
   * new board version renders the page again.
   */
  async faces(boardId: string): Promise<CardFace[]> {
    const cards = await this.sql.all(
      `SELECT c.id, c.list_id AS "listId", c.swimlane_id AS "swimlaneId", c.title, c.color, c.due_at AS "dueAt", c.end_at AS "endAt", c.due_complete AS "dueComplete",
                c.date_last_activity AS "lastActivity",
                a.id AS "coverId", a.name AS "coverName", a.width AS "coverWidth", a.height AS "coverHeight"
         FROM cards c JOIN lists l ON l.id = c.list_id JOIN swimlanes s ON s.id = c.swimlane_id
         LEFT JOIN attachments a ON a.id = c.cover_id AND a.width IS NOT NULL
         WHERE c.board_id = ? AND c.archived = 0 AND l.archived = 0 AND s.archived = 0
         ORDER BY c.sort, c.created_at`, boardId) as (Omit<CardFace, 'labels' | 'members' | 'peopleIds' | 'cover'>
        & { coverId: string | null; coverName: string; coverWidth: number; coverHeight: number })[];
    const byId = new Map<string, CardFace>();
    for (const { coverId, coverName, coverWidth, coverHeight, ...card } of cards) {
      const cover = coverId ? { id: coverId, name: coverName, width: coverWidth, height: coverHeight } : null;
      byId.set(card.id, { ...card, labels: [], members: [], peopleIds: [], cover });
    }
    await nextTurn();
    const labels = await this.sql.all(`SELECT cl.card_id AS "cardId", l.id, l.name, l.color
         FROM card_labels cl JOIN labels l ON l.board_id = cl.board_id AND l.id = cl.label_id
         WHERE cl.board_id = ? ORDER BY l.sort, l.name`, boardId) as { cardId: string; id: string; name: string; color: string }[];
    for (const { cardId, ...label } of labels) byId.get(cardId)?.labels.push(label);
    await nextTurn();
    const members = await this.sql.all(`SELECT cm.card_id AS "cardId", u.username
         FROM card_members cm JOIN cards c ON c.id = cm.card_id JOIN users u ON u.id = cm.user_id
         WHERE c.board_id = ? AND c.archived = 0 ORDER BY u.username`, boardId) as { cardId: string; username: string }[];
    for (const { cardId, username } of members) byId.get(cardId)?.members.push(username);
    await nextTurn();
    const people = await this.sql.all(
      `SELECT x.card_id AS "cardId", x.user_id AS "userId" FROM card_members x JOIN cards c ON c.id = x.card_id WHERE c.board_id = ?
         UNION SELECT x.card_id, x.user_id FROM card_assignees x JOIN cards c ON c.id = x.card_id WHERE c.board_id = ?`, boardId, boardId) as { cardId: string; userId: string }[];
    for (const { cardId, userId } of people) byId.get(cardId)?.peopleIds.push(userId);
    return [...byId.values()];
  }

  /** The live cards of a swimlane, all lists, in order. */
  async inSwimlane(boardId: string, swimlaneId: string): Promise<Card[]> {
    return await this.sql.all(
      `SELECT ${CARD_COLUMNS} FROM cards WHERE board_id = ? AND swimlane_id = ? AND archived = 0 ORDER BY sort, created_at`,
      boardId, swimlaneId) as Card[];
  }

  /** A card by id alone, whatever its board (GET /api/cards/:id); the caller checks the board's access. */
  async anywhere(cardId: string): Promise<Card | undefined> {
    return await this.sql.one(`SELECT ${CARD_COLUMNS} FROM cards WHERE id = ?`, cardId) as Card | undefined;
  }

  /** The live cards of a list, all swimlanes, in order (the API's list of cards). */
  async inList(boardId: string, listId: string): Promise<Card[]> {
    return await this.sql.all(
      `SELECT ${CARD_COLUMNS} FROM cards WHERE board_id = ? AND list_id = ? AND archived = 0 ORDER BY sort, created_at`,
      boardId, listId) as Card[];
  }

  /** The cards of a list or swimlane in order, archived ones too when asked (a lane copied or moved). */
  async ofLane(boardId: string, kind: 'list' | 'swimlane', laneId: string, archivedToo: boolean): Promise<Card[]> {
    const column = kind === 'list' ? 'list_id' : 'swimlane_id';
    return await this.sql.all(
      `SELECT ${CARD_COLUMNS} FROM cards WHERE board_id = ? AND ${column} = ? AND (archived = 0 OR ? = 1) ORDER BY sort, created_at`,
      boardId, laneId, archivedToo ? 1 : 0) as Card[];
  }

  /** The board's other live cards with their lists, in board order: the choices for a dependency. */
  async otherTitles(boardId: string, exceptId: string, limit: number): Promise<{ id: string; title: string; listTitle: string }[]> {
    return await this.sql.all(`SELECT c.id, c.title, l.title AS "listTitle" FROM cards c JOIN lists l ON l.id = c.list_id
         WHERE c.board_id = ? AND c.archived = 0 AND c.id <> ? ORDER BY l.sort, c.sort, c.created_at LIMIT ?`,
    boardId, exceptId, limit) as { id: string; title: string; listTitle: string }[];
  }

  /** The live cards of one cell, in order: the choices for "put it after". */
  async cellTitles(listId: string, swimlaneId: string): Promise<{ id: string; title: string; sort: number }[]> {
    return await this.sql.all(
      `SELECT id, title, sort FROM cards WHERE list_id = ? AND swimlane_id = ? AND archived = 0 ORDER BY sort, created_at`,
      listId, swimlaneId) as { id: string; title: string; sort: number }[];
  }

  /** Labels, members, assignees and author of one card, for its page. */
  async people(card: Card): Promise<{ labels: { name: string; color: string }[]; members: string[]; assignees: string[]; author: string | null }> {
    const labels = await this.sql.all(
      `SELECT l.name, l.color FROM card_labels cl JOIN labels l ON l.board_id = cl.board_id AND l.id = cl.label_id
         WHERE cl.card_id = ? ORDER BY l.sort, l.name`, card.id) as { name: string; color: string }[];
    const usernames = (table: 'card_members' | 'card_assignees') => this.sql.column<string>(
      `SELECT u.username FROM ${table} x JOIN users u ON u.id = x.user_id WHERE x.card_id = ? ORDER BY u.username`, card.id);
    const author = card.authorId
      ? ((await this.sql.value('SELECT username FROM users WHERE id = ?', card.authorId) as string | undefined) ?? null)
      : null;
    return { labels, members: await usernames('card_members'), assignees: await usernames('card_assignees'), author };
  }

  async archivedForBoard(boardId: string): Promise<Card[]> {
    return await this.sql.all(
      `SELECT ${CARD_COLUMNS} FROM cards WHERE board_id = ? AND archived = 1 ORDER BY archived_at DESC`, boardId) as Card[];
  }

  readonly rename = (userId: string, card: Card, title: string): Promise<void> =>
    this.setField(userId, card, 'title', title, 'changedCardTitle', { oldTitle: card.title, title });

  /** The activity names who the new text mentions that the old did not (they are told by mail). */
  readonly describe = (userId: string, card: Card, description: string): Promise<void> => {
    const mentioned = newlyMentioned(card.description, description);
    return this.setField(userId, card, 'description', description, 'changedCardDescription', mentioned.length ? { mentioned } : undefined);
  };

  /** One field of one card, with its activity. The column name comes from this code, never from input. */
  private async setField(userId: string, card: Card, column: 'title' | 'description', value: string, activity: string,
    data?: object): Promise<void> {
    await this.sql.transaction(async () => {
      const at = now();
      await this.sql.run(`UPDATE cards SET ${column} = ?, modified_at = ?, date_last_activity = ? WHERE id = ?`, value, at, at, card.id);
      await this.activities.record(card.boardId, userId, activity, { cardId: card.id }, data);
    });
  }

  /** Dates, colour and spent time of a card; one activity per field that changed (WeKan's types). */
  readonly setDetails = async (userId: string, card: Card, details: CardDetails): Promise<number> =>
    this.sql.transaction(async (): Promise<number> => {
      const changes: [keyof CardDetails, string, string][] = [
        ['receivedAt', 'received_at', 'a-receivedAt'],
        ['startAt', 'start_at', 'a-startAt'],
        ['dueAt', 'due_at', 'a-dueAt'],
        ['endAt', 'end_at', 'a-endAt'],
        ['color', 'color', 'changedCardColor'],
        ['spentTime', 'spent_time', 'changedSpentTime'],
      ];
      const at = now();
      let changed = 0;
      for (const [field, column, activity] of changes) {
        const before = card[field];
        const after = details[field];
        if (before === after) continue;
        await this.sql.run(`UPDATE cards SET ${column} = ?, modified_at = ?, date_last_activity = ? WHERE id = ?`, after, at, at, card.id);
        await this.activities.record(card.boardId, userId, activity, { cardId: card.id }, { [field]: after, old: before });
        changed++;
      }
      return changed;
    });

  /** Overtime, requester, assigner and parent; one activity per field that changed. The parent is checked by the caller. */
  readonly setWork = async (userId: string, card: Card, change: Partial<CardWork>): Promise<number> =>
    this.sql.transaction(async (): Promise<number> => {
      const fields: [keyof CardWork, string, unknown][] = [
        ['isOvertime', 'is_overtime', change.isOvertime === undefined ? undefined : change.isOvertime ? 1 : 0],
        ['dueComplete', 'due_complete', change.dueComplete === undefined ? undefined : change.dueComplete ? 1 : 0],
        ['requestedBy', 'requested_by', change.requestedBy],
        ['assignedBy', 'assigned_by', change.assignedBy],
        ['parentId', 'parent_id', change.parentId],
      ];
      const at = now();
      let changed = 0;
      for (const [field, column, after] of fields) {
        if (after === undefined || after === card[field]) continue;
        await this.sql.run(
          `UPDATE cards SET ${column} = ?, modified_at = ?, date_last_activity = ? WHERE id = ?`, after as SqlParam, at, at, card.id);
        await this.activities.record(card.boardId, userId, `changedCard${field[0]!.toUpperCase()}${field.slice(1)}`, { cardId: card.id }, { [field]: after, old: card[field] });
        changed++;
      }
      return changed;
    });

  /** Replaces the card's stickers or its locations (JSON text of checked entries); an activity when they changed. */
  readonly setExtras = async (userId: string, card: Card, field: 'stickers' | 'locations', json: string): Promise<void> =>
    this.sql.transaction(async () => {
      if (card[field] === json) return;
      const at = now();
      await this.sql.run(`UPDATE cards SET ${field} = ?, modified_at = ?, date_last_activity = ? WHERE id = ?`, json, at, at, card.id);
      await this.activities.record(card.boardId, userId, field === 'stickers' ? 'changedStickers' : 'changedLocations', { cardId: card.id });
    });

  /** The cards whose parent is this one (its subtasks), by sort. */
  async subtasks(cardId: string): Promise<{ id: string; title: string; archived: 0 | 1 }[]> {
    return await this.sql.all('SELECT id, title, archived FROM cards WHERE parent_id = ? ORDER BY sort, created_at', cardId) as
      { id: string; title: string; archived: 0 | 1 }[];
  }

  readonly setArchived = async (userId: string, boardId: string, cardIds: string[], archived: boolean): Promise<number> =>
    this.sql.transaction(async (): Promise<number> => {
      const at = now();
      let changed = 0;
      for (const cardId of new Set(cardIds)) {
        if (await this.sql.run(
          `UPDATE cards SET archived = ?, archived_at = ?, modified_at = ? WHERE id = ? AND board_id = ? AND archived = ?`,
          archived ? 1 : 0, archived ? at : null, at, cardId, boardId, archived ? 0 : 1) === 0) {
          continue;
        }
        changed++;
        await this.activities.record(boardId, userId, archived ? 'archivedCard' : 'restoredCard', { cardId });
      }
      return changed;
    });

  /**
   * Moves live cards of the board into one cell at the chosen place, keeping their board order.
   * Returns how many cards changed place (0: they were there already, and nothing is written).
   */
  readonly move = async (userId: string, boardId: string, cardIds: string[], target: MoveTarget): Promise<number> =>
    this.sql.transaction(async (): Promise<number> => {
      await lockBoards(this.sql, boardId);
      await this.assertLiveCell(boardId, target.listId, target.swimlaneId);
      const wanted = [...new Set(cardIds)];
      const moving = await this.liveCardsInBoardOrder(boardId, wanted);
      if (moving.length !== wanted.length) {
        throw new InvalidTargetError(message('refusals.cardGone'));
      }
      await assertWipRoom(this.sql, target.listId, moving.filter((c) => c.listId !== target.listId).length);
      const gap = await this.gapAt(target, wanted);
      if (alreadyIn(gap, moving, target)) return 0;
      // Two neighbours whose sorts have no room left between them (or that tie): the cell is renumbered
      // 0..n-1 once, which leaves a gap of 1 to share.
      const sorts = sortsWithin(gap, moving.length) ?? sortsWithin(await this.renumberedGap(target, wanted), moving.length)!;
      const time = now();
      for (const [index, card] of moving.entries()) {
        await this.sql.run('UPDATE cards SET list_id = ?, swimlane_id = ?, sort = ?, modified_at = ?, date_last_activity = ? WHERE id = ?',
          target.listId, target.swimlaneId, sorts[index]!, time, time, card.id);
        await this.activities.record(boardId, userId, 'moveCard', {
          cardId: card.id,
          listId: target.listId,
          swimlaneId: target.swimlaneId,
        }, { oldListId: card.listId, oldSwimlaneId: card.swimlaneId });
      }
      return moving.length;
    });

  /**
   * Sets a live card's sort to the given number, as WeKan's API does: the card then stands before the
   * cards of its cell with a greater sort (ties keep creation order). False when the card is not live here.
   */
  readonly setSort = async (userId: string, boardId: string, cardId: string, sort: number): Promise<boolean> =>
    this.sql.transaction(async (): Promise<boolean> => {
      await lockBoards(this.sql, boardId);
      const card = (await this.liveCardsInBoardOrder(boardId, [cardId]))[0];
      if (!card) return false;
      if (card.sort === sort) return true;
      const time = now();
      await this.sql.run('UPDATE cards SET sort = ?, modified_at = ?, date_last_activity = ? WHERE id = ?', sort, time, time, cardId);
      await this.activities.record(boardId, userId, 'moveCard', { cardId, listId: card.listId, swimlaneId: card.swimlaneId },
        { oldListId: card.listId, oldSwimlaneId: card.swimlaneId });
      return true;
    });

  /**
   * The sorts of the two cards of the target cell that the moved ones go between (null: that end is open),
   * leaving the moving cards themselves out. Reads at most three rows, however long the list.
   */
  private async gapAt(target: MoveTarget, movingIds: string[]): Promise<Gap> {
    const { listId, swimlaneId, placement } = target;
    const others = `list_id = ? AND swimlane_id = ? AND archived = 0 AND id NOT IN (${this.sql.jsonTexts})`;
    const excluded = JSON.stringify(movingIds);
    const sortOf = (row: { sort: number } | undefined) => row?.sort ?? null;
    if (placement.at === 'top') {
      const first = await this.sql.one(
        `SELECT sort FROM cards WHERE ${others} ORDER BY sort, created_at LIMIT 1`,
        listId, swimlaneId, excluded) as { sort: number } | undefined;
      return { after: null, before: sortOf(first) };
    }
    if (placement.at === 'bottom') {
      const last = await this.sql.one(
        `SELECT sort FROM cards WHERE ${others} ORDER BY sort DESC, created_at DESC LIMIT 1`,
        listId, swimlaneId, excluded) as { sort: number } | undefined;
      return { after: sortOf(last), before: null };
    }
    const anchor = movingIds.includes(placement.id) ? undefined : await this.sql.one(
      'SELECT sort, created_at AS "createdAt" FROM cards WHERE id = ? AND list_id = ? AND swimlane_id = ? AND archived = 0',
      placement.id, listId, swimlaneId) as { sort: number; createdAt: string } | undefined;
    if (!anchor) throw new InvalidTargetError(message('refusals.anchorGone'));
    const next = await this.sql.one(
      `SELECT sort FROM cards WHERE ${others} AND (sort, created_at) > (?, ?) ORDER BY sort, created_at LIMIT 1`,
      listId, swimlaneId, excluded, anchor.sort, anchor.createdAt) as { sort: number } | undefined;
    return { after: anchor.sort, before: sortOf(next) };
  }

  /** Renumbers the live cards of the target cell 0..n-1 in their order (writing only the changed rows); then the gap again. */
  private async renumberedGap(target: MoveTarget, movingIds: string[]): Promise<Gap> {
    for (const [index, card] of (await this.cell(target.listId, target.swimlaneId)).entries()) {
      if (card.sort !== index) await this.sql.run('UPDATE cards SET sort = ? WHERE id = ?', index, card.id);
    }
    return this.gapAt(target, movingIds);
  }

  private async cell(listId: string, swimlaneId: string): Promise<Slot[]> {
    return await this.sql.all(`SELECT id, list_id AS "listId", swimlane_id AS "swimlaneId", sort FROM cards
         WHERE list_id = ? AND swimlane_id = ? AND archived = 0 ORDER BY sort, created_at`, listId, swimlaneId) as Slot[];
  }

  /** The given live cards in the order a reader meets them: by swimlane, then list, then position. */
  private async liveCardsInBoardOrder(boardId: string, cardIds: string[]): Promise<Slot[]> {
    if (cardIds.length === 0) return [];
    if (cardIds.length === 1) {
      // The common case (one card's Move form): no order to find, so no join.
      const one = await this.sql.one(
        `SELECT id, list_id AS "listId", swimlane_id AS "swimlaneId", sort FROM cards WHERE id = ? AND board_id = ? AND archived = 0`,
        cardIds[0]!, boardId) as Slot | undefined;
      return one ? [one] : [];
    }
    const rows = await this.sql.all(`SELECT c.id, c.list_id AS "listId", c.swimlane_id AS "swimlaneId", c.sort
         FROM cards c JOIN lists l ON l.id = c.list_id JOIN swimlanes s ON s.id = c.swimlane_id
         WHERE c.board_id = ? AND c.archived = 0 AND c.id IN (${this.sql.jsonTexts})
         ORDER BY s.sort, l.sort, c.sort, c.created_at`, boardId, JSON.stringify(cardIds)) as Slot[];
    return rows;
  }
}
