// WeKan 11's bulk card routes: make many cards in a list, delete many cards, add and remove labels on
// many cards. Each call is one transaction: one bad entry (a title too long, an unknown card or label)
// answers its error, naming the entry, and nothing is changed; WeKan instead does what it can and
// reports the rest. At most MAX.cardsPerBulkCall cards a call, as WeKan.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { message } from '../i18n/messages.js';
import { MAX } from '../limits.js';
import { refusal } from '../web/refusals.js';
import { cardScope, loadBoard, loadLane, need, requireUser } from '../web/access.js';
import { createCard } from './cards.js';
import { jsonField } from './fields.js';
import { ApiError } from './scope.js';
import type { BoardAccess } from '../store/boards.js';

type BoardParams = { Params: { boardId: string } };

/** The body's list `name`: 1 to MAX.cardsPerBulkCall entries (400 otherwise, as WeKan). */
function bulkList(request: FastifyRequest, name: string): unknown[] {
  const value = jsonField(request, name);
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX.cardsPerBulkCall) {
    throw new ApiError(400, 'bad-request', message('api.bulkList', { name, max: MAX.cardsPerBulkCall }));
  }
  return value;
}

/** A list of ids (strings), each at most once. */
function idList(request: FastifyRequest, name: string, required: boolean): string[] {
  if (!required && jsonField(request, name) === undefined) return [];
  const ids = bulkList(request, name);
  if (ids.some((id) => typeof id !== 'string')) throw new ApiError(400, 'bad-request', message('api.bulkList', { name, max: MAX.cardsPerBulkCall }));
  return [...new Set(ids as string[])];
}

/** An entry's refusal, named by its place in the list. */
function atEntry(name: string, index: number, error: unknown): unknown {
  const known = error instanceof ApiError ? error : refusal(error);
  if (!known) return error;
  const status = error instanceof ApiError ? error.status : known.status;
  const code = error instanceof ApiError ? error.error : 'invalid';
  const problem = error instanceof ApiError ? error.reason : known.message;
  return new ApiError(status, code, message('api.bulkItem', { name, index, problem }));
}

/** The board's cards among `ids` (archived too, when asked); 404 naming the others. */
async function boardCards(request: FastifyRequest, access: BoardAccess, ids: string[], archivedToo: boolean) {
  const found = [];
  const missing = [];
  const scope = await cardScope(request, access); // a card the caller may not see is not found either
  for (const id of ids) {
    const card = await request.server.store.cards.byId(access.board.id, id);
    if (card && (archivedToo || !card.archived) && (!scope || scope.has(card.id))) found.push(card);
    else missing.push(id);
  }
  if (missing.length) throw new ApiError(404, 'not-found', message('api.bulkNotFound', { ids: missing.join(', ') }));
  return found;
}

export const cardBulkRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Params: { boardId: string; listId: string } }>('/api/boards/:boardId/lists/:listId/cards/bulk', async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const list = await loadLane(request, access, 'list', request.params.listId);
    const entries = bulkList(request, 'cards');
    const defaults = request.body as Record<string, unknown>;
    const made = await request.server.store.atomically(async () => {
      const ids: { index: number; _id: string }[] = [];
      for (const [index, entry] of entries.entries()) {
        if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw atEntry('cards', index, new ApiError(422, 'invalid', message('api.bulkEntry')));
        // each entry is read as the body of a card of its own, so it is checked exactly as one
        const body = { swimlaneId: defaults.swimlaneId, ...entry };
        const entryRequest = Object.create(request, { body: { value: body } }) as FastifyRequest;
        try {
          ids.push({ index, _id: (await createCard(entryRequest, access, user.id, list.id)).id });
        } catch (error) {
          throw atEntry('cards', index, error);
        }
      }
      return ids;
    });
    return made;
  });

  app.delete<BoardParams>('/api/boards/:boardId/cards/bulk', async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const cards = await boardCards(request, access, idList(request, 'cardIds', true), true);
    const { store, files } = request.server;
    const attachmentIds = await store.atomically(async () => {
      const ids: string[] = [];
      for (const card of cards) ids.push(...await store.cardTransfer.delete(user.id, card));
      return ids;
    });
    await files.remove(attachmentIds); // after the commit: a row never names a missing file
    return { deleted: cards.map((card) => card.id), notFound: [] };
  });

  app.post<BoardParams>('/api/boards/:boardId/cards/labels', async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const cardIds = idList(request, 'cardIds', true);
    const add = idList(request, 'addLabelIds', false);
    const remove = new Set(idList(request, 'removeLabelIds', false));
    if (!add.length && !remove.size) throw new ApiError(400, 'bad-request', message('api.bulkLabelsNeeded'));
    const { store } = request.server;
    const known = new Set((await store.labels.forBoard(access.board.id)).map((label) => label.id));
    const unknown = [...add, ...remove].filter((id) => !known.has(id));
    if (unknown.length) throw new ApiError(422, 'invalid', message('api.noLabels', { labels: unknown.join(', ') }));
    const cards = await boardCards(request, access, cardIds, false);
    const updated = await store.atomically(async () => {
      const results: { _id: string; labelIds: string[] }[] = [];
      for (const card of cards) {
        const labelIds = [...new Set([...(await store.labels.onCard(card.id)).filter((id) => !remove.has(id)), ...add])];
        await store.labels.setOnCard(user.id, card, labelIds);
        results.push({ _id: card.id, labelIds });
      }
      return results;
    });
    return { updated, notFound: [] };
  });
};
