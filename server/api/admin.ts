// Site administration through the API (site admins only): accounts, long-lived API tokens.
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { User } from '../store/users.js';
import { requireUser } from '../web/access.js';
import { hashToken, newToken } from '../web/session.js';
import { membershipsOf, userDocument } from './documents.js';
import { field } from './fields.js';
import { ApiError, refusedByStore } from './scope.js';
import { createAccount } from './users.js';

/** The caller, a site admin (403 otherwise). */
export function requireAdmin(request: FastifyRequest): User {
  const user = requireUser(request);
  if (!user.isAdmin) throw new ApiError(403, 'Forbidden', message('api.adminsOnly'));
  return user;
}

/** A user by id or by username (WeKan's /api/users/:idOrUsername); 404 when neither. */
async function findUser(request: FastifyRequest, idOrUsername: string): Promise<User> {
  const { users } = request.server.store;
  const user = await users.byId(idOrUsername) ?? await users.byUsername(idOrUsername);
  if (!user) throw new ApiError(404, 'not-found', message('api.noUser', { user: idOrUsername }));
  return user;
}

export const adminRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/users', async (request) => {
    requireAdmin(request);
    return (await request.server.store.users.all()).map((u) => ({ _id: u.id, username: u.username }));
  });

  app.get<{ Params: { user: string } }>('/api/users/:user', async (request) => {
    requireAdmin(request);
    const user = await findUser(request, request.params.user);
    return { ...userDocument(user), boards: membershipsOf(await request.server.store.boards.forMember(user.id, false)) };
  });

  app.post('/api/users', async (request) => {
    requireAdmin(request);
    const user = await createAccount(request, true);
    return { _id: user.id };
  });

  app.put<{ Params: { user: string } }>('/api/users/:user', async (request) => {
    const admin = requireAdmin(request);
    const user = await findUser(request, request.params.user);
    const action = field(request, 'action');
    const { store } = request.server;
    if (action === 'takeOwnership') {
      return (await store.members.takeOwnership(admin.id, user.id)).map((b) => ({ _id: b.id, title: b.title }));
    }
    if (action !== 'disableLogin' && action !== 'enableLogin') {
      throw new ApiError(422, 'invalid', message('api.adminAction'));
    }
    if (action === 'disableLogin' && user.id === admin.id) throw new ApiError(409, 'conflict', message('api.ownAccountDisable'));
    await store.users.setLoginDisabled(user.id, action === 'disableLogin');
    return { _id: user.id };
  });

  app.delete<{ Params: { user: string } }>('/api/users/:user', async (request) => {
    const admin = requireAdmin(request);
    const user = await findUser(request, request.params.user);
    if (user.id === admin.id) throw new ApiError(409, 'conflict', message('api.ownAccountDelete'));
    try {
      await request.server.store.members.deleteAccount(admin.id, user.id);
    } catch (error) {
      refusedByStore(error);
    }
    return { _id: user.id };
  });

  app.post<{ Params: { userId: string } }>('/api/createtoken/:userId', async (request) => {
    requireAdmin(request);
    const user = await findUser(request, request.params.userId);
    const token = newToken();
    await request.server.store.apiTokens.create(hashToken(token), user.id, 'api', null);
    return { _id: user.id, authToken: token };
  });

  app.post('/api/deletetoken', async (request) => {
    requireAdmin(request);
    const user = await findUser(request, field(request, 'userId'));
    const token = field(request, 'token');
    const { apiTokens } = request.server.store;
    if (token) {
      await apiTokens.revoke(hashToken(token));
      return { message: 'The token is revoked.' };
    }
    const count = await apiTokens.revokeAll(user.id);
    return { message: `${count} token${count === 1 ? '' : 's'} of ${user.username} revoked.` };
  });
};
