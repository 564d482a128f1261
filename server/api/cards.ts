// Cards through the API: create, read, change (title, text, dates, people, labels, list, swimlane,
// archive), delete; plus counts. Every change is one transaction: a refused field changes nothing.
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card, CardDetails, CardWork } from '../store/cards.js';
import { isCardColor } from '../colors.js';
import { checkDescription, checkTitle, LIMITS } from '../validation.js';
import { cardScope, loadBoard, loadCard, loadLane, need, requireUser, visibleCards } from '../web/access.js';
import { cardDocument, cardSummary } from './documents.js';
import { applyFieldValues, cardFieldValues } from './custom-fields.js';
import { booleanField, dateField, field, has, jsonField, listField } from './fields.js';
import { ApiError, checked, refusedByStore } from './scope.js';
import { DEFAULT_LOOK } from '../store/dependencies.js';
import { checkLocations, checkStickers } from '../stickers-and-locations.js';

type ListParams = { Params: { boardId: string; listId: string } };
type CardParams = { Params: { boardId: string; listId: string; cardId: string } };


/** People named in a body who are members of the board (others are refused, not dropped silently). */
async function boardPeople(request: FastifyRequest, access: BoardAccess, name: string): Promise<string[] | undefined> {
  if (!has(request, name)) return undefined;
  const ids = listField(request, name);
  const members = new Set((await request.server.store.members.forBoard(access.board.id)).map((m) => m.userId));
  const strangers = ids.filter((id) => !members.has(id));
  if (strangers.length) throw new ApiError(422, 'invalid', message('api.notMembers', { users: strangers.join(', ') }));
  return ids;
}

/** The card as WeKan's GET answers it, with its people, labels, custom field values and dependencies. */
export async function document(request: FastifyRequest, card: Card) {
  const { store } = request.server;
  return cardDocument(card, {
    members: await store.members.onCard(card.id, 'members'),
    assignees: await store.members.onCard(card.id, 'assignees'),
    labelIds: await store.labels.onCard(card.id),
    customFields: await cardFieldValues(request, card.id),
    dependencies: (await store.dependencies.ofCard(card.id)).map(({ targetId, type, color, icon }) => ({ cardId: targetId, type, color, icon })),
  });
}


/** Applies the fields of a create or change body to the card, inside the caller's transaction. */
async function applyChanges(request: FastifyRequest, access: BoardAccess, userId: string, card: Card): Promise<Card> {
  const { store } = request.server;
  const boardId = access.board.id;
  if (has(request, 'title')) {
    const title = checked(checkTitle(field(request, 'title')));
    if (title !== card.title) await store.cards.rename(userId, card, title);
  }
  if (has(request, 'description')) {
    const description = checked(checkDescription(field(request, 'description')));
    if (description !== card.description) await store.cards.describe(userId, card, description);
  }
  const dates = { receivedAt: dateField(request, 'receivedAt'), startAt: dateField(request, 'startAt'),
    dueAt: dateField(request, 'dueAt'), endAt: dateField(request, 'endAt') };
  const color = has(request, 'color') ? field(request, 'color') || null : undefined;
  if (color && !isCardColor(color)) throw new ApiError(422, 'invalid', message('api.cardColour', { color }));
  const spentTime = has(request, 'spentTime') ? spentHours(field(request, 'spentTime')) : undefined;
  if (Object.values(dates).some((d) => d !== undefined) || color !== undefined || spentTime !== undefined) {
    const current = (await store.cards.byId(boardId, card.id))!;
    const details: CardDetails = {
      receivedAt: dates.receivedAt === undefined ? current.receivedAt : dates.receivedAt,
      startAt: dates.startAt === undefined ? current.startAt : dates.startAt,
      dueAt: dates.dueAt === undefined ? current.dueAt : dates.dueAt,
      endAt: dates.endAt === undefined ? current.endAt : dates.endAt,
      color: color === undefined ? current.color : color,
      spentTime: spentTime === undefined ? current.spentTime : spentTime,
    };
    await store.cards.setDetails(userId, current, details);
  }
  for (const kind of ['members', 'assignees'] as const) {
    const ids = await boardPeople(request, access, kind);
    if (ids) await store.members.setOnCard(userId, card, kind, ids);
  }
  if (has(request, 'labelIds')) {
    const labels = listField(request, 'labelIds');
    const unknown: string[] = [];
    for (const id of labels) if (!await store.labels.byId(boardId, id)) unknown.push(id);
    if (unknown.length) throw new ApiError(422, 'invalid', message('api.noLabels', { labels: unknown.join(', ') }));
    await store.labels.setOnCard(userId, card, labels);
  }
  const listId = field(request, 'listId');
  const swimlaneId = field(request, 'swimlaneId');
  if ((listId && listId !== card.listId) || (swimlaneId && swimlaneId !== card.swimlaneId)) {
    await store.cards.move(userId, boardId, [card.id], { listId: listId || card.listId, swimlaneId: swimlaneId || card.swimlaneId, placement: { at: 'bottom' } });
  }
  if (has(request, 'customFields')) await applyFieldValues(request, userId, card, jsonField(request, 'customFields'));
  if (has(request, 'stickers')) await store.cards.setExtras(userId, card, 'stickers', JSON.stringify(checked(checkStickers(jsonField(request, 'stickers')))));
  if (has(request, 'locations')) await store.cards.setExtras(userId, card, 'locations', JSON.stringify(checked(checkLocations(jsonField(request, 'locations')))));
  const work = await workChanges(request, boardId, card);
  if (Object.keys(work).length) await store.cards.setWork(userId, (await store.cards.byId(boardId, card.id))!, work);
  if (has(request, 'sort')) await store.cards.setSort(userId, boardId, card.id, sortField(request));
  if (has(request, 'archive')) await store.cards.setArchived(userId, boardId, [card.id], booleanField(request, 'archive'));
  return (await store.cards.byId(boardId, card.id))!;
}

