// Boards, their members, and the one way to load a board: together with the caller's role on it.
// "No access" and "no such board" are the same answer (undefined), so private boards stay invisible.
import type { Db } from './db.js';
import type { Activities } from './activities.js';
import type { Labels } from './labels.js';
import type { BoardRole, MemberRole } from '../permissions.js';
import { newId } from '../ids.js';
import { now } from './time.js';
import { slugify } from './slug.js';
import { ReadMemo } from './read-memo.js';

export interface Board {
  id: string;
  title: string;
  slug: string;
  description: string;
  permission: 'private' | 'public';
  color: string;
  archived: 0 | 1;
  archivedAt: string | null;
  version: number;
  createdAt: string;
  modifiedAt: string;
}

export interface BoardSettings {
  title: string;
  color: string;
  description: string;
  permission: 'private' | 'public';
}

export interface BoardAccess {
  board: Board;
  role: BoardRole;
}

export interface BoardSummary extends Board {
  role: MemberRole;
  cardCount: number;
}

const BOARD_COLUMNS = `b.id, b.title, b.slug, b.description, b.permission, b.color, b.archived,
  b.archived_at AS archivedAt, b.version, b.created_at AS createdAt, b.modified_at AS modifiedAt`;

export class Boards {
  /** Every page of a board asks this first: answered from memory until the next write. */
  private readonly accessMemo: ReadMemo<BoardAccess | undefined>;

  constructor(
    private readonly db: Db,
    private readonly activities: Activities,
    private readonly labels: Labels,
  ) {
    this.accessMemo = new ReadMemo(db);
  }

