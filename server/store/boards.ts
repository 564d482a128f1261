// Boards, their members, and the one way to load a board: together with the caller's role on it.
// "No access" and "no such board" are the same answer (undefined), so private boards stay invisible.
import { nextTurn } from '../pace.js';
import { inSearchBulk } from './search.js';
import type { Sql } from './sql.js';
import type { Activities } from './activities.js';
import type { Labels } from './labels.js';
import type { BoardRole, MemberRole } from '../permissions.js';
import { newId } from '../ids.js';
import { now } from './time.js';
import { slugify } from './slug.js';
import { ReadMemo } from './read-memo.js';
import { message } from '../i18n/messages.js';
import { MAX } from '../limits.js';
import { OverLimitError } from './refused.js';

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
  /** The card settings that differ from WeKan's defaults, as JSON text (card-settings.ts reads it). */
  cardSettings: string;
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

/** Joined to `board_domains d` and `users u`: the domain is active and the user's proven address is in it. */
const DOMAIN_MATCH = "AND d.is_active = 1 AND u.email_proven = 1 AND lower(u.email) LIKE '%@' || d.domain";

const BOARD_COLUMNS = `b.id, b.title, b.slug, b.description, b.permission, b.color, b.archived,
  b.archived_at AS "archivedAt", b.version, b.created_at AS "createdAt", b.modified_at AS "modifiedAt", b.card_settings AS "cardSettings"`;

