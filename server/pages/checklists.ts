// Checklists on the card page, and a page each for a checklist (rename, delete) and an item
// (rename, reorder, delete): the no-JS stand-ins for WeKan's inline editing and drag and drop.
import type { Localized } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import type { Checklist, ChecklistItem } from '../store/checklists.js';
import { looksLikeId } from '../ids.js';
import { checkTitle } from '../validation.js';
import { loadBoard, loadCard, need } from '../web/access.js';
import { notFound } from '../web/errors.js';
import { formBody, text, texts, parsePlacement } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { refusalOf } from '../web/refusals.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';
import { showCard } from './card.js';

type CardParams = { boardId: string; slug: string; cardId: string };
type ChecklistParams = { Params: CardParams & { checklistId: string } };
type ItemParams = { Params: CardParams & { checklistId: string; itemId: string } };

async function load(request: FastifyRequest<{ Params: CardParams & { checklistId: string } }>) {
  const access = await loadBoard(request, request.params.boardId);
  const user = need(access, 'edit', request);
  const card = await loadCard(request, access, request.params.cardId);
  const checklist = looksLikeId(request.params.checklistId)
    ? (await request.server.store.checklists.byId(card.id, request.params.checklistId)) : undefined;
  if (!checklist) throw notFound();
  return { access, user, card, checklist };
}

async function loadItem(request: FastifyRequest<ItemParams>) {
  const loaded = await load(request);
  const item = looksLikeId(request.params.itemId)
    ? (await request.server.store.checklists.itemById(loaded.checklist.id, request.params.itemId)) : undefined;
  if (!item) throw notFound();
  return { ...loaded, item };
}

const checklistUrl = (access: BoardAccess, card: Card, checklist: Checklist) =>
  `${urls.card(access.board, card.id)}/checklists/${checklist.id}`;

async function showChecklist(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, card: Card, checklist: Checklist,
  form: { title?: string; error?: Localized } = {}, status = 200) {
  const items = (await request.server.store.checklists.forCard(card.id)).find((c) => c.id === checklist.id)?.items ?? [];
  return reply.page('checklist', {
    title: messagesFor(request).t('checklists.heading', { title: checklist.title }),
    board: access.board, card, checklist, items,
    action: checklistUrl(access, card, checklist),
    newTitle: form.title ?? checklist.title,
    errors: form.error ? [form.error] : [],
  }, status);
}

async function showItem(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, card: Card, checklist: Checklist,
  item: ChecklistItem, form: { title?: string; error?: Localized } = {}, status = 200) {
  const items = (await request.server.store.checklists.forCard(card.id)).find((c) => c.id === checklist.id)?.items ?? [];
  return reply.page('checklist-item', {
    title: messagesFor(request).t('checklists.itemHeading', { title: item.title }),
    board: access.board, card, checklist, item,
    siblings: items.filter((i) => i.id !== item.id),
    action: `${checklistUrl(access, card, checklist)}/items/${item.id}`,
    newTitle: form.title ?? item.title,
    errors: form.error ? [form.error] : [],
  }, status);
}

export const checklistPages: FastifyPluginAsync = async (app) => {
  const card = '/b/:boardId/:slug/:cardId';

  app.post<{ Params: CardParams }>(`${card}/checklists`, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'edit', request);
    const target = await loadCard(request, access, request.params.cardId);
    const typed = text(formBody(request), 'title');
    const title = checkTitle(typed, 'checklistTitle');
    if (!title.ok) return showCard(request, reply, access, target, { error: title.error, checklistTitle: typed }, 422);
    await request.server.store.checklists.create(user.id, target, title.value);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.post<ChecklistParams>(`${card}/checklists/:checklistId/items`, async (request, reply) => {
    const { access, user, card: target, checklist } = await load(request);
    const typed = text(formBody(request), 'title');
    const title = checkTitle(typed, 'item');
    if (!title.ok) return showCard(request, reply, access, target, { error: title.error }, 422);
    await request.server.store.checklists.addItem(user.id, checklist, title.value);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.post<ChecklistParams>(`${card}/checklists/:checklistId/ticks`, async (request, reply) => {
    const { access, user, card: target, checklist } = await load(request);
    const refused = await refusalOf(async () => {
      await request.server.store.checklists.setFinished(user.id, checklist, texts(formBody(request), 'done'));
    });
    if (refused) return showCard(request, reply, access, target, { error: refused.message }, refused.status);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.get<ChecklistParams>(`${card}/checklists/:checklistId`, async (request, reply) => {
    const { access, card: target, checklist } = await load(request);
    return showChecklist(request, reply, access, target, checklist);
  });

  app.post<ChecklistParams>(`${card}/checklists/:checklistId/title`, async (request, reply) => {
    const { access, user, card: target, checklist } = await load(request);
    const typed = text(formBody(request), 'title');
    const title = checkTitle(typed, 'checklistTitle');
    if (!title.ok) return showChecklist(request, reply, access, target, checklist, { title: typed, error: title.error }, 422);
    await request.server.store.checklists.rename(user.id, checklist, title.value);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.post<ChecklistParams>(`${card}/checklists/:checklistId/delete`, async (request, reply) => {
    const { access, user, card: target, checklist } = await load(request);
    await request.server.store.checklists.delete(user.id, checklist);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.get<ItemParams>(`${card}/checklists/:checklistId/items/:itemId`, async (request, reply) => {
    const { access, card: target, checklist, item } = await loadItem(request);
    return showItem(request, reply, access, target, checklist, item);
  });

  app.post<ItemParams>(`${card}/checklists/:checklistId/items/:itemId/title`, async (request, reply) => {
    const { access, user, card: target, checklist, item } = await loadItem(request);
    const typed = text(formBody(request), 'title');
    const title = checkTitle(typed, 'item');
    if (!title.ok) return showItem(request, reply, access, target, checklist, item, { title: typed, error: title.error }, 422);
    await request.server.store.checklists.renameItem(user.id, item, title.value);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.post<ItemParams>(`${card}/checklists/:checklistId/items/:itemId/move`, async (request, reply) => {
    const { access, user, card: target, checklist, item } = await loadItem(request);
    const refused = await refusalOf(async () => {
      await request.server.store.checklists.moveItem(user.id, item, parsePlacement(text(formBody(request), 'position')));
    });
    if (refused) return showItem(request, reply, access, target, checklist, item, { error: refused.message }, refused.status);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.post<ItemParams>(`${card}/checklists/:checklistId/items/:itemId/delete`, async (request, reply) => {
    const { access, user, card: target, item } = await loadItem(request);
    await request.server.store.checklists.deleteItem(user.id, item);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });
};

