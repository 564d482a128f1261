// Loading what a page is about together with the caller's right to it (todo.sr.ht's access.py idea):
// a board, list, swimlane, card, custom field or webhook is never fetched without the caller's role on its board, and
// "no access" and "no such thing" are the same 404.
import { message } from '../i18n/messages.js';
import type { FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import type { CustomField } from '../custom-fields.js';
import type { Integration } from '../store/integrations.js';
import type { Lane } from '../store/lanes.js';
import type { User } from '../store/users.js';
import { may, type BoardAction } from '../permissions.js';
import { looksLikeId } from '../ids.js';
import { forbidden, notFound, SignInRequired } from './errors.js';

export function requireUser(request: FastifyRequest): User {
  if (!request.viewer) throw new SignInRequired();
  return request.viewer.user;
}

/** The board named in the URL with the caller's role; 404 when missing or private to others. */
export async function loadBoard(request: FastifyRequest, boardId: string): Promise<BoardAccess> {
  if (!looksLikeId(boardId)) throw notFound();
  const access = await request.server.store.boards.access(boardId, request.viewer?.user.id ?? null);
  if (!access) {
    // A private board may be ours once we sign in.
    if (!request.viewer) throw new SignInRequired();
    throw notFound();
  }
  return access;
}

/** Refuses (403, saying what the role allows) unless the role may do the action; archived boards are read-only. */
export function need(access: BoardAccess, action: BoardAction, request: FastifyRequest): User {
  const user = requireUser(request);
  if (!may(access.role, action)) throw forbidden(message(`errors.roleAllows.${access.role}`));
  if (access.board.archived && action !== 'admin') {
    throw forbidden(message('errors.boardArchived'));
  }
  return user;
}

/**
 * The card of the board, which must also be in the list (and swimlane) that the route's path names, as
 * WeKan matches board, list and card together: a card elsewhere is not found.
 */
export async function loadCard(request: FastifyRequest, access: BoardAccess, cardId: string): Promise<Card> {
  const card = looksLikeId(cardId) ? (await request.server.store.cards.byId(access.board.id, cardId)) : undefined;
  const named = request.params as { listId?: string; swimlaneId?: string } | undefined;
  if (!card || (named?.listId !== undefined && named.listId !== card.listId)
    || (named?.swimlaneId !== undefined && named.swimlaneId !== card.swimlaneId)) throw notFound();
  const scope = await cardScope(request, access);
  if (scope && !scope.has(card.id)) throw notFound(); // an assigned-only member's card is one assigned to them
  return card;
}

/**
 * The board's cards the caller may see: null for all of them; for the assigned-only roles (WeKan 11's
 * normal-, comment- and read-assigned-only), the ids of the cards assigned to them. Every page and route
 * that lists, counts or hands on a board's cards filters by it (`visibleCards`).
 */
export async function cardScope(request: FastifyRequest, access: BoardAccess): Promise<Set<string> | null> {
  if (may(access.role, 'see-all-cards')) return null;
  const viewerId = request.viewer?.user.id;
  return new Set(viewerId ? await request.server.store.members.assignedCards(access.board.id, viewerId) : []);
}

/** The cards of `cards` within the scope (all when it is null). */
export function visibleCards<T extends { id: string }>(cards: T[], scope: Set<string> | null): T[] {
  return scope ? cards.filter((card) => scope.has(card.id)) : cards;
}

export async function loadLane(request: FastifyRequest, access: BoardAccess, kind: 'list' | 'swimlane', id: string): Promise<Lane> {
  const lanes = kind === 'list' ? request.server.store.lists : request.server.store.swimlanes;
  const lane = looksLikeId(id) ? await lanes.byId(access.board.id, id) : undefined;
  if (!lane) throw notFound();
  return lane;
}

export async function loadCustomField(request: FastifyRequest, access: BoardAccess, id: string): Promise<CustomField> {
  const field = looksLikeId(id) ? (await request.server.store.customFields.byId(access.board.id, id)) : undefined;
  if (!field) throw notFound();
  return field;
}

/** One of the board's outgoing webhooks. */
export async function loadIntegration(request: FastifyRequest, access: BoardAccess, id: string): Promise<Integration> {
  const integration = looksLikeId(id) ? (await request.server.store.integrations.byId(access.board.id, id)) : undefined;
  if (!integration) throw notFound();
  return integration;
}