/** A card made from the body (title, and any field a change takes) at the bottom of the list, inside the caller's transaction. */
export async function createCard(request: FastifyRequest, access: BoardAccess, userId: string, listId: string): Promise<Card> {
  const { store } = request.server;
  const swimlaneId = field(request, 'swimlaneId') || (await store.swimlanes.forBoard(access.board.id, false))[0]?.id || '';
  const linked = field(request, 'linkedId') ? await linkedCard(request, field(request, 'linkedId')) : null;
  const title = checked(checkTitle(field(request, 'title') || linked?.title || ''));
  const created = await store.cards.create(userId, { boardId: access.board.id, listId, swimlaneId, title });
  // a card linked to another of the same board is related to it (a dependency line both cards show)
  if (linked && linked.boardId === access.board.id) await store.dependencies.set(userId, created, linked, { ...DEFAULT_LOOK });
  return applyChanges(request, access, userId, created);
}

/**
 * The card WeKan's `linkedId` names (api.py's linkcard), on any board the caller may see: its title is the
 * new card's when the body has none (WeKan's REST route ignores linkedId and makes an untitled card).
 */
async function linkedCard(request: FastifyRequest, cardId: string): Promise<Card> {
  const refused = () => new ApiError(404, 'not-found', message('api.noLinkedCard', { id: cardId }));
  const card = await request.server.store.cards.anywhere(cardId);
  if (!card) throw refused();
  const access = await loadBoard(request, card.boardId).catch(() => { throw refused(); });
  const scope = await cardScope(request, access);
  if (scope && !scope.has(card.id)) throw refused();
  return card;
}

/** Hours spent: a number of at least 0, or "" for none. */
function spentHours(raw: string): number | null {
  if (raw.trim() === '') return null;
  const hours = Number(raw.replace(',', '.'));
  if (!Number.isFinite(hours) || hours < 0 || hours > 100000) throw new ApiError(422, 'invalid', message('api.spentTime'));
  return hours;
}

/** Overtime, requester, assigner and parent from the body; a parent must be another card of the board, not a subtask of this one. */
async function workChanges(request: FastifyRequest, boardId: string, card: Card): Promise<Partial<CardWork>> {
  const { store } = request.server;
  const work: Partial<CardWork> = {};
  // WeKan's REST route reads isOverTime; its documents and exports spell it isOvertime
  for (const name of ['isOvertime', 'isOverTime']) if (has(request, name)) work.isOvertime = booleanField(request, name);
  if (has(request, 'dueComplete')) work.dueComplete = booleanField(request, 'dueComplete');
  for (const name of ['requestedBy', 'assignedBy'] as const) {
    if (!has(request, name)) continue;
    const value = field(request, name).trim();
    if ([...value].length > LIMITS.title) throw new ApiError(422, 'invalid', message('api.tooLong', { name, max: LIMITS.title }));
    work[name] = value;
  }
  if (has(request, 'parentId')) {
    const parentId = field(request, 'parentId') || null;
    const seen = new Set<string>();
    for (let at = parentId; at !== null && !seen.has(at);) { // up the chain: never a loop
      const parent = await store.cards.byId(boardId, at);
      if (!parent) throw new ApiError(422, 'invalid', message('api.parentNotHere', { id: at }));
      if (parent.id === card.id) throw new ApiError(422, 'invalid', message('api.parentLoop'));
      seen.add(at);
      at = parent.parentId;
    }
    work.parentId = parentId;
  }
  return work;
}

