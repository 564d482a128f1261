// Lists (columns) and swimlanes (rows) of a board: the same shape and the same operations,
// so one class serves both. The table name is fixed by the code, never by input.
import type { Db } from './db.js';
import type { Activities } from './activities.js';
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
    private readonly db: Db,
    private readonly activities: Activities,
    private readonly kind: LaneKind,
  ) {
    this.table = kind === 'List' ? 'lists' : 'swimlanes';
    this.ref = kind === 'List' ? 'listId' : 'swimlaneId';
  }

  private get columns(): string {
    const wip = this.table === 'lists' ? 'wip_limit AS wipLimit, wip_soft AS wipSoft, starred, collapsed'
      : 'NULL AS wipLimit, 0 AS wipSoft, 0 AS starred, 0 AS collapsed';
    return `id, board_id AS boardId, title, sort, color, archived, archived_at AS archivedAt, ${wip}`;
  }

  /** Appends a lane at the end (right-most list, bottom swimlane). */
  readonly create = (userId: string, boardId: string, title: string): Lane =>
    this.db.transaction((): Lane => {
      const id = newId();
      const at = now();
      const { next } = this.db
        .prepare(`SELECT coalesce(max(sort) + 1, 0) AS next FROM ${this.table} WHERE board_id = ?`)
        .get(boardId) as { next: number };
      this.db
        .prepare(
          `INSERT INTO ${this.table} (id, board_id, title, sort, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(id, boardId, title, next, at, at);
      this.activities.record(boardId, userId, `create${this.kind}`, { [this.ref]: id });
      return this.byId(boardId, id)!;
    })();

  /** A lane of this board (archived or not); undefined when the id belongs elsewhere. */
  byId(boardId: string, id: string): Lane | undefined {
    return this.db
      .prepare(`SELECT ${this.columns} FROM ${this.table} WHERE board_id = ? AND id = ?`)
      .get(boardId, id) as Lane | undefined;
  }

  forBoard(boardId: string, archived: boolean): Lane[] {
    return this.db
      .prepare(`SELECT ${this.columns} FROM ${this.table} WHERE board_id = ? AND archived = ? ORDER BY sort, created_at`)
      .all(boardId, archived ? 1 : 0) as Lane[];
  }

  readonly rename = (userId: string, lane: Lane, title: string): void =>
    this.db.transaction(() => {
      this.db
        .prepare(`UPDATE ${this.table} SET title = ?, modified_at = ? WHERE id = ?`)
        .run(title, now(), lane.id);
      this.activities.record(lane.boardId, userId, `changed${this.kind}Title`, { [this.ref]: lane.id }, {
        oldTitle: lane.title,
        title,
      });
    })();

  readonly setArchived = (userId: string, lane: Lane, archived: boolean): void =>
    this.db.transaction(() => {
      const at = now();
      this.db
        .prepare(`UPDATE ${this.table} SET archived = ?, archived_at = ?, modified_at = ? WHERE id = ?`)
        .run(archived ? 1 : 0, archived ? at : null, at, lane.id);
      this.activities.record(lane.boardId, userId, `${archived ? 'archived' : 'restored'}${this.kind}`, {
        [this.ref]: lane.id,
      });
    })();

  /** Colour and (for lists) the WIP limit, star and collapse; one activity when anything changed. */
  readonly setLook = (userId: string, lane: Lane, look: LaneLook): void =>
    this.db.transaction(() => {
      const [wipSoft, starred, collapsed] = [look.wipSoft, look.starred, look.collapsed].map((b) => (b ? 1 : 0));
      if (lane.color === look.color && lane.wipLimit === look.wipLimit && lane.wipSoft === wipSoft
        && (this.table === 'swimlanes' || (lane.starred === starred && lane.collapsed === collapsed))) return;
      if (this.table === 'lists') {
        this.db.prepare('UPDATE lists SET color = ?, wip_limit = ?, wip_soft = ?, starred = ?, collapsed = ?, modified_at = ? WHERE id = ?')
          .run(look.color, look.wipLimit, wipSoft, starred, collapsed, now(), lane.id);
      } else {
        this.db.prepare('UPDATE swimlanes SET color = ?, modified_at = ? WHERE id = ?').run(look.color, now(), lane.id);
      }
      this.activities.record(lane.boardId, userId, `changed${this.kind}Look`, { [this.ref]: lane.id }, { ...look });
    })();

  /** Puts the lane first or after another live lane of the board; renumbers the board's lanes 0..n-1. */
  readonly move = (userId: string, lane: Lane, placement: Placement): void =>
    this.db.transaction(() => {
      const others = this.forBoard(lane.boardId, false).filter((l) => l.id !== lane.id).map((l) => l.id);
      let at = 0;
      if (placement.at === 'bottom') at = others.length;
      if (placement.at === 'after') {
        at = others.indexOf(placement.id) + 1;
        if (at === 0) throw new InvalidTargetError(`That ${this.kind.toLowerCase()} is not on this board any more.`);
      }
      const order = [...others.slice(0, at), lane.id, ...others.slice(at)];
      const update = this.db.prepare(`UPDATE ${this.table} SET sort = ? WHERE id = ?`);
      order.forEach((id, index) => update.run(index, id));
      this.activities.record(lane.boardId, userId, `moved${this.kind}`, { [this.ref]: lane.id }, { position: at });
    })();
}
