// Lists (columns) and swimlanes (rows) of a board: the same shape and the same operations,
// so one class serves both. The table name is fixed by the code, never by input.
import { message } from '../i18n/messages.js';
import { MAX } from '../limits.js';
import { OverLimitError } from './refused.js';
import type { Sql } from './sql.js';
import { lockBoards, type Activities } from './activities.js';
import { newId } from '../ids.js';
import { now } from './time.js';
import { InvalidTargetError, type Placement } from './cards.js';

export interface Lane {
  id: string;
  boardId: string;
  title: string;
  sort: number;
  color: string | null;
  archived: 0 | 1;
  archivedAt: string | null;
  /** Lists only (null for swimlanes): the most cards the list should hold, null for none. */
  wipLimit: number | null;
  /** 1: the limit only warns; 0: it refuses more cards (WeKan's soft and hard limits). */
  wipSoft: 0 | 1;
  /** Lists only (0 for swimlanes): marked with a star on the board. */
  starred: 0 | 1;
  /** Lists only: the board shows how many cards, not the cards. */
  collapsed: 0 | 1;
}

export interface LaneLook {
  color: string | null;
  wipLimit: number | null;
  wipSoft: boolean;
  starred: boolean;
  collapsed: boolean;
}

type LaneKind = 'List' | 'Swimlane';

