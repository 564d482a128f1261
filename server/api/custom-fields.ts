// A board's custom fields through the API (WeKan's routes): define, change, delete; dropdown choices;
// a card's value. Members who may edit the board may do all of it. Values are checked per type
// (server/custom-fields.ts); errors name the field.
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { checkFieldValue, isFieldType, type CustomField, type FieldValue } from '../custom-fields.js';
import type { BoardAccess } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import type { FieldDefinition } from '../store/custom-fields.js';
import { checkTitle } from '../validation.js';
import { cardScope, loadBoard, loadCard, loadCustomField, need, requireUser } from '../web/access.js';
import { document } from './cards.js';
import { notFound } from '../web/errors.js';
import { booleanField, field, has, jsonField, listField } from './fields.js';
import { ApiError, checked } from './scope.js';

type BoardParams = { Params: { boardId: string } };
type FieldParams = { Params: { boardId: string; fieldId: string } };
type ItemParams = { Params: { boardId: string; fieldId: string; itemId: string } };

const FLAGS = ['showOnCard', 'automaticallyOnCard', 'alwaysOnCard', 'showLabelOnMiniCard', 'showSumAtTopOfList'] as const;

export function fieldDocument(f: CustomField) {
  return {
    _id: f.id, boardIds: [f.boardId], name: f.name, type: f.type, settings: f.settings, showOnCard: f.showOnCard,
    automaticallyOnCard: f.automaticallyOnCard, alwaysOnCard: f.alwaysOnCard, showLabelOnMiniCard: f.showLabelOnMiniCard,
    showSumAtTopOfList: f.showSumAtTopOfList,
  };
}

/** A card's values as WeKan lists them: [{_id: field id, value}]. */
export async function cardFieldValues(request: FastifyRequest, cardId: string): Promise<{ _id: string; value: FieldValue }[]> {
  return [...await request.server.store.customFields.valuesOf(cardId)].map(([id, value]) => ({ _id: id, value }));
}

function definitionOf(request: FastifyRequest, current?: CustomField): Partial<FieldDefinition> {
  const change: Partial<FieldDefinition> = {};
  if (has(request, 'name') || !current) change.name = checked(checkTitle(field(request, 'name'), 'fieldName'));
  if (has(request, 'type') || !current) {
    const type = field(request, 'type');
    if (!isFieldType(type)) throw new ApiError(422, 'invalid', message('api.fieldType'));
    change.type = type;
  }
  if (has(request, 'settings')) change.settings = jsonField(request, 'settings') as FieldDefinition['settings'];
  for (const flag of FLAGS) if (has(request, flag)) change[flag] = booleanField(request, flag);
  return change;
}

async function loadEditable(request: FastifyRequest<BoardParams>): Promise<{ userId: string; access: BoardAccess }> {
  const access = await loadBoard(request, request.params.boardId);
  return { userId: need(access, 'edit', request).id, access };
}

const loadField = async (request: FastifyRequest<FieldParams>, access: BoardAccess) => await loadCustomField(request, access, request.params.fieldId);

/** Sets values on a card from a list of {_id, value} (WeKan's card `customFields`), all checked first. */
export async function applyFieldValues(request: FastifyRequest, userId: string, card: Card, entries: unknown): Promise<void> {
  if (!Array.isArray(entries)) throw new ApiError(422, 'invalid', message('api.customFieldsList'));
  const { store } = request.server;
  const timeZone = request.viewer?.user.timeZone ?? 'UTC';
  const values = new Map<CustomField, FieldValue | null>();
  for (const entry of entries as { _id?: unknown; value?: unknown }[]) {
    const fieldFound = typeof entry?._id === 'string' ? (await store.customFields.byId(card.boardId, entry._id)) : undefined;
    if (!fieldFound) throw new ApiError(422, 'invalid', message('api.noField', { id: String(entry?._id) }));
    values.set(fieldFound, checked(checkFieldValue(fieldFound, entry.value, timeZone)));
  }
  await store.customFields.setValues(userId, card, values);
}

