// Board members through the API (board admins): add with role flags, remove (kept inactive, as WeKan),
// change a role. Answers are WeKan's: the caller's boards after add and remove.
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ROLE_FLAGS, roleFromFlags, roleNamed, type MemberRole } from '../permissions.js';
import { loadBoard, need, requireUser } from '../web/access.js';
import { booleanField, field, has } from './fields.js';
import { ApiError, refusedByStore } from './scope.js';

type MemberParams = { Params: { boardId: string; userId: string } };

/** The role the body asks for: WeKan 11's named `role` when there is one (it wins, as in WeKan), else its flags ("true" from a form counts). */
function roleFrom(request: FastifyRequest): MemberRole {
  if (has(request, 'role')) {
    const role = roleNamed(field(request, 'role'));
    if (!role) throw new ApiError(422, 'invalid', message('api.roleName', { role: field(request, 'role') }));
    return role;
  }
  return roleFromFlags(Object.fromEntries(Object.keys(ROLE_FLAGS).map((flag) => [flag, booleanField(request, flag)])));
}


export const memberRoutes: FastifyPluginAsync = async (app) => {
  const boardsOf = async (request: FastifyRequest, userId: string) =>
    (await request.server.store.boards.forMember(userId, false)).map((b) => ({ _id: b.id, title: b.title }));

  app.post<MemberParams>('/api/boards/:boardId/members/:userId/add', async (request) => {
    const caller = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'admin', request);
    const { store } = request.server;
    const user = await store.users.byId(request.params.userId);
    if (!user) throw new ApiError(404, 'not-found', message('api.noUser', { user: request.params.userId }));
    try {
      await store.members.add(caller.id, access.board.id, user.username, roleFrom(request));
    } catch (error) {
      refusedByStore(error);
    }
    return boardsOf(request, caller.id);
  });

  app.post<MemberParams>('/api/boards/:boardId/members/:userId/remove', async (request) => {
    const caller = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'admin', request);
    try {
      await request.server.store.members.remove(caller.id, access.board.id, request.params.userId);
    } catch (error) {
      refusedByStore(error);
    }
    return boardsOf(request, caller.id);
  });

  app.post<MemberParams>('/api/boards/:boardId/members/:userId', async (request) => {
    const caller = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'admin', request);
    try {
      await request.server.store.members.setRole(caller.id, access.board.id, request.params.userId, roleFrom(request));
    } catch (error) {
      refusedByStore(error);
    }
    return { _id: access.board.id };
  });
};
