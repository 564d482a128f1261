// /enroll-account/:token (Step 10, WeKan's URL): where an invitation by mail to a board leads. Someone
// signed in joins the board with their account; anyone else chooses a username and password, and the new
// account gets the invited address, joins the board with the role chosen, and is signed in (or signs in
// first, and comes back). The invitation is the permission, so this works on sites where sign-up is
// closed or invite-only too. A used, expired or unknown link: one 404 page.
import { message } from '../i18n/messages.js';
import type { Localized } from '../i18n/messages.js';
import { messagesFor } from '../web/language.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { hashPassword } from '../passwords.js';
import type { BoardInvitation } from '../store/board-invitations.js';
import { EmailTakenError, UsernameTakenError } from '../store/users.js';
import { checkPasswordTypedTwice, checkUsername } from '../validation.js';
import { requireUser } from '../web/access.js';
import { HttpError } from '../web/errors.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { startSession } from '../web/session.js';
import { urls } from '../web/urls.js';

type TokenParams = { Params: { token: string } };

const invalidInvitation = () => new HttpError(404, message('errors.invitationInvalid'), message('errors.invitationInvalidDetail'));

async function show(request: FastifyRequest<TokenParams>, reply: FastifyReply, invitation: BoardInvitation,
  form: { username?: string; errors?: Localized[] } = {}, status = 200) {
  const viewer = request.viewer?.user;
  // someone on the board already keeps their role: the page says so rather than promise another
  const access = viewer ? await request.server.store.boards.access(invitation.boardId, viewer.id) : undefined;
  return reply.page('enroll-account', {
    title: messagesFor(request).t('enroll.pageTitle', { board: invitation.boardTitle }),
    token: request.params.token,
    boardTitle: invitation.boardTitle,
    invitedBy: invitation.invitedBy,
    role: invitation.role,
    email: invitation.email,
    username: form.username ?? '',
    errors: form.errors ?? [],
    signedInAs: viewer?.username ?? null,
    memberAs: access && access.role !== 'visitor' ? access.role : null,
    signInUrl: `/sign-in?next=${encodeURIComponent(`/enroll-account/${request.params.token}`)}`,
  }, status);
}

export const enrollPages: FastifyPluginAsync = async (app) => {
  app.get<TokenParams>('/enroll-account/:token', async (request, reply) => {
    const invitation = await request.server.store.boardInvitations.peek(request.params.token);
    if (!invitation) throw invalidInvitation();
    return await show(request, reply, invitation);
  });

  // No session to bind a CSRF token to: the secret token in the URL is the proof (as for a reset link).
  app.post<TokenParams>('/enroll-account/:token', { config: { csrf: false } }, async (request, reply) => {
    const { store } = request.server;
    const invitation = await store.boardInvitations.peek(request.params.token);
    if (!invitation) throw invalidInvitation();
    const body = formBody(request);
    const typed = text(body, 'username');
    const username = checkUsername(typed);
    const password = checkPasswordTypedTwice(text(body, 'password'), text(body, 'password2'));
    if (!username.ok || !password.ok) {
      const errors = [username, password].flatMap((c) => (c.ok ? [] : [c.error]));
      return await show(request, reply, invitation, { username: typed, errors }, 422);
    }
    const passwordHash = await hashPassword(password.value); // before the transaction: it takes a while
    let user;
    try {
      user = await store.atomically(async () => {
        if (!await store.boardInvitations.use(request.params.token)) throw invalidInvitation();
        const made = await store.users.create({ username: username.value, email: invitation.email, passwordHash, emailProven: true });
        await store.members.add(made.id, invitation.boardId, made.username, invitation.role);
        return made;
      });
    } catch (error) {
      if (error instanceof UsernameTakenError) {
        return await show(request, reply, invitation, { username: typed, errors: [message('pageErrors.usernameTaken')] }, 409);
      }
      if (error instanceof EmailTakenError) {
        throw new HttpError(409, message('errors.accountExists'), message('errors.accountExistsDetail', { email: invitation.email }));
      }
      throw error;
    }
    await startSession(request, reply, user);
    const board = (await store.boards.byId(invitation.boardId))!;
    return seeOther(request, reply, urls.board(board));
  });

  // The signed-in viewer joins with their own account (the form carries their CSRF token).
  app.post<TokenParams>('/enroll-account/:token/join', async (request, reply) => {
    const viewer = requireUser(request);
    const { store } = request.server;
    const invitation = await store.boardInvitations.peek(request.params.token);
    if (!invitation) throw invalidInvitation();
    await store.atomically(async () => {
      if (!await store.boardInvitations.use(request.params.token)) throw invalidInvitation();
      // a member already keeps the role they have: an old invitation never lowers it
      const access = await store.boards.access(invitation.boardId, viewer.id);
      if (!access || access.role === 'visitor') await store.members.add(viewer.id, invitation.boardId, viewer.username, invitation.role);
    });
    const board = (await store.boards.byId(invitation.boardId))!;
    return seeOther(request, reply, urls.board(board));
  });
};
