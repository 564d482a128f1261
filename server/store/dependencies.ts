// Card dependencies (WeKan 11's "red strings"): a typed line from one card to another of the same board,
// stored on the source card as WeKan stores it. Each card reads both its own lines and, reversed, the
// lines others draw to it: "A blocks B" is also "B is blocked by A".
import { message } from '../i18n/messages.js';
import { MAX } from '../limits.js';
import { OverLimitError } from './refused.js';
import type { Sql } from './sql.js';
import type { Activities } from './activities.js';
import type { Card } from './cards.js';
import { InvalidTargetError } from './cards.js';
import { now } from './time.js';

export const DEPENDENCY_TYPES = ['related-to', 'blocks', 'is-blocked-by', 'fixes', 'is-fixed-by'] as const;
export type DependencyType = (typeof DEPENDENCY_TYPES)[number];

/** How the other card reads a line: "blocks" seen from its target is "is-blocked-by". */
export const INVERSE: Record<DependencyType, DependencyType> = {
  'related-to': 'related-to', blocks: 'is-blocked-by', 'is-blocked-by': 'blocks', fixes: 'is-fixed-by', 'is-fixed-by': 'fixes',
};

/** WeKan's defaults for a line that names only its target. */
export const DEFAULT_LOOK = { type: 'related-to', color: '#eb144c', icon: 'link' } as const;

export interface DependencyLook {
  type: DependencyType;
  /** The line's colour (#rrggbb), as WeKan draws it. */
  color: string;
  /** A FontAwesome icon name, which Wami keeps for WeKan and does not draw. */
  icon: string;
}

/** One line as stored: from `cardId` to `targetId`. */
export interface Dependency extends DependencyLook {
  cardId: string;
  targetId: string;
}

/** A line as one card reads it: the other card, and the relation from this card's side. */
export interface DependencyView extends DependencyLook {
  otherId: string;
  otherTitle: string;
  otherArchived: 0 | 1;
  otherComplete: 0 | 1;
  /** False when the line is the other card's, read in reverse. */
  own: boolean;
}

const LINE = 'd.card_id AS "cardId", d.target_id AS "targetId", d.type, d.color, d.icon';

export function isDependencyType(value: string): value is DependencyType {
  return (DEPENDENCY_TYPES as readonly string[]).includes(value);
}

/** A colour as WeKan's pickers write it: #rgb or #rrggbb (any other CSS is refused: it reaches a style attribute). */
export function isDependencyColor(value: string): boolean {
  return /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value);
}

/** A FontAwesome icon name without its "fa-" prefix. */
export function isDependencyIcon(value: string): boolean {
  return /^[a-z0-9-]{1,40}$/.test(value);
}

/** A line's look from an export, each part WeKan's default where it is missing or not one (as WeKan reads them). */
export function lookOf(raw: { type?: unknown; color?: unknown; icon?: unknown }): DependencyLook {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    type: isDependencyType(text(raw.type)) ? text(raw.type) as DependencyType : DEFAULT_LOOK.type,
    color: isDependencyColor(text(raw.color)) ? text(raw.color) : DEFAULT_LOOK.color,
    icon: isDependencyIcon(text(raw.icon)) ? text(raw.icon) : DEFAULT_LOOK.icon,
  };
}