/** WeKan's `sort`: any finite number, kept as given. */
function sortField(request: FastifyRequest): number {
  const sort = Number(field(request, 'sort'));
  if (field(request, 'sort').trim() === '' || !Number.isFinite(sort)) throw new ApiError(422, 'invalid', message('api.sortNumber'));
  return sort;
}

export const cardRoutes: FastifyPluginAsync = async (app) => {
  const listCards = '/api/boards/:boardId/lists/:listId/cards';

  app.post<ListParams>(listCards, async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const list = await loadLane(request, access, 'list', request.params.listId);
    try {
      const card = await request.server.store.atomically(() => createCard(request, access, user.id, list.id));
      return { _id: card.id };
    } catch (error) {
      return refusedByStore(error);
    }
  });

  for (const path of [`${listCards}/:cardId`, '/api/cards/:cardId']) {
    app.get<CardParams>(path, async (request) => {
      requireUser(request);
      const card = request.params.boardId ? undefined : await request.server.store.cards.anywhere(request.params.cardId);
      const access = await loadBoard(request, request.params.boardId ?? card?.boardId ?? '');
      return document(request, await loadCard(request, access, request.params.cardId));
    });
  }

  app.put<CardParams>(`${listCards}/:cardId`, async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const card = await loadCard(request, access, request.params.cardId);
    const { store } = request.server;
    // WeKan's move to another board: newBoardId with newListId (and newSwimlaneId), where the caller may edit
    const destination = field(request, 'newBoardId') ? (await loadBoard(request, field(request, 'newBoardId'))) : undefined;
    if (destination) need(destination, 'edit', request);
    if (destination && destination.board.id !== access.board.id) need(access, 'move-to-board', request);
    try {
      await store.atomically(async () => {
        const changed = await applyChanges(request, access, user.id, card);
        if (destination && destination.board.id !== access.board.id) {
          const listId = (await loadLane(request, destination, 'list', field(request, 'newListId'))).id;
          const swimlaneId = field(request, 'newSwimlaneId')
            ? (await loadLane(request, destination, 'swimlane', field(request, 'newSwimlaneId'))).id
            : (await store.swimlanes.forBoard(destination.board.id, false))[0]?.id ?? '';
          await store.cardTransfer.moveToBoard(user.id, changed, { boardId: destination.board.id, listId, swimlaneId });
        } else if (field(request, 'newListId') || field(request, 'newSwimlaneId')) {
          // WeKan's client moves a card between lists so, newBoardId being the card's own board: a move, never
          // a success that changed nothing
          const listId = field(request, 'newListId') ? (await loadLane(request, access, 'list', field(request, 'newListId'))).id : changed.listId;
          const swimlaneId = field(request, 'newSwimlaneId')
            ? (await loadLane(request, access, 'swimlane', field(request, 'newSwimlaneId'))).id : changed.swimlaneId;
          if (listId !== changed.listId || swimlaneId !== changed.swimlaneId) {
            await store.cards.move(user.id, access.board.id, [changed.id], { listId, swimlaneId, placement: { at: 'bottom' } });
          }
        }
      });
    } catch (error) {
      return refusedByStore(error);
    }
    return { _id: card.id };
  });

  app.delete<CardParams>(`${listCards}/:cardId`, async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const card = await loadCard(request, access, request.params.cardId);
    const attachmentIds = await request.server.store.cardTransfer.delete(user.id, card);
    await request.server.files.remove(attachmentIds);
    return { _id: card.id };
  });

  app.get<{ Params: { boardId: string } }>('/api/boards/:boardId/cards_count', async (request) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    return { board_cards_count: visibleCards(await request.server.store.cards.faces(access.board.id), await cardScope(request, access)).length };
  });

  app.get<ListParams>(`${listCards}_count`, async (request) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    const list = await loadLane(request, access, 'list', request.params.listId);
    return { list_cards_count: visibleCards(await request.server.store.cards.inList(access.board.id, list.id), await cardScope(request, access)).length };
  });

  app.get<{ Params: { boardId: string; swimlaneId: string } }>('/api/boards/:boardId/swimlanes/:swimlaneId/cards', async (request) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    const swimlane = await loadLane(request, access, 'swimlane', request.params.swimlaneId);
    const { store } = request.server;
    return Promise.all(visibleCards(await store.cards.inSwimlane(access.board.id, swimlane.id), await cardScope(request, access)).map(async (card) => cardSummary(card, await store.members.onCard(card.id, 'assignees'))));
  });

  app.get<ListParams>(listCards, async (request) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    const list = await loadLane(request, access, 'list', request.params.listId);
    const { store } = request.server;
    return Promise.all(visibleCards(await store.cards.inList(access.board.id, list.id), await cardScope(request, access)).map(async (card) => cardSummary(card, await store.members.onCard(card.id, 'assignees'))));
  });
};