  /** A new board with its creator as admin, WeKan's "Default" swimlane and six unnamed labels. */
  readonly create = (userId: string, title: string): Board =>
    this.db.transaction((): Board => {
      const id = newId();
      const at = now();
      this.db
        .prepare(
          `INSERT INTO boards (id, title, slug, created_at, modified_at) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(id, title, slugify(title), at, at);
      this.db
        .prepare(`INSERT INTO board_members (board_id, user_id, role) VALUES (?, ?, 'admin')`)
        .run(id, userId);
      const swimlaneId = newId();
      this.db
        .prepare(
          `INSERT INTO swimlanes (id, board_id, title, sort, created_at, modified_at)
           VALUES (?, ?, 'Default', 0, ?, ?)`,
        )
        .run(swimlaneId, id, at, at);
      this.labels.insertDefaults(id);
      this.activities.record(id, userId, 'createBoard');
      this.activities.record(id, userId, 'createSwimlane', { swimlaneId });
      return this.byId(id)!;
    })();

  byId(boardId: string): Board | undefined {
    return this.db.prepare(`SELECT ${BOARD_COLUMNS} FROM boards b WHERE b.id = ?`).get(boardId) as Board | undefined;
  }

  /** The memory of access answers, for its size in /metrics. */
  get accessMemory(): { readonly size: number; readonly max: number } {
    return this.accessMemo;
  }

  /** Forgets remembered access answers (a lost write batch may have changed them). */
  forgetReads(): void {
    this.accessMemo.forget();
  }

  /** The board with the caller's role, or undefined when it does not exist or the caller may not see it. */
  access(boardId: string, userId: string | null): BoardAccess | undefined {
    return this.accessMemo.obtain(`${boardId}\u0001${userId ?? ''}`, () => this.readAccess(boardId, userId));
  }

  private readAccess(boardId: string, userId: string | null): BoardAccess | undefined {
    const row = this.db
      .prepare(
        `SELECT ${BOARD_COLUMNS}, m.role AS memberRole
         FROM boards b LEFT JOIN board_members m ON m.board_id = b.id AND m.user_id = ? AND m.is_active = 1
         WHERE b.id = ?`,
      )
      .get(userId, boardId) as (Board & { memberRole: MemberRole | null }) | undefined;
    if (!row) return undefined;
    const { memberRole, ...board } = row;
    // Shared by the requests that the memo answers: frozen, so nobody changes it under the others.
    Object.freeze(board);
    if (memberRole) return Object.freeze({ board, role: memberRole });
    if (board.permission === 'public' && !board.archived) return Object.freeze({ board, role: 'visitor' as const });
    return undefined;
  }

  /** The boards a user is an active member of, by title. */
  forMember(userId: string, archived: boolean): BoardSummary[] {
    return this.db
      .prepare(
        `SELECT ${BOARD_COLUMNS}, m.role,
                (SELECT count(*) FROM cards c JOIN lists l ON l.id = c.list_id JOIN swimlanes s ON s.id = c.swimlane_id
                 WHERE c.board_id = b.id AND c.archived = 0 AND l.archived = 0 AND s.archived = 0) AS cardCount
         FROM boards b JOIN board_members m ON m.board_id = b.id
         WHERE m.user_id = ? AND m.is_active = 1 AND b.archived = ?
         ORDER BY b.title COLLATE NOCASE, b.created_at`,
      )
      .all(userId, archived ? 1 : 0) as BoardSummary[];
  }

  /** Title, colour, description and visibility; one activity per field that changed. */
  readonly update = (userId: string, board: Board, settings: BoardSettings): number =>
    this.db.transaction((): number => {
      let changed = 0;
      const fields: [keyof BoardSettings, string][] = [
        ['title', 'changedBoardTitle'], ['color', 'changedBoardColor'],
        ['description', 'changedBoardDescription'], ['permission', 'changedBoardPermission'],
      ];
      for (const [field, activity] of fields) {
        if (board[field] === settings[field]) continue;
        this.db.prepare(`UPDATE boards SET ${field} = ? WHERE id = ?`).run(settings[field], board.id);
        this.activities.record(board.id, userId, activity, {}, { old: board[field], [field]: settings[field] });
        changed++;
      }
      if (board.title !== settings.title) {
        this.db.prepare('UPDATE boards SET slug = ? WHERE id = ?').run(slugify(settings.title), board.id);
      }
      return changed;
    })();

  readonly setArchived = (userId: string, boardId: string, archived: boolean): void =>
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE boards SET archived = ?, archived_at = ? WHERE id = ?')
        .run(archived ? 1 : 0, archived ? now() : null, boardId);
      this.activities.record(boardId, userId, archived ? 'archivedBoard' : 'restoredBoard');
    })();

  /** Public boards, readable without an account (/public). */
  /**
   * Deletes the board for good with everything on it (the foreign keys cascade). Answers the ids of its
   * attachments, whose files the caller removes once this has committed.
   */
  readonly delete = (boardId: string): string[] =>
    this.db.transaction((): string[] => {
      const attachmentIds = this.db.prepare('SELECT id FROM attachments WHERE board_id = ?').pluck().all(boardId) as string[];
      // cards name their cover (an attachment) and their lists: clear the cover first, then cards go with the board
      this.db.prepare('UPDATE cards SET cover_id = NULL WHERE board_id = ?').run(boardId);
      this.db.prepare('DELETE FROM cards WHERE board_id = ?').run(boardId);
      this.db.prepare('DELETE FROM boards WHERE id = ?').run(boardId);
      return attachmentIds;
    })();

  /** Live boards by visibility (WeKan's /api/boards_count). */
  countByPermission(): { private: number; public: number } {
    const rows = this.db.prepare('SELECT permission, count(*) AS n FROM boards WHERE archived = 0 GROUP BY permission').all() as
      { permission: string; n: number }[];
    return { private: rows.find((r) => r.permission === 'private')?.n ?? 0, public: rows.find((r) => r.permission === 'public')?.n ?? 0 };
  }

  publicBoards(): Board[] {
    return this.db
      .prepare(`SELECT ${BOARD_COLUMNS} FROM boards b WHERE b.permission = 'public' AND b.archived = 0 ORDER BY b.title COLLATE NOCASE`)
      .all() as Board[];
  }
}
