// Finding cards: full-text search (FTS5) over the boards a user belongs to, the user's own cards, and
// cards coming due. Members whose role hides comments never find a card by a comment's words.
import type { Sql } from './sql.js';
import { ASSIGNED_ONLY_ROLES } from '../permissions.js';

export interface FoundCard {
  id: string;
  title: string;
  boardId: string;
  boardTitle: string;
  boardSlug: string;
  listTitle: string;
  dueAt: string | null;
  endAt: string | null;
  /** Marked complete (WeKan's dueComplete): done, whatever the dates say. */
  dueComplete: 0 | 1;
  excerpt?: string;
}

/** The words a person typed (letters, digits, _; at most 12): each must occur, as a prefix. No operators. */
export function searchWords(typed: string): string[] {
  return (typed.normalize('NFC').match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, 12);
}

const FOUND_COLUMNS = `c.id, c.title, c.board_id AS "boardId", b.title AS "boardTitle", b.slug AS "boardSlug", l.title AS "listTitle",
  c.due_at AS "dueAt", c.end_at AS "endAt", c.due_complete AS "dueComplete"`;

/** The board member `m` may see card `c`: all of them, or (assigned-only roles) the ones assigned to @userId. */
const SEES_CARD = `(m.role NOT IN (${ASSIGNED_ONLY_ROLES.map((role) => `'${role}'`).join(', ')})
  OR EXISTS (SELECT 1 FROM card_assignees sa WHERE sa.card_id = c.id AND sa.user_id = @userId))`;

// Live cards on live boards, lists and swimlanes where the user is an active member (and may see them).
const MEMBER_CARDS = `FROM cards c
  JOIN boards b ON b.id = c.board_id AND b.archived = 0
  JOIN lists l ON l.id = c.list_id AND l.archived = 0
  JOIN swimlanes s ON s.id = c.swimlane_id AND s.archived = 0
  JOIN board_members m ON m.board_id = b.id AND m.user_id = @userId AND m.is_active = 1
  WHERE c.archived = 0 AND ${SEES_CARD}`;

/**
 * Runs a write that adds or removes many comments or checklist items at once (a checklist with its items,
 * an import, a copy, a deletion) in one transaction whose search rows are refreshed once per card at its
 * end, instead of once per row, each time reading all the others (migration 0022). PostgreSQL keeps no
 * search rows: it reads comments and items when it searches.
 */
export async function inSearchBulk<T>(sql: Sql, work: () => Promise<T>): Promise<T> {
  if (sql.dialect === 'postgres') return await sql.transaction(work);
  return await sql.transaction(async () => {
    // nested bulk writes (an import inside a copy): only the outermost refreshes and resumes
    const outermost = await sql.run('INSERT OR IGNORE INTO card_search_paused (id) VALUES (1)') === 1;
    const result = await work();
    if (outermost) {
      await sql.run(`DELETE FROM card_search WHERE rowid IN
        (SELECT r.fts_rowid FROM card_search_dirty d JOIN card_search_rows r ON r.card_id = d.card_id)`);
      await sql.run(`INSERT INTO card_search (rowid, title, description, comments, items)
        SELECT r.fts_rowid, s.title, s.description, s.comments, s.items
        FROM card_search_dirty d JOIN card_search_rows r ON r.card_id = d.card_id JOIN card_search_source s ON s.card_id = d.card_id`);
      await sql.run('DELETE FROM card_search_dirty');
      await sql.run('DELETE FROM card_search_paused');
    }
    return result;
  });
}

export class Search {
  constructor(private readonly sql: Sql) {}

  async cards(userId: string, typed: string, limit = 50): Promise<FoundCard[]> {
    const words = searchWords(typed);
    if (!words.length) return [];
    const found = this.sql.dialect === 'postgres' ? this.foundOnPostgres(userId, words, limit) : this.foundOnSqlite(userId, words, limit);
    // A no-comments member searches titles, descriptions and checklist items only.
    const results = [...await found(false, "<> 'no-comments'"), ...await found(true, "= 'no-comments'")];
    return results.sort((a, b) => a.rank - b.rank).slice(0, limit).map(({ rank: _rank, ...card }) => card);
  }

  /** FTS5: the words as prefixes, all of them; `withoutComments` limits them to the other columns. */
  private foundOnSqlite(userId: string, words: string[], limit: number) {
    const query = words.map((w) => `"${w}"*`).join(' ');
    return (withoutComments: boolean, roles: string) => this.sql.all<FoundCard & { rank: number }>(
      `SELECT ${FOUND_COLUMNS}, snippet(card_search, -1, '', '', '…', 12) AS excerpt, card_search.rank AS rank
         FROM card_search JOIN card_search_rows r ON r.fts_rowid = card_search.rowid JOIN cards c ON c.id = r.card_id
         JOIN boards b ON b.id = c.board_id AND b.archived = 0
         JOIN lists l ON l.id = c.list_id AND l.archived = 0
         JOIN swimlanes s ON s.id = c.swimlane_id AND s.archived = 0
         JOIN board_members m ON m.board_id = b.id AND m.user_id = @userId AND m.is_active = 1 AND m.role ${roles}
         WHERE card_search MATCH @match AND c.archived = 0 AND ${SEES_CARD}
         ORDER BY rank LIMIT @limit`,
      { userId, match: `${withoutComments ? '{title description items} : ' : ''}(${query})`, limit });
  }

