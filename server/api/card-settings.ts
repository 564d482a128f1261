// A board's card settings through the API (WeKan 11's /api/boards/:boardId/cardSettings): read by whoever
// sees the board, set (any of the keys, the others kept) by who may edit it, as WeKan; the answer is the
// whole set either way. Aging days that are not a whole number from 0 to 4000 are 422 (WeKan skips them).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { message } from '../i18n/messages.js';
import { knownKeys, readCardSettings, storedCardSettings, withValues } from '../card-settings.js';
import { loadBoard, need, requireUser } from '../web/access.js';
import { ApiError } from './scope.js';

type BoardParams = { Params: { boardId: string } };

function body(request: FastifyRequest): Record<string, unknown> {
  return request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? request.body as Record<string, unknown> : {};
}

export const cardSettingRoutes: FastifyPluginAsync = async (app) => {
  app.get<BoardParams>('/api/boards/:boardId/cardSettings', async (request) => {
    requireUser(request);
    const { board } = await loadBoard(request, request.params.boardId);
    return readCardSettings(board.cardSettings);
  });

  app.put<BoardParams>('/api/boards/:boardId/cardSettings', async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const values = body(request);
    if (knownKeys(values).length === 0) throw new ApiError(400, 'bad-request', message('api.noCardSettings'));
    const refused: string[] = [];
    const settings = withValues(readCardSettings(access.board.cardSettings), values, refused);
    if (refused.length) throw new ApiError(422, 'invalid', message('api.agingDays', { keys: refused.join(', ') }));
    await request.server.store.boards.setCardSettings(user.id, access.board, storedCardSettings(settings));
    return settings;
  });
};
