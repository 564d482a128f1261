// What hangs on a card, through the API: comments, checklists and their items, and the board's
// attachments (WeKan's shapes, including its quirk that deleting a comment answers the card's id).
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { looksLikeId } from '../ids.js';
import { may } from '../permissions.js';
import { checkDescription, checkTitle } from '../validation.js';
import { cardScope, loadBoard, loadCard, need, requireUser } from '../web/access.js';
import { notFound } from '../web/errors.js';
import { urls } from '../web/urls.js';
import { booleanField, field, has, listField } from './fields.js';
import { ApiError, checked } from './scope.js';

type CardParams = { Params: { boardId: string; cardId: string } };
type CommentParams = { Params: { boardId: string; cardId: string; commentId: string } };
type ChecklistParams = { Params: { boardId: string; cardId: string; checklistId: string } };
type ItemParams = { Params: { boardId: string; cardId: string; checklistId: string; itemId: string } };

/** The board (with the caller's role) and the card, for a route under /api/boards/:b/cards/:c. */
async function loadOnCard(request: FastifyRequest<{ Params: { boardId: string; cardId: string } }>) {
  const user = requireUser(request);
  const access = await loadBoard(request, request.params.boardId);
  return { user, access, card: (await loadCard(request, access, request.params.cardId)) };
}

async function loadChecklist(request: FastifyRequest<ChecklistParams>) {
  const loaded = await loadOnCard(request);
  const checklist = looksLikeId(request.params.checklistId)
    ? (await request.server.store.checklists.byId(loaded.card.id, request.params.checklistId)) : undefined;
  if (!checklist) throw notFound();
  return { ...loaded, checklist };
}

export const cardPartRoutes: FastifyPluginAsync = async (app) => {
  const onCard = '/api/boards/:boardId/cards/:cardId';

  app.get<CardParams>(`${onCard}/comments`, async (request) => {
    const { access, card } = await loadOnCard(request);
    need(access, 'see-comments', request);
    return (await request.server.store.comments.forCard(card.id)).map((c) => ({ _id: c.id, comment: c.text, authorId: c.userId }));
  });

  app.get<CommentParams>(`${onCard}/comments/:commentId`, async (request) => {
    const { access, card } = await loadOnCard(request);
    need(access, 'see-comments', request);
    const comment = looksLikeId(request.params.commentId) ? (await request.server.store.comments.byId(card.id, request.params.commentId)) : undefined;
    if (!comment) throw notFound();
    return { _id: comment.id, boardId: comment.boardId, cardId: comment.cardId, text: comment.text, userId: comment.userId,
      createdAt: comment.createdAt, modifiedAt: comment.modifiedAt };
  });

  app.post<CardParams>(`${onCard}/comments`, async (request) => {
    const { user, access, card } = await loadOnCard(request);
    need(access, 'comment', request);
    const text = checked(checkDescription(field(request, 'comment')));
    if (!text.trim()) throw new ApiError(422, 'invalid', message('api.commentEmpty'));
    return { _id: (await request.server.store.comments.add(user.id, card, text)).id };
  });

  app.delete<CommentParams>(`${onCard}/comments/:commentId`, async (request) => {
    const { user, access, card } = await loadOnCard(request);
    need(access, 'comment', request);
    const comment = looksLikeId(request.params.commentId) ? (await request.server.store.comments.byId(card.id, request.params.commentId)) : undefined;
    if (!comment) throw notFound();
    if (comment.userId !== user.id && !may(access.role, 'admin')) throw new ApiError(403, 'Forbidden', message('api.deleteComment'));
    await request.server.store.comments.delete(user.id, comment);
    return { _id: card.id }; // sic: WeKan answers the card's id
  });

  app.get<CardParams>(`${onCard}/checklists`, async (request) => {
    const { card } = await loadOnCard(request);
    return (await request.server.store.checklists.forCard(card.id)).map((c) => ({ _id: c.id, title: c.title }));
  });

  app.get<ChecklistParams>(`${onCard}/checklists/:checklistId`, async (request) => {
    const { card, checklist } = await loadChecklist(request);
    const items = (await request.server.store.checklists.forCard(card.id)).find((c) => c.id === checklist.id)?.items ?? [];
    return { _id: checklist.id, cardId: card.id, title: checklist.title, sort: checklist.sort, finishedAt: checklist.finishedAt,
      items: items.map((i) => ({ _id: i.id, title: i.title, isFinished: !!i.isFinished })) };
  });

  app.post<CardParams>(`${onCard}/checklists`, async (request) => {
    const { user, access, card } = await loadOnCard(request);
    need(access, 'edit', request);
    const title = checked(checkTitle(field(request, 'title')));
    // listField refuses more values than a field carries before any is checked; the store, more items than a checklist holds
    const items = listField(request, 'items').map((item) => checked(checkTitle(item, 'item')));
    return { _id: (await request.server.store.checklists.create(user.id, card, title, items)).id };
  });

  app.delete<ChecklistParams>(`${onCard}/checklists/:checklistId`, async (request) => {
    const { user, access, checklist } = await loadChecklist(request);
    need(access, 'edit', request);
    await request.server.store.checklists.delete(user.id, checklist);
    return { _id: checklist.id };
  });

  app.post<ChecklistParams>(`${onCard}/checklists/:checklistId/items`, async (request) => {
    const { user, access, checklist } = await loadChecklist(request);
    need(access, 'edit', request);
    return { _id: (await request.server.store.checklists.addItem(user.id, checklist, checked(checkTitle(field(request, 'title'), 'item')))).id };
  });

  for (const method of ['get', 'put', 'delete'] as const) {
    app[method]<ItemParams>(`${onCard}/checklists/:checklistId/items/:itemId`, async (request) => {
      const { user, access, card, checklist } = await loadChecklist(request);
      const { store } = request.server;
      const item = looksLikeId(request.params.itemId) ? (await store.checklists.itemById(checklist.id, request.params.itemId)) : undefined;
      if (!item) throw notFound();
      if (method === 'get') return { _id: item.id, checklistId: checklist.id, cardId: card.id, title: item.title, sort: item.sort, isFinished: !!item.isFinished };
      need(access, 'edit', request);
      if (method === 'delete') {
        await store.checklists.deleteItem(user.id, item);
        return { _id: item.id };
      }
      const title = has(request, 'title') ? checked(checkTitle(field(request, 'title'), 'item')) : undefined;
      await store.atomically(async () => {
        if (title !== undefined && title !== item.title) await store.checklists.renameItem(user.id, item, title);
        if (has(request, 'isFinished')) {
          const finished = new Set(((await store.checklists.forCard(card.id)).find((c) => c.id === checklist.id)?.items ?? [])
            .filter((i) => i.isFinished).map((i) => i.id));
          if (booleanField(request, 'isFinished')) finished.add(item.id);
          else finished.delete(item.id);
          await store.checklists.setFinished(user.id, checklist, [...finished]);
        }
      });
      return { _id: item.id };
    });
  }

  app.get<{ Params: { boardId: string } }>('/api/boards/:boardId/attachments', async (request) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    const { board } = access;
    const scope = await cardScope(request, access);
    return (await request.server.store.attachments.forBoard(board.id)).filter((a) => !scope || scope.has(a.cardId)).map((a) => {
      const url = urls.attachmentFile(board, a.cardId, a.id, a.name);
      return { attachmentId: a.id, attachmentName: a.name, attachmentType: a.type, url, urlDownload: url,
        boardId: board.id, swimlaneId: a.swimlaneId, listId: a.listId, cardId: a.cardId };
    });
  });
};
