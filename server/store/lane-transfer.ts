// Copying and moving a whole list or swimlane to another board (and copying one within its board): the
// cards go with it by card-transfer.ts's rules, and the labels they carry that the target board lacks are
// made there first by name and colour, so no card loses a label on the way (as WeKan 11 does, #5158).
// A move keeps the lane's id; a copy is a new lane at the end, which the caller may then place.
import { message } from '../i18n/messages.js';
import type { Sql } from './sql.js';
import { lockBoards, type Activities } from './activities.js';
import { assertWipRoom, InvalidTargetError, type Card, type Cards } from './cards.js';
import type { CardTransfer } from './card-transfer.js';
import type { Dependencies } from './dependencies.js';
import type { Labels } from './labels.js';
import type { Lane, Lanes } from './lanes.js';
import { inSearchBulk } from './search.js';
import { now } from './time.js';

/** Where a list's cards go on the target board: one of its live swimlanes. */
export interface ListDestination {
  boardId: string;
  /** Within the board, null keeps each card in its swimlane. */
  swimlaneId: string | null;
}

/** Files copied ahead for a copy: the copy's attachment id by the original's. */
export type CopiedFiles = Map<string, string>;

export class LaneTransfer {
  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
    private readonly cards: Cards,
    private readonly cardTransfer: CardTransfer,
    private readonly labels: Labels,
    private readonly lists: Lanes,
    private readonly swimlanes: Lanes,
    private readonly dependencies: Dependencies,
  ) {}

  /** A new list at the right end of the target board, with the list's live cards copied into it. */
  readonly copyList = async (userId: string, list: Lane, to: ListDestination, files: CopiedFiles): Promise<string> =>
    inSearchBulk(this.sql, async (): Promise<string> => {
      await lockBoards(this.sql, list.boardId, to.boardId);
      if (to.boardId !== list.boardId && !to.swimlaneId) throw new InvalidTargetError(message('refusals.chooseCell'));
      await this.assertLiveSwimlane(to);
      const cards = await this.cards.ofLane(list.boardId, 'list', list.id, false);
      await this.addMissingLabels(userId, 'list', list, to.boardId);
      const copyId = (await this.lists.create(userId, to.boardId, list.title, list)).id;
      for (const card of cards) {
        const swimlaneId = to.swimlaneId ?? card.swimlaneId;
        await this.cardTransfer.copyCard(userId, card, { boardId: to.boardId, listId: copyId, swimlaneId }, card.sort, files);
      }
      return copyId;
    });

  /** The list itself, with every card on it (archived ones too), to the bottom of a swimlane of another board. */
  readonly moveList = async (userId: string, list: Lane, to: ListDestination & { swimlaneId: string }): Promise<void> =>
    inSearchBulk(this.sql, async () => {
      if (to.boardId === list.boardId) throw new InvalidTargetError(message('refusals.sameBoard'));
      await lockBoards(this.sql, list.boardId, to.boardId);
      await this.assertLiveSwimlane(to);
      await this.lists.assertRoom(to.boardId);
      const cards = await this.cards.ofLane(list.boardId, 'list', list.id, true);
      await this.addMissingLabels(userId, 'list', list, to.boardId);
      await this.sql.run('UPDATE lists SET board_id = ?, sort = ?, modified_at = ? WHERE id = ?',
        to.boardId, await this.lists.nextSort(to.boardId), now(), list.id);
      for (const card of cards) {
        await this.cardTransfer.carryCard(userId, card, { boardId: to.boardId, listId: list.id, swimlaneId: to.swimlaneId }, card.sort);
      }
      await this.dependencies.dropSplit(cards.map((card) => card.id));
      await this.recordMove(userId, 'List', list, to.boardId);
    });

  /**
   * A new swimlane at the bottom of the target board (titled `title`), with the swimlane's live cards copied
   * into it: each into its own list within the board, else into the target's live list of the same title,
   * made when the target has none.
   */
  readonly copySwimlane = async (userId: string, swimlane: Lane, toBoardId: string, title: string, files: CopiedFiles): Promise<string> =>
    inSearchBulk(this.sql, async (): Promise<string> => {
      await lockBoards(this.sql, swimlane.boardId, toBoardId);
      const cards = await this.cards.ofLane(swimlane.boardId, 'swimlane', swimlane.id, false);
      await this.addMissingLabels(userId, 'swimlane', swimlane, toBoardId);
      const lists = await this.targetLists(userId, swimlane.boardId, cards, toBoardId);
      const copyId = (await this.swimlanes.create(userId, toBoardId, title, swimlane)).id;
      for (const [listId, count] of countBy(cards.map((card) => lists.get(card.listId)!))) await assertWipRoom(this.sql, listId, count);
      for (const card of cards) {
        await this.cardTransfer.copyCard(userId, card, { boardId: toBoardId, listId: lists.get(card.listId)!, swimlaneId: copyId }, card.sort, files);
      }
      return copyId;
    });

  /** The swimlane itself, with every card in it, to the bottom of another board; lists matched as copySwimlane does. */
  readonly moveSwimlane = async (userId: string, swimlane: Lane, toBoardId: string, title: string): Promise<void> =>
    inSearchBulk(this.sql, async () => {
      if (toBoardId === swimlane.boardId) throw new InvalidTargetError(message('refusals.sameBoard'));
      await lockBoards(this.sql, swimlane.boardId, toBoardId);
      await this.swimlanes.assertRoom(toBoardId);
      const cards = await this.cards.ofLane(swimlane.boardId, 'swimlane', swimlane.id, true);
      await this.addMissingLabels(userId, 'swimlane', swimlane, toBoardId);
      const lists = await this.targetLists(userId, swimlane.boardId, cards, toBoardId);
      const live = cards.filter((card) => !card.archived);
      for (const [listId, count] of countBy(live.map((card) => lists.get(card.listId)!))) await assertWipRoom(this.sql, listId, count);
      await this.sql.run('UPDATE swimlanes SET board_id = ?, title = ?, sort = ?, modified_at = ? WHERE id = ?',
        toBoardId, title, await this.swimlanes.nextSort(toBoardId), now(), swimlane.id);
      for (const card of cards) {
        await this.cardTransfer.carryCard(userId, card, { boardId: toBoardId, listId: lists.get(card.listId)!, swimlaneId: swimlane.id }, card.sort);
      }
      await this.dependencies.dropSplit(cards.map((card) => card.id));
      await this.recordMove(userId, 'Swimlane', swimlane, toBoardId);
    });

  private async assertLiveSwimlane(to: ListDestination): Promise<void> {
    if (to.swimlaneId === null) return;
    const live = await this.sql.one('SELECT 1 FROM swimlanes WHERE id = ? AND board_id = ? AND archived = 0', to.swimlaneId, to.boardId);
    if (!live) throw new InvalidTargetError(message('refusals.chooseCell'));
  }

  /**
   * For cards leaving their swimlane's board (or copied within it), the target list of each source list: the
   * same list within the board; else the target's first live list of the same title, or a new one like it.
   */
  private async targetLists(userId: string, fromBoardId: string, cards: Card[], toBoardId: string): Promise<Map<string, string>> {
    const targets = new Map<string, string>();
    for (const listId of new Set(cards.map((card) => card.listId))) {
      if (toBoardId === fromBoardId) {
        targets.set(listId, listId);
        continue;
      }
      const source = (await this.lists.byId(fromBoardId, listId))!;
      const same = await this.sql.value<string>(
        'SELECT id FROM lists WHERE board_id = ? AND title = ? AND archived = 0 ORDER BY sort, created_at LIMIT 1', toBoardId, source.title);
      targets.set(listId, same ?? (await this.lists.create(userId, toBoardId, source.title, source)).id);
    }
    return targets;
  }

  /** Makes on the target board the labels that the lane's cards carry and it lacks (same name and colour). */
  private async addMissingLabels(userId: string, kind: 'list' | 'swimlane', lane: Lane, toBoardId: string): Promise<void> {
    if (lane.boardId === toBoardId) return;
    const missing = await this.sql.all<{ name: string; color: string }>(`SELECT DISTINCT s.name, s.color FROM card_labels cl
        JOIN labels s ON s.board_id = cl.board_id AND s.id = cl.label_id
        JOIN cards c ON c.id = cl.card_id
        WHERE c.board_id = ? AND c.${kind === 'list' ? 'list_id' : 'swimlane_id'} = ?
          AND NOT EXISTS (SELECT 1 FROM labels t WHERE t.board_id = ? AND t.name = s.name AND t.color = s.color)
        ORDER BY s.name, s.color`, lane.boardId, lane.id, toBoardId);
    for (const label of missing) await this.labels.create(userId, toBoardId, label.name, label.color);
  }

  private async recordMove(userId: string, kind: 'List' | 'Swimlane', lane: Lane, toBoardId: string): Promise<void> {
    const ref = kind === 'List' ? 'listId' : 'swimlaneId';
    await this.activities.record(lane.boardId, userId, `move${kind}ToBoard`, { [ref]: lane.id }, { toBoardId });
    await this.activities.record(toBoardId, userId, `move${kind}FromBoard`, { [ref]: lane.id }, { fromBoardId: lane.boardId });
  }
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