  /**
   * tsvector: the words as prefixes, all of them; comments are weight D of the document (migration 0015),
   * so `withoutComments` matches weights A to C only. Best first: rank is the negated ts_rank.
   */
  private foundOnPostgres(userId: string, words: string[], limit: number) {
    return (withoutComments: boolean, roles: string) => this.sql.all<FoundCard & { rank: number }>(
      `SELECT ${FOUND_COLUMNS},
         ts_headline('wami_words', c.title || ' ' || c.description || ' '
           || coalesce((SELECT string_agg(title, ' ') FROM checklist_items WHERE card_id = c.id), '')
           || ${withoutComments ? "''" : "' ' || coalesce((SELECT string_agg(text, ' ') FROM comments WHERE card_id = c.id), '')"},
           q.query, 'StartSel="",StopSel="",MaxWords=12,MinWords=4') AS excerpt,
         -ts_rank(cs.document, q.query) AS rank
       FROM card_search cs CROSS JOIN (SELECT to_tsquery('wami_words', @match) AS query) q
         JOIN cards c ON c.id = cs.card_id
         JOIN boards b ON b.id = c.board_id AND b.archived = 0
         JOIN lists l ON l.id = c.list_id AND l.archived = 0
         JOIN swimlanes s ON s.id = c.swimlane_id AND s.archived = 0
         JOIN board_members m ON m.board_id = b.id AND m.user_id = @userId AND m.is_active = 1 AND m.role ${roles}
       WHERE cs.document @@ q.query AND c.archived = 0 AND ${SEES_CARD}
       ORDER BY rank LIMIT @limit`,
      { userId, match: words.map((w) => `${w}:*${withoutComments ? 'ABC' : ''}`).join(' & '), limit });
  }

  /** Cards the user is a member or assignee of, on boards they still belong to. */
  async mine(userId: string): Promise<FoundCard[]> {
    return await this.sql.all(`SELECT ${FOUND_COLUMNS} ${MEMBER_CARDS}
           AND (EXISTS (SELECT 1 FROM card_members x WHERE x.card_id = c.id AND x.user_id = @userId)
             OR EXISTS (SELECT 1 FROM card_assignees x WHERE x.card_id = c.id AND x.user_id = @userId))
         ORDER BY lower(b.title), l.sort, c.sort`, { userId }) as FoundCard[];
  }

  /**
   * WeKan's "my cards" (GET /api/user/cards): the live cards the user is a member or assignee of, on
   * boards they are an active member of, by due date (none first, as WeKan's sort has it); with `due`,
   * only cards with a due date, within [from, to] where given (ISO instants).
   */
  async personCards(userId: string, due: { from: string | null; to: string | null } | null): Promise<PersonCard[]> {
    return await this.sql.all<PersonCard>(`SELECT c.id AS "_id", c.title, c.board_id AS "boardId", c.swimlane_id AS "swimlaneId",
           c.list_id AS "listId", c.due_at AS "dueAt", c.start_at AS "startAt", c.end_at AS "endAt"
         FROM cards c JOIN board_members m ON m.board_id = c.board_id AND m.user_id = @userId AND m.is_active = 1
         WHERE c.archived = 0 AND ${SEES_CARD}
           AND (EXISTS (SELECT 1 FROM card_members x WHERE x.card_id = c.id AND x.user_id = @userId)
             OR EXISTS (SELECT 1 FROM card_assignees x WHERE x.card_id = c.id AND x.user_id = @userId))
           AND (@due = 0 OR (c.due_at IS NOT NULL AND (CAST(@dueFrom AS TEXT) IS NULL OR c.due_at >= @dueFrom)
                                              AND (CAST(@dueTo AS TEXT) IS NULL OR c.due_at <= @dueTo)))
         ORDER BY (c.due_at IS NULL) DESC, c.due_at, c.id`,
    { userId, due: due ? 1 : 0, dueFrom: due?.from ?? null, dueTo: due?.to ?? null });
  }

  /** Unfinished cards with a due date on the user's boards, soonest first. */
  async due(userId: string, limit = 500): Promise<FoundCard[]> {
    return await this.sql.all(`SELECT ${FOUND_COLUMNS} ${MEMBER_CARDS} AND c.due_at IS NOT NULL AND c.end_at IS NULL AND c.due_complete = 0
         ORDER BY c.due_at LIMIT @limit`, { userId, limit }) as FoundCard[];
  }

  /** Cards with any date (due, start or end) in [from, to), for the calendar: one board's, or the user's own. */
  async dated(userId: string, from: string, to: string, scope: { boardId: string } | { mine: true }): Promise<DatedCard[]> {
    const boardId = 'boardId' in scope ? scope.boardId : null;
    const mine = 'mine' in scope ? 1 : 0;
    return await this.sql.all(`SELECT ${FOUND_COLUMNS}, c.start_at AS "startAt" ${MEMBER_CARDS}
           AND (CAST(@boardId AS TEXT) IS NULL OR c.board_id = @boardId)
           AND (@mine = 0 OR EXISTS (SELECT 1 FROM card_members x WHERE x.card_id = c.id AND x.user_id = @userId)
                          OR EXISTS (SELECT 1 FROM card_assignees x WHERE x.card_id = c.id AND x.user_id = @userId))
           AND ((c.due_at >= @from AND c.due_at < @to) OR (c.start_at >= @from AND c.start_at < @to)
             OR (c.end_at >= @from AND c.end_at < @to))
         ORDER BY coalesce(c.due_at, c.start_at, c.end_at)`, { userId, from, to, boardId, mine }) as DatedCard[];
  }
}

/** A card of "my cards", in WeKan's field names (members and assignees are added by the API). */
export interface PersonCard {
  _id: string;
  title: string;
  boardId: string;
  swimlaneId: string;
  listId: string;
  dueAt: string | null;
  startAt: string | null;
  endAt: string | null;
}

export interface DatedCard extends FoundCard {
  startAt: string | null;
}
