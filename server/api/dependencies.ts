// Card dependencies through the API (WeKan 11's server/models/dependencies.js): a board's lines, a
// card's own lines, and adding (or re-styling), changing and removing one. The target is another card of
// the same board. WeKan answers 200 to changing or removing a line that is not there; Wami 404.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { message } from '../i18n/messages.js';
import {
  DEFAULT_LOOK, isDependencyColor, isDependencyIcon, isDependencyType, type Dependency, type DependencyLook,
} from '../store/dependencies.js';
import { cardScope, loadBoard, loadCard, need, requireUser } from '../web/access.js';
import { field, has } from './fields.js';
import { ApiError } from './scope.js';

type CardParams = { Params: { boardId: string; cardId: string } };
type LineParams = { Params: { boardId: string; cardId: string; targetId: string } };

/** The look the body asks for, each part checked; parts it leaves out are `current`'s. */
function lookFrom(request: FastifyRequest, current: DependencyLook): DependencyLook {
  const given = (name: string) => (has(request, name) && field(request, name) !== '' ? field(request, name) : undefined);
  const type = given('type') ?? current.type;
  const color = given('color') ?? current.color;
  const icon = given('icon') ?? current.icon;
  if (!isDependencyType(type)) throw new ApiError(422, 'invalid', message('api.dependencyType'));
  if (!isDependencyColor(color)) throw new ApiError(422, 'invalid', message('api.dependencyColor'));
  if (!isDependencyIcon(icon)) throw new ApiError(422, 'invalid', message('api.dependencyIcon'));
  return { type, color, icon };
}

const asWekan = ({ targetId, type, color, icon }: Dependency) => ({ cardId: targetId, type, color, icon });

export const dependencyRoutes: FastifyPluginAsync = async (app) => {
  const onCard = '/api/boards/:boardId/cards/:cardId/dependencies';

  app.get<{ Params: { boardId: string } }>('/api/boards/:boardId/dependencies', async (request) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    const scope = await cardScope(request, access);
    const seen = (line: Dependency) => !scope || (scope.has(line.cardId) && scope.has(line.targetId));
    return (await request.server.store.dependencies.ofBoard(access.board.id)).filter(seen).map((line) => ({
      from: line.cardId, fromTitle: line.fromTitle, fromCardNumber: null,
      to: line.targetId, toTitle: line.toTitle, toCardNumber: null,
      type: line.type, color: line.color, icon: line.icon,
    }));
  });

  app.get<CardParams>(onCard, async (request) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    const card = await loadCard(request, access, request.params.cardId);
    const scope = await cardScope(request, access);
    return (await request.server.store.dependencies.ofCard(card.id)).filter((line) => !scope || scope.has(line.targetId)).map(asWekan);
  });

  app.post<CardParams>(onCard, async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const card = await loadCard(request, access, request.params.cardId);
    const targetId = field(request, 'cardId') || field(request, 'dependsOn');
    if (!targetId || targetId === card.id) throw new ApiError(422, 'invalid', message('api.dependencyTarget'));
    const { store } = request.server;
    const target = await loadCard(request, access, targetId).catch(() => undefined);
    if (!target) throw new ApiError(404, 'not-found', message('api.dependencyTarget'));
    const existing = (await store.dependencies.ofCard(card.id)).find((line) => line.targetId === target.id);
    const look = lookFrom(request, existing ?? DEFAULT_LOOK);
    await store.dependencies.set(user.id, card, target, look);
    return { _id: card.id, cardId: target.id, ...look };
  });

  app.put<LineParams>(`${onCard}/:targetId`, async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const card = await loadCard(request, access, request.params.cardId);
    const { store } = request.server;
    const existing = (await store.dependencies.ofCard(card.id)).find((line) => line.targetId === request.params.targetId);
    if (!existing) throw new ApiError(404, 'not-found', message('api.noDependency', { id: request.params.targetId }));
    if (!['type', 'color', 'icon'].some((name) => has(request, name))) throw new ApiError(400, 'bad-request', message('api.dependencyChange'));
    const look = lookFrom(request, existing);
    await store.dependencies.set(user.id, card, (await store.cards.byId(access.board.id, existing.targetId))!, look);
    return { _id: card.id };
  });

  app.delete<LineParams>(`${onCard}/:targetId`, async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const card = await loadCard(request, access, request.params.cardId);
    if (!await request.server.store.dependencies.remove(user.id, card, request.params.targetId)) {
      throw new ApiError(404, 'not-found', message('api.noDependency', { id: request.params.targetId }));
    }
    return { _id: card.id };
  });
};
