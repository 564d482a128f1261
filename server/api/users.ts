// Signing in to the API and who the caller is: /users/login, /users/logout, /api/user,
// /api/users/:userId/boards (WeKan's shapes, see ../shared/wekan-api.md).
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Authenticator } from '../web/auth.js';
import { requireUser } from '../web/access.js';
import { hashToken, newToken } from '../web/session.js';
import { ApiError, checked } from './scope.js';
import { EmailTakenError, UsernameTakenError, type User } from '../store/users.js';
import { hashPassword } from '../passwords.js';
import { checkEmail, checkNewPassword, checkUsername } from '../validation.js';
import { siteSettings } from '../web/site.js';
import { membershipsOf, userDocument } from './documents.js';
import { booleanField, field } from './fields.js';

/** How long a token from /users/login lives (WeKan's 90 days). */
const LOGIN_TOKEN_DAYS = 90;

/** An account from a body's username, email and password (its address proven when a site admin makes it): 422 for bad values, 409 for a taken name. */
export async function createAccount(request: FastifyRequest, emailProven = false): Promise<User> {
  const username = checked(checkUsername(field(request, 'username')));
  const email = checked(checkEmail(field(request, 'email')));
  const password = checked(checkNewPassword(field(request, 'password')));
  try {
    return await request.server.store.users.create({ username, email, passwordHash: await hashPassword(password), emailProven });
  } catch (error) {
    if (error instanceof UsernameTakenError) throw new ApiError(409, 'conflict', message('pageErrors.usernameTaken'));
    if (error instanceof EmailTakenError) throw new ApiError(409, 'conflict', message('pageErrors.emailTaken'));
    throw error;
  }
}

async function issueLoginToken(request: FastifyRequest, userId: string) {
  const token = newToken();
  const expires = new Date(Date.now() + LOGIN_TOKEN_DAYS * 24 * 3600 * 1000).toISOString();
  await request.server.store.apiTokens.create(hashToken(token), userId, 'login', expires);
  return { id: userId, token, tokenExpires: expires };
}

export const loginRoutes: FastifyPluginAsync<{ authenticator: Authenticator }> = async (app, { authenticator }) => {
  app.post('/users/login', async (request) => {
    const login = field(request, 'username') || field(request, 'email');
    const result = await authenticator.check(login, field(request, 'password'), request.ip);
    if (result.outcome === 'limited') {
      throw new ApiError(429, 'too-many-requests', message('api.tooManySignIns', { seconds: result.retryAfter }),
        { 'Retry-After': String(result.retryAfter) });
    }
    if (result.outcome !== 'ok') throw new ApiError(401, 'login-failed', message('api.loginFailed'));
    return issueLoginToken(request, result.user.id);
  });

  // Only where anyone may sign up (or for the very first account); invitations go through the web page.
  app.post('/users/register', async (request) => {
    const { store } = request.server;
    if (await store.users.count() > 0 && siteSettings(request).registration !== 'open') {
      throw new ApiError(403, 'Forbidden', message('api.signUpClosed'));
    }
    const user = await createAccount(request);
    return issueLoginToken(request, user.id);
  });

  app.post('/users/logout', async (request) => {
    const user = requireUser(request);
    const { apiTokens } = request.server.store;
    if (booleanField(request, 'all')) {
      const count = await apiTokens.revokeAll(user.id, 'login');
      return { message: `Signed out everywhere: ${count} token${count === 1 ? '' : 's'} revoked.` };
    }
    await apiTokens.revoke(request.viewer!.csrfBinding.replace(/^token:/, ''));
    return { message: 'Signed out: this token is revoked.' };
  });
};

export const userRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/user', async (request) => {
    const user = requireUser(request);
    return { ...userDocument(user), boards: membershipsOf(await request.server.store.boards.forMember(user.id, false)) };
  });

  // WeKan's "my cards": ?due=true for cards with a due date only, ?from= and ?to= (ISO 8601) for a range of them
  app.get<{ Querystring: { due?: string; from?: string; to?: string } }>('/api/user/cards', async (request) => {
    const user = requireUser(request);
    const { due, from, to } = request.query;
    const instant = (name: 'from' | 'to', raw: string | undefined) => {
      if (raw === undefined || raw === '') return null;
      const time = Date.parse(raw);
      if (Number.isNaN(time)) throw new ApiError(422, 'invalid', message('api.notInstant', { name, value: raw }));
      return new Date(time).toISOString();
    };
    const range = { from: instant('from', from), to: instant('to', to) };
    const dueOnly = ['true', '1', 'yes'].includes(String(due ?? '').toLowerCase()) || range.from !== null || range.to !== null;
    const { store } = request.server;
    const cards = await store.search.personCards(user.id, dueOnly ? range : null);
    return Promise.all(cards.map(async (card) => ({
      ...card, members: await store.members.onCard(card._id, 'members'), assignees: await store.members.onCard(card._id, 'assignees'),
    })));
  });

  app.get<{ Params: { userId: string } }>('/api/users/:userId/boards', async (request) => {
    const caller = requireUser(request);
    if (caller.id !== request.params.userId && !caller.isAdmin) {
      throw new ApiError(403, 'Forbidden', message('api.ownBoardsOnly'));
    }
    return (await request.server.store.boards.forMember(request.params.userId, false)).map((b) => ({ _id: b.id, title: b.title }));
  });
};
