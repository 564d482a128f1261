// The card page (WeKan's card popup as a full page): title, description, move, archive and restore.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import { InvalidTargetError } from '../store/cards.js';
import { may } from '../permissions.js';
import { checkDescription, checkTitle } from '../validation.js';
import { loadBoard, loadCard, need } from '../web/access.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { urls } from '../web/urls.js';
import { parsePlacement } from './board.js';

type CardParams = { Params: { boardId: string; slug: string; cardId: string } };

interface CardForm {
  title?: string;
  description?: string;
  error?: string | null;
}

function showCard(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, card: Card,
  form: CardForm = {}, status = 200) {
  const { store } = request.server;
  const { board, role } = access;
  const live = !board.archived && !card.archived;
  return reply.page('card', {
    title: card.title,
    board,
    card,
    ...store.cards.people(card),
    list: store.lists.byId(board.id, card.listId),
    swimlane: store.swimlanes.byId(board.id, card.swimlaneId),
    lists: store.lists.forBoard(board.id, false),
    swimlanes: store.swimlanes.forBoard(board.id, false),
    siblings: store.cards.cellTitles(card.listId, card.swimlaneId).filter((c) => c.id !== card.id),
    canEdit: live && may(role, 'edit'),
    canMove: live && may(role, 'move'),
    canRestore: !board.archived && !!card.archived && may(role, 'edit'),
    newTitle: form.title ?? card.title,
    newDescription: form.description ?? card.description,
    error: form.error ?? null,
  }, status);
}

/** Loads board and card, and checks that the caller may act on the card (not archived, unless restoring). */
function loadForChange(request: FastifyRequest<CardParams>, action: 'edit' | 'move') {
  const access = loadBoard(request, request.params.boardId);
  const user = need(access, action, request);
  const card = loadCard(request, access, request.params.cardId);
  return { access, user, card };
}

export const cardPages: FastifyPluginAsync = async (app) => {
  const path = '/b/:boardId/:slug/:cardId';

  app.get<CardParams>(path, (request, reply) => {
    const access = loadBoard(request, request.params.boardId);
    return showCard(request, reply, access, loadCard(request, access, request.params.cardId));
  });

  app.post<CardParams>(`${path}/title`, (request, reply) => {
    const { access, user, card } = loadForChange(request, 'edit');
    const typed = text(formBody(request), 'title');
    const title = checkTitle(typed, 'Card title');
    if (!title.ok) return showCard(request, reply, access, card, { title: typed, error: title.error }, 422);
    if (title.value !== card.title) request.server.store.cards.rename(user.id, card, title.value);
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  app.post<CardParams>(`${path}/description`, (request, reply) => {
    const { access, user, card } = loadForChange(request, 'edit');
    const typed = text(formBody(request), 'description');
    const description = checkDescription(typed);
    if (!description.ok) {
      return showCard(request, reply, access, card, { description: typed, error: description.error }, 422);
    }
    if (description.value !== card.description) request.server.store.cards.describe(user.id, card, description.value);
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  app.post<CardParams>(`${path}/move`, (request, reply) => {
    const { access, user, card } = loadForChange(request, 'move');
    const body = formBody(request);
    try {
      request.server.store.cards.move(user.id, access.board.id, [card.id], {
        listId: text(body, 'listId') || card.listId,
        swimlaneId: text(body, 'swimlaneId') || card.swimlaneId,
        placement: parsePlacement(text(body, 'position')),
      });
    } catch (error) {
      if (!(error instanceof InvalidTargetError)) throw error;
      return showCard(request, reply, access, card, { error: error.message }, 422);
    }
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  for (const [action, archived] of [['archive', true], ['restore', false]] as const) {
    app.post<CardParams>(`${path}/${action}`, (request, reply) => {
      const { access, user, card } = loadForChange(request, 'edit');
      request.server.store.cards.setArchived(user.id, access.board.id, [card.id], archived);
      return seeOther(request, reply, archived ? urls.board(access.board) : urls.card(access.board, card.id));
    });
  }
};
