// Finding cards: full-text search (FTS5) over the boards a user belongs to, the user's own cards, and
// cards coming due. Members whose role hides comments never find a card by a comment's words.
import type { Sql } from './sql.js';

export interface FoundCard {
  id: string;
  title: string;
  boardId: string;
  boardTitle: string;
  boardSlug: string;
  listTitle: string;
  dueAt: string | null;
  endAt: string | null;
  excerpt?: string;
}

/** Words typed by a person as an FTS5 query: every word must occur, each as a prefix; no operators. */
export function ftsQuery(typed: string): string | null {
  const words = typed.normalize('NFC').match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (words.length === 0) return null;
  return words.slice(0, 12).map((w) => `"${w}"*`).join(' ');
}

const FOUND_COLUMNS = `c.id, c.title, c.board_id AS "boardId", b.title AS "boardTitle", b.slug AS "boardSlug", l.title AS "listTitle",
  c.due_at AS "dueAt", c.end_at AS "endAt"`;

// Live cards on live boards, lists and swimlanes where the user is an active member.
const MEMBER_CARDS = `FROM cards c
  JOIN boards b ON b.id = c.board_id AND b.archived = 0
  JOIN lists l ON l.id = c.list_id AND l.archived = 0
  JOIN swimlanes s ON s.id = c.swimlane_id AND s.archived = 0
  JOIN board_members m ON m.board_id = b.id AND m.user_id = @userId AND m.is_active = 1
  WHERE c.archived = 0`;

export class Search {
  constructor(private readonly sql: Sql) {}

  async cards(userId: string, typed: string, limit = 50): Promise<FoundCard[]> {
    const query = ftsQuery(typed);
    if (!query) return [];
    const found = (columns: string, roles: string) => this.sql.all<FoundCard & { rank: number }>(
      `SELECT ${FOUND_COLUMNS}, snippet(card_search, -1, '', '', '…', 12) AS excerpt, card_search.rank AS rank
         FROM card_search JOIN card_search_rows r ON r.fts_rowid = card_search.rowid JOIN cards c ON c.id = r.card_id
         JOIN boards b ON b.id = c.board_id AND b.archived = 0
         JOIN lists l ON l.id = c.list_id AND l.archived = 0
         JOIN swimlanes s ON s.id = c.swimlane_id AND s.archived = 0
         JOIN board_members m ON m.board_id = b.id AND m.user_id = @userId AND m.is_active = 1 AND m.role ${roles}
         WHERE card_search MATCH @match AND c.archived = 0
         ORDER BY rank LIMIT @limit`, { userId, match: `${columns}(${query})`, limit });
    // A no-comments member searches titles, descriptions and checklist items only.
    const results = [
      ...await found('', "<> 'no-comments'"),
      ...await found('{title description items} : ', "= 'no-comments'"),
    ];
    return results.sort((a, b) => a.rank - b.rank).slice(0, limit).map(({ rank: _rank, ...card }) => card);
  }

  /** Cards the user is a member or assignee of, on boards they still belong to. */
  async mine(userId: string): Promise<FoundCard[]> {
    return await this.sql.all(`SELECT ${FOUND_COLUMNS} ${MEMBER_CARDS}
           AND (EXISTS (SELECT 1 FROM card_members x WHERE x.card_id = c.id AND x.user_id = @userId)
             OR EXISTS (SELECT 1 FROM card_assignees x WHERE x.card_id = c.id AND x.user_id = @userId))
         ORDER BY lower(b.title), l.sort, c.sort`, { userId }) as FoundCard[];
  }

  /** Unfinished cards with a due date on the user's boards, soonest first. */
  async due(userId: string, limit = 500): Promise<FoundCard[]> {
    return await this.sql.all(`SELECT ${FOUND_COLUMNS} ${MEMBER_CARDS} AND c.due_at IS NOT NULL AND c.end_at IS NULL
         ORDER BY c.due_at LIMIT @limit`, { userId, limit }) as FoundCard[];
  }

  /** Cards with any date (due, start or end) in [from, to), for the calendar: one board's, or the user's own. */
  async dated(userId: string, from: string, to: string, scope: { boardId: string } | { mine: true }): Promise<DatedCard[]> {
    const boardId = 'boardId' in scope ? scope.boardId : null;
    const mine = 'mine' in scope ? 1 : 0;
    return await this.sql.all(`SELECT ${FOUND_COLUMNS}, c.start_at AS "startAt" ${MEMBER_CARDS}
           AND (@boardId IS NULL OR c.board_id = @boardId)
           AND (@mine = 0 OR EXISTS (SELECT 1 FROM card_members x WHERE x.card_id = c.id AND x.user_id = @userId)
                          OR EXISTS (SELECT 1 FROM card_assignees x WHERE x.card_id = c.id AND x.user_id = @userId))
           AND ((c.due_at >= @from AND c.due_at < @to) OR (c.start_at >= @from AND c.start_at < @to)
             OR (c.end_at >= @from AND c.end_at < @to))
         ORDER BY coalesce(c.due_at, c.start_at, c.end_at)`, { userId, from, to, boardId, mine }) as DatedCard[];
  }
}

export interface DatedCard extends FoundCard {
  startAt: string | null;
}