export class Boards {
  /** Every page of a board asks this first: answered from memory until the next write. */
  private readonly accessMemo: ReadMemo<BoardAccess | undefined>;

  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
    private readonly labels: Labels,
  ) {
    this.accessMemo = new ReadMemo(() => this.sql.changeCount());
  }

  /** A new board with its creator as admin, WeKan's "Default" swimlane and six unnamed labels. */
  readonly create = async (userId: string, title: string): Promise<Board> =>
    this.sql.transaction(async (): Promise<Board> => {
      const id = newId();
      const at = now();
      await this.sql.run(
        `INSERT INTO boards (id, title, slug, created_at, modified_at) VALUES (?, ?, ?, ?, ?)`, id, title, slugify(title), at, at);
      await this.sql.run(`INSERT INTO board_members (board_id, user_id, role) VALUES (?, ?, 'admin')`, id, userId);
      const swimlaneId = newId();
      await this.sql.run(`INSERT INTO swimlanes (id, board_id, title, sort, created_at, modified_at)
           VALUES (?, ?, 'Default', 0, ?, ?)`, swimlaneId, id, at, at);
      await this.labels.insertDefaults(id);
      await this.activities.record(id, userId, 'createBoard');
      await this.activities.record(id, userId, 'createSwimlane', { swimlaneId });
      return (await this.byId(id))!;
    });

  async byId(boardId: string): Promise<Board | undefined> {
    return await this.sql.one(`SELECT ${BOARD_COLUMNS} FROM boards b WHERE b.id = ?`, boardId) as Board | undefined;
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
  access(boardId: string, userId: string | null): Promise<BoardAccess | undefined> {
    return this.accessMemo.obtain(`${boardId}\u0001${userId ?? ''}`, () => this.readAccess(boardId, userId));
  }

  private async readAccess(boardId: string, userId: string | null): Promise<BoardAccess | undefined> {
    const row = await this.sql.one(`SELECT ${BOARD_COLUMNS}, m.role AS "memberRole",
           EXISTS (SELECT 1 FROM board_domains d JOIN users u ON u.id = ? ${DOMAIN_MATCH} WHERE d.board_id = b.id) AS "domainShared"
         FROM boards b LEFT JOIN board_members m ON m.board_id = b.id AND m.user_id = ? AND m.is_active = 1
         WHERE b.id = ?`, userId, userId, boardId) as (Board & { memberRole: MemberRole | null; domainShared: number | boolean }) | undefined;
    if (!row) return undefined;
    const { memberRole, domainShared, ...board } = row;
    // Shared by the requests that the memo answers: frozen, so nobody changes it under the others.
    Object.freeze(board);
    if (memberRole) return Object.freeze({ board, role: memberRole });
    // a public board, or one shared with the signed-in person's e-mail domain: seen as a visitor sees it
    if ((board.permission === 'public' || domainShared) && !board.archived) return Object.freeze({ board, role: 'visitor' as const });
    return undefined;
  }

  /** The live boards shared with the user's e-mail domain that they are not a member of, by title (as a visitor). */
  async sharedByDomain(userId: string): Promise<BoardSummary[]> {
    return await this.sql.all(`SELECT ${BOARD_COLUMNS}, 'visitor' AS role,
                (SELECT count(*) FROM cards c JOIN lists l ON l.id = c.list_id JOIN swimlanes s ON s.id = c.swimlane_id
                 WHERE c.board_id = b.id AND c.archived = 0 AND l.archived = 0 AND s.archived = 0) AS "cardCount"
         FROM boards b
         WHERE b.archived = 0
           AND EXISTS (SELECT 1 FROM board_domains d JOIN users u ON u.id = ? ${DOMAIN_MATCH} WHERE d.board_id = b.id)
           AND NOT EXISTS (SELECT 1 FROM board_members m WHERE m.board_id = b.id AND m.user_id = ? AND m.is_active = 1)
         ORDER BY lower(b.title), b.created_at`, userId, userId) as BoardSummary[];
  }

  /** The e-mail domains the board is shared with, by name. */
  async domains(boardId: string): Promise<{ domain: string; isActive: boolean }[]> {
    return (await this.sql.all<{ domain: string; isActive: number }>(
      'SELECT domain, is_active AS "isActive" FROM board_domains WHERE board_id = ? ORDER BY domain', boardId))
      .map((row) => ({ domain: row.domain, isActive: !!row.isActive }));
  }

  /** Shares the board with everyone whose address is in `domain` (already checked); false when it was. */
  readonly addDomain = async (userId: string, boardId: string, domain: string): Promise<boolean> =>
    this.sql.transaction(async (): Promise<boolean> => {
      const count = await this.sql.value<number>('SELECT count(*) FROM board_domains WHERE board_id = ?', boardId);
      if (count! >= MAX.domainsPerBoard) throw new OverLimitError(message('refusals.tooManyDomains', { max: MAX.domainsPerBoard }), 422);
      if (await this.sql.run('INSERT INTO board_domains (board_id, domain) VALUES (?, ?) ON CONFLICT DO NOTHING', boardId, domain) === 0) return false;
      await this.activities.record(boardId, userId, 'addedBoardDomain', {}, { domain });
      return true;
    });

  /** Stops sharing the board with `domain`; false when it was not shared with it. */
  readonly removeDomain = async (userId: string, boardId: string, domain: string): Promise<boolean> =>
    this.sql.transaction(async (): Promise<boolean> => {
      if (await this.sql.run('DELETE FROM board_domains WHERE board_id = ? AND domain = ?', boardId, domain) === 0) return false;
      await this.activities.record(boardId, userId, 'removedBoardDomain', {}, { domain });
      return true;
    });

  /** The boards a user is an active member of, by title. */
  async forMember(userId: string, archived: boolean): Promise<BoardSummary[]> {
    return await this.sql.all(`SELECT ${BOARD_COLUMNS}, m.role,
                (SELECT count(*) FROM cards c JOIN lists l ON l.id = c.list_id JOIN swimlanes s ON s.id = c.swimlane_id
                 WHERE c.board_id = b.id AND c.archived = 0 AND l.archived = 0 AND s.archived = 0) AS "cardCount"
         FROM boards b JOIN board_members m ON m.board_id = b.id
         WHERE m.user_id = ? AND m.is_active = 1 AND b.archived = ?
         ORDER BY lower(b.title), b.created_at`, userId, archived ? 1 : 0) as BoardSummary[];
  }

  /** Title, colour, description and visibility; one activity per field that changed. */
  readonly update = async (userId: string, board: Board, settings: BoardSettings): Promise<number> =>
    this.sql.transaction(async (): Promise<number> => {
      let changed = 0;
      const fields: [keyof BoardSettings, string][] = [
        ['title', 'changedBoardTitle'], ['color', 'changedBoardColor'],
        ['description', 'changedBoardDescription'], ['permission', 'changedBoardPermission'],
      ];
      for (const [field, activity] of fields) {
        if (board[field] === settings[field]) continue;
        await this.sql.run(`UPDATE boards SET ${field} = ? WHERE id = ?`, settings[field], board.id);
        await this.activities.record(board.id, userId, activity, {}, { old: board[field], [field]: settings[field] });
        changed++;
      }
      if (board.title !== settings.title) {
        await this.sql.run('UPDATE boards SET slug = ? WHERE id = ?', slugify(settings.title), board.id);
      }
      return changed;
    });

  /** The card settings, stored as card-settings.ts writes them; an activity when they changed. */
  readonly setCardSettings = async (userId: string, board: Board, stored: string): Promise<void> =>
    this.sql.transaction(async () => {
      if (stored === board.cardSettings) return;
      await this.sql.run('UPDATE boards SET card_settings = ? WHERE id = ?', stored, board.id);
      await this.activities.record(board.id, userId, 'changedCardSettings', {}, { old: board.cardSettings, cardSettings: stored });
    });

  readonly setArchived = async (userId: string, boardId: string, archived: boolean): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run(
        'UPDATE boards SET archived = ?, archived_at = ? WHERE id = ?', archived ? 1 : 0, archived ? now() : null, boardId);
      await this.activities.record(boardId, userId, archived ? 'archivedBoard' : 'restoredBoard');
    });

  /** Public boards, readable without an account (/public). */
  /**
   * Deletes the board for good with everything on it (the foreign keys cascade). Answers the ids of its
   * attachments, whose files the caller removes once this has committed.
   *
   * On SQLite a big board would hold the one connection for seconds (2 s for 20,000 cards), so, as an
   * import does (board-import.ts), the board is first hidden (private, its members gone) and marked unfinished, its
   * cards go a hundred at a time with a turn for other requests between, and then the board; a crash
   * on the way leaves a marked board, which the next start deletes.
   */
  readonly delete = async (boardId: string): Promise<string[]> => {
    // cards name their cover (an attachment) and their lists: clear the covers first, then cards go with the board
    const begin = async () => {
      const attachmentIds = await this.sql.column(
        'SELECT id FROM attachments WHERE board_id = ? UNION ALL SELECT id FROM board_backgrounds WHERE board_id = ?', boardId, boardId) as string[];
      await this.sql.run('UPDATE cards SET cover_id = NULL WHERE board_id = ?', boardId);
      return attachmentIds;
    };
    if (this.sql.dialect === 'postgres') {
      return await inSearchBulk(this.sql, async () => {
        const attachmentIds = await begin();
        await this.sql.run('DELETE FROM boards WHERE id = ?', boardId);
        return attachmentIds;
      });
    }
    const attachmentIds = await inSearchBulk(this.sql, async () => {
      await this.sql.run('INSERT OR IGNORE INTO boards_unfinished (board_id, started_at) VALUES (?, ?)', boardId, now());
      await this.sql.run("UPDATE boards SET permission = 'private' WHERE id = ?", boardId); // a public one leaves /public now
      await this.sql.run('DELETE FROM board_members WHERE board_id = ?', boardId);
      return await begin();
    });
    while (await inSearchBulk(this.sql, async () =>
      await this.sql.run('DELETE FROM cards WHERE id IN (SELECT id FROM cards WHERE board_id = ? LIMIT 100)', boardId)) > 0) {
      await nextTurn();
    }
    await inSearchBulk(this.sql, async () => { await this.sql.run('DELETE FROM boards WHERE id = ?', boardId); });
    return attachmentIds;
  };

  /** Live boards by visibility (WeKan's /api/boards_count). */
  async countByPermission(): Promise<{ private: number; public: number }> {
    const rows = await this.sql.all('SELECT permission, count(*) AS n FROM boards WHERE archived = 0 GROUP BY permission') as
      { permission: string; n: number }[];
    return { private: rows.find((r) => r.permission === 'private')?.n ?? 0, public: rows.find((r) => r.permission === 'public')?.n ?? 0 };
  }

  async publicBoards(): Promise<Board[]> {
    return await this.sql.all(
      `SELECT ${BOARD_COLUMNS} FROM boards b WHERE b.permission = 'public' AND b.archived = 0 ORDER BY lower(b.title)`) as Board[];
  }
}