export class Dependencies {
  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
  ) {}

  /** The card's own lines, in WeKan's shape order (oldest first). */
  async ofCard(cardId: string): Promise<Dependency[]> {
    return await this.sql.all(`SELECT ${LINE} FROM card_dependencies d WHERE d.card_id = ? ORDER BY d.created_at, d.target_id`, cardId) as Dependency[];
  }

  /** Every line between the board's live cards. */
  async ofBoard(boardId: string): Promise<(Dependency & { fromTitle: string; toTitle: string })[]> {
    return await this.sql.all(`SELECT ${LINE}, s.title AS "fromTitle", t.title AS "toTitle" FROM card_dependencies d
        JOIN cards s ON s.id = d.card_id JOIN cards t ON t.id = d.target_id
        WHERE s.board_id = ? AND s.archived = 0 ORDER BY s.sort, d.created_at, d.target_id`, boardId) as (Dependency & { fromTitle: string; toTitle: string })[];
  }

  /** The card's lines both ways, each from the card's side: its own first, then the others'. */
  async seenFrom(cardId: string): Promise<DependencyView[]> {
    const own = await this.sql.all(`SELECT d.target_id AS "otherId", c.title AS "otherTitle", c.archived AS "otherArchived",
          c.due_complete AS "otherComplete", d.type, d.color, d.icon
        FROM card_dependencies d JOIN cards c ON c.id = d.target_id WHERE d.card_id = ? ORDER BY d.created_at, d.target_id`, cardId) as Omit<DependencyView, 'own'>[];
    const theirs = await this.sql.all(`SELECT d.card_id AS "otherId", c.title AS "otherTitle", c.archived AS "otherArchived",
          c.due_complete AS "otherComplete", d.type, d.color, d.icon
        FROM card_dependencies d JOIN cards c ON c.id = d.card_id WHERE d.target_id = ? ORDER BY d.created_at, d.card_id`, cardId) as Omit<DependencyView, 'own'>[];
    return [...own.map((line) => ({ ...line, own: true })), ...theirs.map((line) => ({ ...line, type: INVERSE[line.type], own: false }))];
  }

  /**
   * The board's cards held up by another: by a line "X blocks Y" or "Y is blocked by X" where X is live and
   * not marked complete. Answers how many cards block each blocked card.
   */
  async blockedOnBoard(boardId: string): Promise<Map<string, number>> {
    const rows = await this.sql.all(`SELECT blocked, count(DISTINCT blocker) AS n FROM (
          SELECT d.target_id AS blocked, d.card_id AS blocker FROM card_dependencies d WHERE d.type = 'blocks'
          UNION ALL SELECT d.card_id, d.target_id FROM card_dependencies d WHERE d.type = 'is-blocked-by') x
        JOIN cards b ON b.id = x.blocker AND b.archived = 0 AND b.due_complete = 0
        JOIN cards c ON c.id = x.blocked AND c.board_id = ?
        GROUP BY blocked`, boardId) as { blocked: string; n: number }[];
    return new Map(rows.map((row) => [row.blocked, Number(row.n)]));
  }

  /** Adds the line from the card to `target` (another card of its board), or changes the one there is. */
  readonly set = async (userId: string, card: Card, target: Card, look: DependencyLook): Promise<void> =>
    this.sql.transaction(async () => {
      if (target.id === card.id || target.boardId !== card.boardId) throw new InvalidTargetError(message('refusals.dependencyTarget'));
      const existing = await this.sql.one('SELECT 1 FROM card_dependencies WHERE card_id = ? AND target_id = ?', card.id, target.id);
      if (existing) {
        await this.sql.run('UPDATE card_dependencies SET type = ?, color = ?, icon = ? WHERE card_id = ? AND target_id = ?',
          look.type, look.color, look.icon, card.id, target.id);
      } else {
        const count = await this.sql.value<number>('SELECT count(*) FROM card_dependencies WHERE card_id = ?', card.id);
        if (count! >= MAX.dependenciesPerCard) {
          throw new OverLimitError(message('refusals.tooManyDependencies', { max: MAX.dependenciesPerCard }), 422);
        }
        await this.sql.run('INSERT INTO card_dependencies (card_id, target_id, type, color, icon, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          card.id, target.id, look.type, look.color, look.icon, now());
      }
      await this.activities.record(card.boardId, userId, existing ? 'changedDependency' : 'addedDependency', { cardId: card.id },
        { targetId: target.id, title: target.title, type: look.type });
    });

  /** Removes the card's line to `targetId`; false when there was none. */
  readonly remove = async (userId: string, card: Card, targetId: string): Promise<boolean> =>
    this.sql.transaction(async (): Promise<boolean> => {
      const target = await this.sql.one<{ title: string }>('SELECT title FROM cards WHERE id = ?', targetId);
      if (await this.sql.run('DELETE FROM card_dependencies WHERE card_id = ? AND target_id = ?', card.id, targetId) === 0) return false;
      await this.activities.record(card.boardId, userId, 'removedDependency', { cardId: card.id }, { targetId, title: target?.title ?? '' });
      return true;
    });

  /** Inside a move to another board: drops the lines of these cards whose two ends are now on different boards. */
  async dropSplit(cardIds: string[]): Promise<void> {
    for (const cardId of cardIds) {
      await this.sql.run(`DELETE FROM card_dependencies WHERE (card_id = ? OR target_id = ?)
          AND (SELECT board_id FROM cards WHERE id = card_id) <> (SELECT board_id FROM cards WHERE id = target_id)`, cardId, cardId);
    }
  }
}
