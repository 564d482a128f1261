// A card's dependencies: a page of its own to add a line to another card of the board (picked from a
// list, or by pasting its address: the list stops at DEPENDENCY_CHOICES cards), and removing a line from
// either of its two cards' pages.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { message, type Localized } from '../i18n/messages.js';
import type { BoardAccess } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import { DEFAULT_LOOK, DEPENDENCY_TYPES, isDependencyType } from '../store/dependencies.js';
import { looksLikeId } from '../ids.js';
import { cardScope, loadBoard, loadCard, need, visibleCards } from '../web/access.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { refusalOf } from '../web/refusals.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';

type CardParams = { Params: { boardId: string; slug: string; cardId: string } };

/** The most cards the page's list offers: a select of thousands helps nobody, and the address does the rest. */
const DEPENDENCY_CHOICES = 500;

async function showAddPage(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, card: Card,
  typed: { type: string; address: string }, error: Localized | null = null, status = 200) {
  const scope = await cardScope(request, access);
  const choices = visibleCards(await request.server.store.cards.otherTitles(access.board.id, card.id, scope ? 1_000_000 : DEPENDENCY_CHOICES + 1), scope); // an assigned-only member: all, then theirs
  return reply.page('dependency-add', {
    title: messagesFor(request).t('dependencies.addTitle', { card: card.title }),
    board: access.board, card, types: DEPENDENCY_TYPES, ...typed,
    choices: choices.slice(0, DEPENDENCY_CHOICES),
    choicesCut: choices.length > DEPENDENCY_CHOICES ? DEPENDENCY_CHOICES : null,
    errors: error ? [error] : [],
  }, status);
}

/** The card a form names: the list's choice, else the id at the end of a pasted address (or a bare id). */
async function namedCard(request: FastifyRequest, access: BoardAccess, chosen: string, address: string): Promise<Card | undefined> {
  const id = chosen || (address.trim().split(/[/?#]/).filter(Boolean).reverse().find(looksLikeId) ?? '');
  return looksLikeId(id) ? await loadCard(request, access, id).catch(() => undefined) : undefined;
}

export const dependencyPages: FastifyPluginAsync = async (app) => {
  const path = '/b/:boardId/:slug/:cardId/dependencies';

  app.get<CardParams>(path, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const card = await loadCard(request, access, request.params.cardId);
    return showAddPage(request, reply, access, card, { type: DEFAULT_LOOK.type, address: '' });
  });

  app.post<CardParams>(path, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'edit', request);
    const card = await loadCard(request, access, request.params.cardId);
    const body = formBody(request);
    const other = await namedCard(request, access, text(body, 'cardId'), text(body, 'address'));
    const type = text(body, 'type');
    const typed = { type, address: text(body, 'address') };
    if (!other || other.id === card.id) return showAddPage(request, reply, access, card, typed, message('dependencies.pickCard'), 422);
    const { store } = request.server;
    const existing = (await store.dependencies.ofCard(card.id)).find((line) => line.targetId === other.id);
    const refused = await refusalOf(async () => {
      await store.dependencies.set(user.id, card, other, { ...(existing ?? DEFAULT_LOOK), type: isDependencyType(type) ? type : DEFAULT_LOOK.type });
    });
    if (refused) return showAddPage(request, reply, access, card, typed, refused.message, refused.status);
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  app.post<CardParams>(`${path}/remove`, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'edit', request);
    const card = await loadCard(request, access, request.params.cardId);
    const body = formBody(request);
    const otherId = text(body, 'other');
    const { store } = request.server;
    if (text(body, 'own') === '1') {
      await store.dependencies.remove(user.id, card, otherId);
    } else {
      // the line is the other card's, drawn to this one
      const other = looksLikeId(otherId) ? await store.cards.byId(access.board.id, otherId) : undefined;
      if (other) await store.dependencies.remove(user.id, other, card.id);
    }
    return seeOther(request, reply, urls.card(access.board, card.id));
  });
};
