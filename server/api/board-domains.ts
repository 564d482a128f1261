// Sharing a board with an e-mail domain through the API (WeKan 11's /api/boards/:boardId/domains, its
// issue 5850): list (whoever sees the board; WeKan lets anyone signed in), add one, remove one (board
// admins). Each answers the board's domains as WeKan does, [{domain, isActive}]. An address's domain
// sees the board as a visitor of a public board would (store/boards.ts).
import type { FastifyPluginAsync } from 'fastify';
import { message } from '../i18n/messages.js';
import { emailDomain } from '../domains.js';
import { loadBoard, need, requireUser } from '../web/access.js';
import { field } from './fields.js';
import { ApiError } from './scope.js';

type BoardParams = { Params: { boardId: string } };

export const boardDomainRoutes: FastifyPluginAsync = async (app) => {
  app.get<BoardParams>('/api/boards/:boardId/domains', async (request) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    return request.server.store.boards.domains(access.board.id);
  });

  app.post<BoardParams>('/api/boards/:boardId/domains', async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'admin', request);
    const domain = emailDomain(field(request, 'domain'));
    if (!domain) throw new ApiError(422, 'invalid', message('api.domain', { domain: field(request, 'domain') }));
    await request.server.store.boards.addDomain(user.id, access.board.id, domain);
    return request.server.store.boards.domains(access.board.id);
  });

  app.delete<BoardParams & { Params: { domain: string } }>('/api/boards/:boardId/domains/:domain', async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'admin', request);
    const domain = request.params.domain.trim().toLowerCase();
    if (!await request.server.store.boards.removeDomain(user.id, access.board.id, domain)) {
      throw new ApiError(404, 'not-found', message('api.noDomain', { domain }));
    }
    return request.server.store.boards.domains(access.board.id);
  });
};