export class Lanes {
  private readonly table: 'lists' | 'swimlanes';
  private readonly ref: 'listId' | 'swimlaneId';

  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
    private readonly kind: LaneKind,
  ) {
    this.table = kind === 'List' ? 'lists' : 'swimlanes';
    this.ref = kind === 'List' ? 'listId' : 'swimlaneId';
  }

  private get columns(): string {
    const wip = this.table === 'lists' ? 'wip_limit AS "wipLimit", wip_soft AS "wipSoft", starred, collapsed'
      : 'NULL AS "wipLimit", 0 AS "wipSoft", 0 AS starred, 0 AS collapsed';
    return `id, board_id AS "boardId", title, sort, color, archived, archived_at AS "archivedAt", ${wip}`;
  }

  /**
   * Appends a lane at the end (right-most list, bottom swimlane); `like` gives it another lane's colour
   * (and a list's WIP limit, star and collapse), as a copy has.
   */
  readonly create = async (userId: string, boardId: string, title: string, like?: Lane): Promise<Lane> =>
    this.sql.transaction(async (): Promise<Lane> => {
      await lockBoards(this.sql, boardId);
      await this.assertRoom(boardId);
      const id = newId();
      const at = now();
      const sort = await this.nextSort(boardId);
      if (this.table === 'lists') {
        await this.sql.run(`INSERT INTO lists (id, board_id, title, sort, color, wip_limit, wip_soft, starred, collapsed, created_at, modified_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, boardId, title, sort, like?.color ?? null, like?.wipLimit ?? null,
        like?.wipSoft ?? 0, like?.starred ?? 0, like?.collapsed ?? 0, at, at);
      } else {
        await this.sql.run('INSERT INTO swimlanes (id, board_id, title, sort, color, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          id, boardId, title, sort, like?.color ?? null, at, at);
      }
      await this.activities.record(boardId, userId, `create${this.kind}`, { [this.ref]: id });
      return (await this.byId(boardId, id))!;
    });

  /** Refuses (422) when the board has as many lanes of this kind as it may hold, archived ones included. */
  async assertRoom(boardId: string): Promise<void> {
    const count = await this.sql.value<number>(`SELECT count(*) FROM ${this.table} WHERE board_id = ?`, boardId);
    const max = this.table === 'lists' ? MAX.listsPerBoard : MAX.swimlanesPerBoard;
    if (count! >= max) throw new OverLimitError(message(`refusals.tooMany${this.kind}s`, { max }), 422);
  }

  /** The sort that puts a lane after the board's last. */
  async nextSort(boardId: string): Promise<number> {
    return (await this.sql.value<number>(`SELECT coalesce(max(sort) + 1, 0) FROM ${this.table} WHERE board_id = ?`, boardId))!;
  }

  /** A lane of this board (archived or not); undefined when the id belongs elsewhere. */
  async byId(boardId: string, id: string): Promise<Lane | undefined> {
    return await this.sql.one(`SELECT ${this.columns} FROM ${this.table} WHERE board_id = ? AND id = ?`, boardId, id) as Lane | undefined;
  }

  async forBoard(boardId: string, archived: boolean): Promise<Lane[]> {
    return await this.sql.all(
      `SELECT ${this.columns} FROM ${this.table} WHERE board_id = ? AND archived = ? ORDER BY sort, created_at`,
      boardId, archived ? 1 : 0) as Lane[];
  }

  readonly rename = async (userId: string, lane: Lane, title: string): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run(`UPDATE ${this.table} SET title = ?, modified_at = ? WHERE id = ?`, title, now(), lane.id);
      await this.activities.record(lane.boardId, userId, `changed${this.kind}Title`, { [this.ref]: lane.id }, {
        oldTitle: lane.title,
        title,
      });
    });

  readonly setArchived = async (userId: string, lane: Lane, archived: boolean): Promise<void> =>
    this.sql.transaction(async () => {
      const at = now();
      await this.sql.run(
        `UPDATE ${this.table} SET archived = ?, archived_at = ?, modified_at = ? WHERE id = ?`,
        archived ? 1 : 0, archived ? at : null, at, lane.id);
      await this.activities.record(lane.boardId, userId, `${archived ? 'archived' : 'restored'}${this.kind}`, {
        [this.ref]: lane.id,
      });
    });

  /** Colour and (for lists) the WIP limit, star and collapse; one activity when anything changed. */
  readonly setLook = async (userId: string, lane: Lane, look: LaneLook): Promise<void> =>
    this.sql.transaction(async () => {
      const [wipSoft, starred, collapsed] = [look.wipSoft, look.starred, look.collapsed].map((b) => (b ? 1 : 0)) as [0 | 1, 0 | 1, 0 | 1];
      if (lane.color === look.color && lane.wipLimit === look.wipLimit && lane.wipSoft === wipSoft
        && (this.table === 'swimlanes' || (lane.starred === starred && lane.collapsed === collapsed))) return;
      if (this.table === 'lists') {
        await this.sql.run(
          'UPDATE lists SET color = ?, wip_limit = ?, wip_soft = ?, starred = ?, collapsed = ?, modified_at = ? WHERE id = ?',
          look.color, look.wipLimit, wipSoft, starred, collapsed, now(), lane.id);
      } else {
        await this.sql.run('UPDATE swimlanes SET color = ?, modified_at = ? WHERE id = ?', look.color, now(), lane.id);
      }
      await this.activities.record(lane.boardId, userId, `changed${this.kind}Look`, { [this.ref]: lane.id }, { ...look });
    });

  /** Puts the lane first or after another live lane of the board; renumbers the board's lanes 0..n-1. */
  readonly move = async (userId: string, lane: Lane, placement: Placement): Promise<void> =>
    this.sql.transaction(async () => {
      await lockBoards(this.sql, lane.boardId);
      const others = (await this.forBoard(lane.boardId, false)).filter((l) => l.id !== lane.id).map((l) => l.id);
      let at = 0;
      if (placement.at === 'bottom') at = others.length;
      if (placement.at === 'after') {
        at = others.indexOf(placement.id) + 1;
        if (at === 0) throw new InvalidTargetError(message(this.kind === 'List' ? 'refusals.listGone' : 'refusals.swimlaneGone'));
      }
      const order = [...others.slice(0, at), lane.id, ...others.slice(at)];
      for (const [index, id] of order.entries()) await this.sql.run(`UPDATE ${this.table} SET sort = ? WHERE id = ?`, index, id);
      await this.activities.record(lane.boardId, userId, `moved${this.kind}`, { [this.ref]: lane.id }, { position: at });
    });
}
