// Comments on a card: add (members, workers, comment-only), edit one's own, delete one's own
// (board admins delete any). Each comment has its own edit page.
import { message, type Localized } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import type { Comment } from '../store/comments.js';
import { looksLikeId } from '../ids.js';
import { may } from '../permissions.js';
import { checkDescription } from '../validation.js';
import { loadBoard, loadCard, need } from '../web/access.js';
import { forbidden, notFound } from '../web/errors.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';
import { showCard } from './card.js';

type CardParams = { boardId: string; slug: string; cardId: string };
type CommentParams = { Params: CardParams & { commentId: string } };

function checkComment(raw: string): { ok: true; value: string } | { ok: false; error: Localized } {
  const checked = checkDescription(raw);
  if (!checked.ok) return { ok: false, error: message('pageErrors.commentLong', { max: 65536 }) };
  if (!checked.value.trim()) return { ok: false, error: message('pageErrors.commentEmpty') };
  return checked;
}

async function loadComment(request: FastifyRequest<CommentParams>, change: 'edit' | 'delete') {
  const access = await loadBoard(request, request.params.boardId);
  const user = need(access, 'comment', request);
  const card = await loadCard(request, access, request.params.cardId);
  const comment = looksLikeId(request.params.commentId)
    ? (await request.server.store.comments.byId(card.id, request.params.commentId)) : undefined;
  if (!comment) throw notFound();
  const own = comment.userId === user.id;
  if (change === 'edit' && !own) throw forbidden(message('errors.ownCommentsOnly'));
  if (change === 'delete' && !own && !may(access.role, 'admin')) {
    throw forbidden(message('errors.deleteOwnComments'));
  }
  return { access, user, card, comment };
}

function showComment(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, card: Card, comment: Comment,
  form: { text?: string; error?: Localized } = {}, status = 200) {
  return reply.page('comment', {
    title: messagesFor(request).t('discussion.editPageTitle'),
    board: access.board, card, comment,
    action: `${urls.card(access.board, card.id)}/comments/${comment.id}`,
    newText: form.text ?? comment.text,
    errors: form.error ? [form.error] : [],
  }, status);
}

export const commentPages: FastifyPluginAsync = async (app) => {
  const card = '/b/:boardId/:slug/:cardId';

  app.post<{ Params: CardParams }>(`${card}/comments`, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'comment', request);
    const target = await loadCard(request, access, request.params.cardId);
    const typed = text(formBody(request), 'comment');
    const comment = checkComment(typed);
    if (!comment.ok) return showCard(request, reply, access, target, { error: comment.error, commentText: typed }, 422);
    await request.server.store.comments.add(user.id, target, comment.value);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.get<CommentParams>(`${card}/comments/:commentId`, async (request, reply) => {
    const { access, card: target, comment } = await loadComment(request, 'edit');
    return showComment(request, reply, access, target, comment);
  });

  app.post<CommentParams>(`${card}/comments/:commentId`, async (request, reply) => {
    const { access, user, card: target, comment } = await loadComment(request, 'edit');
    const typed = text(formBody(request), 'comment');
    const checked = checkComment(typed);
    if (!checked.ok) return showComment(request, reply, access, target, comment, { text: typed, error: checked.error }, 422);
    await request.server.store.comments.edit(user.id, comment, checked.value);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.post<CommentParams>(`${card}/comments/:commentId/delete`, async (request, reply) => {
    const { access, user, card: target, comment } = await loadComment(request, 'delete');
    await request.server.store.comments.delete(user.id, comment);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });
};
