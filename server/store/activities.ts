// The audit trail, and the board version that every change bumps in the same transaction.
import type { Sql } from './sql.js';
import { newId } from '../ids.js';
import { now } from './time.js';

export interface ActivityRefs {
  cardId?: string;
  listId?: string;
  swimlaneId?: string;
}

export interface Activity {
  id: string;
  boardId: string;
  userId: string | null;
  activityType: string;
  cardId: string | null;
  listId: string | null;
  swimlaneId: string | null;
  data: string | null;
  boardVersion: number;
  createdAt: string;
}

/** What observers of new activities are told, inside the transaction that records it. */
export interface RecordedActivity {
  id: string;
  boardId: string;
  cardId: string | null;
  /** The list it happened in or (a move) went to, when it names one. */
  listId: string | null;
  createdAt: string;
  activityType: string;
  /** Who made the change (null: an account since deleted, or the system). */
  userId: string | null;
  data: Record<string, unknown> | undefined;
}

/** An activity's columns with the username of who made it (`a` joined with `u`; gone accounts: null). */
const NAMED_COLUMNS = `a.id, a.board_id AS "boardId", a.user_id AS "userId", a.activity_type AS "activityType", a.card_id AS "cardId",
  a.list_id AS "listId", a.swimlane_id AS "swimlaneId", a.data, a.board_version AS "boardVersion", a.created_at AS "createdAt", u.username`;

/**
 * Makes writes to these boards that decide from what they read (the next sort, the WIP limit, the last
 * admin) wait for each other, from here to the end of the transaction; call it before those reads.
 * Sorted, so two transactions that lock the same two boards cannot wait for each other.
 */
export async function lockBoards(sql: Sql, ...boardIds: string[]): Promise<void> {
  for (const boardId of [...new Set(boardIds)].sort()) await sql.lock(`board ${boardId}`);
}

export class Activities {
  private readonly observers: ((activity: RecordedActivity) => Promise<void>)[] = [];

  constructor(
    private readonly sql: Sql,
    /** Told the board's id on every change, inside the transaction (the store announces it after). */
    private readonly changed: (boardId: string) => void = () => {},
  ) {}

  /**
   * Records one change: bumps the board's version and writes the activity row. Call it inside the
   * transaction that makes the change, so the version, the history and the data never disagree.
   */
  /** Calls `observer` for each activity recorded, inside its transaction (a failure undoes the change). */
  onRecord(observer: (activity: RecordedActivity) => Promise<void>): void {
    this.observers.push(observer);
  }

  async record(boardId: string, userId: string | null, activityType: string, refs: ActivityRefs = {}, data?: object): Promise<number> {
    const at = now();
    const id = newId();
    const bumped = await this.sql.one(
      'UPDATE boards SET version = version + 1, modified_at = ? WHERE id = ? RETURNING version',
      at, boardId) as { version: number } | undefined;
    if (!bumped) throw new Error(`no board ${boardId}`);
    await this.sql.run(`INSERT INTO activities (id, board_id, user_id, activity_type, card_id, list_id, swimlane_id, data,
                                 board_version, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, boardId, userId, activityType, refs.cardId ?? null, refs.listId ?? null, refs.swimlaneId ?? null,
        data ? JSON.stringify(data) : null, bumped.version, at);
    const recorded = { id, boardId, cardId: refs.cardId ?? null, listId: refs.listId ?? null, createdAt: at, activityType, userId, data: data as Record<string, unknown> | undefined };
    for (const observer of this.observers) await observer(recorded);
    this.changed(boardId);
    return bumped.version;
  }

  /** One activity with the username of who made it (gone accounts: null). */
  async byId(id: string): Promise<(Activity & { username: string | null }) | undefined> {
    return await this.sql.one(`SELECT ${NAMED_COLUMNS}
         FROM activities a LEFT JOIN users u ON u.id = a.user_id WHERE a.id = ?`, id) as (Activity & { username: string | null }) | undefined;
  }

  async forBoard(boardId: string, limit = 50): Promise<Activity[]> {
    return await this.sql.all(`SELECT id, board_id AS "boardId", user_id AS "userId", activity_type AS "activityType", card_id AS "cardId",
                list_id AS "listId", swimlane_id AS "swimlaneId", data, board_version AS "boardVersion",
                created_at AS "createdAt"
         FROM activities WHERE board_id = ? ORDER BY board_version DESC LIMIT ?`, boardId, limit) as Activity[];
  }

  /** A card's history, newest first, with the names of the people who made it. */
  async forCard(cardId: string, limit = 100): Promise<(Activity & { username: string | null })[]> {
    return await this.sql.all(`SELECT ${NAMED_COLUMNS}
         FROM activities a LEFT JOIN users u ON u.id = a.user_id
         WHERE a.card_id = ? ORDER BY a.board_version DESC LIMIT ?`, cardId, limit) as (Activity & { username: string | null })[];
  }

  /** Cards changed after board version `since`, with the usernames of who changed them. */
  async changedCardsSince(boardId: string, since: number): Promise<Map<string, string[]>> {
    // each card and person once, in the order of their first change
    const rows = await this.sql.all<{ cardId: string; username: string }>(
      `SELECT a.card_id AS "cardId", coalesce(u.username, 'someone') AS username
       FROM activities a LEFT JOIN users u ON u.id = a.user_id
       WHERE a.board_id = ? AND a.board_version > ? AND a.card_id IS NOT NULL
       GROUP BY a.card_id, coalesce(u.username, 'someone') ORDER BY min(a.board_version)`, boardId, since);
    const changed = new Map<string, string[]>();
    for (const { cardId, username } of rows) changed.set(cardId, [...(changed.get(cardId) ?? []), username]);
    return changed;
  }
}
