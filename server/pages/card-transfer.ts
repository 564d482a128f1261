// Deleting a card (after a confirmation page), copying it to any board the user may write, and
// moving it to another board: two steps without JavaScript (pick the board, then its list).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import { copyCardWithFiles } from '../files/copied-files.js';
import { may } from '../permissions.js';
import { loadBoard, loadCard, need, requireUser } from '../web/access.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { refusal } from '../web/refusals.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';
import type { Localized } from '../i18n/messages.js';

type CardParams = { Params: { boardId: string; slug: string; cardId: string } };

const ACTIONS = {
  copy: { path: 'copy' },
  move: { path: 'move-to-board' },
} as const;

type Action = keyof typeof ACTIONS;

/** The card with the caller's role, who must be allowed to do `action` with it (edit: copy, delete). */
async function loadForChange(request: FastifyRequest<CardParams>, action: 'edit' | 'move-to-board' = 'edit') {
  const access = await loadBoard(request, request.params.boardId);
  const user = need(access, action, request);
  return { access, user, card: (await loadCard(request, access, request.params.cardId)) };
}

async function showTransfer(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, card: Card, action: Action,
  targetId: string, error: Localized | null = null, status = 200) {
  const { store } = request.server;
  const user = requireUser(request);
  const boards = (await store.boards.forMember(user.id, false))
    .filter((b) => may(b.role, 'edit') && (action === 'copy' || b.id !== access.board.id));
  const target = boards.find((b) => b.id === targetId) ?? null;
  return reply.page('card-transfer', {
    title: messagesFor(request).t(`cardTransfer.${action}PageTitle`, { card: card.title }),
    board: access.board, card, boards, target,
    transfer: action,
    action: `${urls.card(access.board, card.id)}/${ACTIONS[action].path}`,
    lists: target ? (await store.lists.forBoard(target.id, false)) : [],
    swimlanes: target ? (await store.swimlanes.forBoard(target.id, false)) : [],
    errors: error ? [error] : [],
  }, status);
}

export const cardTransferPages: FastifyPluginAsync = async (app) => {
  const card = '/b/:boardId/:slug/:cardId';

  app.get<CardParams>(`${card}/delete`, async (request, reply) => {
    const { access, card: target } = await loadForChange(request);
    const { store } = request.server;
    return reply.page('card-delete', {
      title: messagesFor(request).t('cardDelete.pageTitle', { card: target.title }),
      board: access.board, card: target,
      checklists: (await store.checklists.forCard(target.id)).length,
      comments: (await store.comments.forCard(target.id)).length,
      attachments: (await store.attachments.forCard(target.id)).length,
    });
  });

  app.post<CardParams>(`${card}/delete`, async (request, reply) => {
    const { access, user, card: target } = await loadForChange(request);
    const attachmentIds = await request.server.store.cardTransfer.delete(user.id, target);
    await request.server.files.remove(attachmentIds); // after the commit: a row never names a missing file
    return seeOther(request, reply, urls.board(access.board));
  });

  for (const action of ['copy', 'move'] as const) {
    const path = `${card}/${ACTIONS[action].path}`;

    const right = action === 'move' ? 'move-to-board' : 'edit';
    app.get<CardParams & { Querystring: { boardId?: string } }>(path, async (request, reply) => {
      const { access, card: target } = await loadForChange(request, right);
      return showTransfer(request, reply, access, target, action, request.query.boardId ?? '');
    });

    app.post<CardParams>(path, async (request, reply) => {
      const { access, user, card: target } = await loadForChange(request, right);
      const body = formBody(request);
      // The target board with the caller's role on it: 404 when invisible, 403 when read-only.
      const destination = await loadBoard(request, text(body, 'boardId'));
      need(destination, 'edit', request);
      const to = { boardId: destination.board.id, listId: text(body, 'listId'), swimlaneId: text(body, 'swimlaneId') };
      try {
        if (action === 'copy') {
          const copyId = await copyCardWithFiles(request.server.store, request.server.files, user.id, target, to);
          return seeOther(request, reply, urls.card(destination.board, copyId));
        }
        await request.server.store.cardTransfer.moveToBoard(user.id, target, to);
      } catch (error) {
        const refused = refusal(error);
        if (!refused) throw error;
        return showTransfer(request, reply, access, target, action, to.boardId, refused.message, refused.status);
      }
      return seeOther(request, reply, urls.card(destination.board, target.id));
    });
  }
};