export const customFieldRoutes: FastifyPluginAsync = async (app) => {
  const base = '/api/boards/:boardId/custom-fields';

  app.get<BoardParams>(base, async (request) => {
    requireUser(request);
    const { board } = await loadBoard(request, request.params.boardId);
    return (await request.server.store.customFields.forBoard(board.id)).map((f) => ({ _id: f.id, name: f.name, type: f.type }));
  });

  app.post<BoardParams>(base, async (request) => {
    const { userId, access } = await loadEditable(request);
    const definition = definitionOf(request) as FieldDefinition;
    return { _id: (await request.server.store.customFields.create(userId, access.board.id, { ...definition, settings: definition.settings ?? {} })).id };
  });

  // WeKan's cards whose value of the field is the one in the path (compared as WeKan stores values: as text;
  // a list of choices matches when it holds the value), as whole card documents
  app.get<FieldParams & { Params: { value: string } }>('/api/boards/:boardId/cardsByCustomField/:fieldId/:value', async (request) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    const field = await loadField(request, access);
    const scope = await cardScope(request, access);
    const wanted = request.params.value;
    const matches = (value: FieldValue) => (Array.isArray(value) ? value.includes(wanted) : String(value) === wanted);
    const found = (await request.server.store.customFields.valuesOfField(access.board.id, field.id))
      .filter((entry) => matches(entry.value) && (!scope || scope.has(entry.cardId)));
    const documents = [];
    for (const { cardId } of found) documents.push(await document(request, (await request.server.store.cards.byId(access.board.id, cardId))!));
    return documents;
  });

  app.get<FieldParams>(`${base}/:fieldId`, async (request) => {
    requireUser(request);
    return fieldDocument(await loadField(request, await loadBoard(request, request.params.boardId)));
  });

  app.put<FieldParams>(`${base}/:fieldId`, async (request) => {
    const { userId, access } = await loadEditable(request);
    const found = await loadField(request, access);
    await request.server.store.customFields.update(userId, found, definitionOf(request, found));
    return { _id: found.id };
  });

  app.delete<FieldParams>(`${base}/:fieldId`, async (request) => {
    const { userId, access } = await loadEditable(request);
    const found = await loadField(request, access);
    await request.server.store.customFields.delete(userId, found);
    return { _id: found.id };
  });

  app.post<FieldParams>(`${base}/:fieldId/dropdown-items`, async (request) => {
    const { userId, access } = await loadEditable(request);
    const found = await loadField(request, access);
    if (found.type !== 'dropdown') throw new ApiError(422, 'invalid', message('api.notDropdown', { field: found.name }));
    const names = listField(request, 'items').map((name) => checked(checkTitle(name, 'choice')));
    if (names.length === 0) throw new ApiError(422, 'invalid', message('api.itemsNeeded'));
    await request.server.store.customFields.addChoices(userId, found, names);
    return { _id: found.id };
  });

  for (const method of ['put', 'delete'] as const) {
    app[method]<ItemParams>(`${base}/:fieldId/dropdown-items/:itemId`, async (request) => {
      const { userId, access } = await loadEditable(request);
      const found = await loadField(request, access);
      if (!found.settings.dropdownItems?.some((i) => i._id === request.params.itemId)) throw notFound();
      const name = method === 'put' ? checked(checkTitle(field(request, 'name'), 'fieldName')) : null;
      await request.server.store.customFields.changeChoice(userId, found, request.params.itemId, name);
      return { _id: found.id };
    });
  }

  app.post<{ Params: { boardId: string; listId: string; cardId: string; fieldId: string } }>(
    '/api/boards/:boardId/lists/:listId/cards/:cardId/customFields/:fieldId', async (request) => {
      const { userId, access } = await loadEditable(request);
      const card = await loadCard(request, access, request.params.cardId);
      const found = await loadField(request, access);
      await applyFieldValues(request, userId, card, [{ _id: found.id, value: jsonField(request, 'value') }]);
      return { _id: card.id, customFields: await cardFieldValues(request, card.id) };
    });
};
