// A board's members page: add by username (or by email address: someone without an account gets an
// invitation by mail, Step 10) with a role, change roles, remove. Board admins only change it; every
// member sees who is there.
import { message } from '../i18n/messages.js';
import type { Localized } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import { linkMail } from '../mail/link-mail.js';
import { boardInvitationMail } from '../mail/messages.js';
import { isMemberRole, may, MEMBER_ROLES, type MemberRole } from '../permissions.js';
import type { User } from '../store/users.js';
import { checkEmail } from '../validation.js';
import { HttpError } from '../web/errors.js';
import { siteSettings } from '../web/site.js';
import { messagesFor } from '../web/language.js';
import { loadBoard, need } from '../web/access.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { refusalOf } from '../web/refusals.js';
import { publicUrl, urls } from '../web/urls.js';

type BoardParams = { Params: { boardId: string; slug: string } };
type MemberParams = { Params: { boardId: string; slug: string; userId: string } };

/** What adding by address does here, said under the field. */
const ADD_HINTS = { on: 'members.byMail', 'mail-off': 'members.mailOff', 'no-address': 'members.noAddress' } as const;

async function showMembers(request: FastifyRequest, reply: FastifyReply, access: BoardAccess,
  form: { username?: string; role?: string; error?: Localized; sent?: string } = {}, status = 200) {
  return reply.page('members', {
    title: messagesFor(request).t('members.pageTitle', { board: access.board.title }),
    board: access.board,
    members: await request.server.store.members.forBoard(access.board.id),
    canAdmin: !access.board.archived && may(access.role, 'admin'),
    roles: MEMBER_ROLES,
    username: form.username ?? '',
    role: form.role ?? 'normal',
    errors: form.error ? [form.error] : [],
    sent: form.sent ?? null,
    addHint: ADD_HINTS[linkMail(request.server.wamiConfig)],
  }, status);
}

/** How long an invitation by mail works. */
const INVITATION_DAYS = 7;
/** Invitations to one address for one board a day: a typo'd address is not flooded. */
const INVITATIONS_PER_DAY = 3;

/**
 * "Add" with an email address: an invitation goes by mail, whether an account uses the address or not
 * (the answer must not tell which); its link joins the board with that account or a new one. With
 * email off, or no public address for the link, the admin is told to add people by username instead.
 */
async function addByEmail(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, inviter: User,
  form: { username: string; role: MemberRole }) {
  const { store } = request.server;
  const email = checkEmail(form.username);
  if (!email.ok) return showMembers(request, reply, access, { ...form, error: email.error }, 422);
  if (linkMail(request.server.wamiConfig) !== 'on') {
    return showMembers(request, reply, access, { ...form, error: message('pageErrors.invitationsOff') }, 422);
  }
  const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  if (await store.boardInvitations.countFor(access.board.id, email.value, since) >= INVITATIONS_PER_DAY) {
    throw new HttpError(429, message('errors.tooManyInvitations'), message('errors.tooManyInvitationsDetail', { email: email.value, count: INVITATIONS_PER_DAY }),
      { 'Retry-After': '3600' });
  }
  await store.atomically(async () => {
    const token = await store.boardInvitations.issue(access.board.id, email.value, form.role, inviter.id, INVITATION_DAYS * 24);
    // in the inviter's language: the invited person has no account, hence no language of their own yet
    await store.outbox.enqueue(boardInvitationMail(messagesFor(request), email.value, inviter.username, access.board.title, siteSettings(request).siteTitle,
      publicUrl(request.server.wamiConfig, `/enroll-account/${token}`)!, INVITATION_DAYS));
  });
  return showMembers(request, reply, access, {
    sent: messagesFor(request).t('pageErrors.invitationSent', { role: message(`roles.${form.role}`), email: email.value, days: INVITATION_DAYS }),
  });
}

async function addMember(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, actor: User,
  form: { username: string; role: MemberRole }) {
  const refused = await refusalOf(async () => {
    await request.server.store.members.add(actor.id, access.board.id, form.username, form.role);
  });
  if (refused) return showMembers(request, reply, access, { ...form, error: refused.message }, refused.status);
  return seeOther(request, reply, urls.boardPage(access.board, 'members'));
}

const INVALID_ROLE = 'Choose a role from the list: admin, normal, comment-only, no-comments or worker.';

export const memberPages: FastifyPluginAsync = async (app) => {
  app.get<BoardParams>('/b/:boardId/:slug/members', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'view', request);
    return showMembers(request, reply, access);
  });

  app.post<BoardParams>('/b/:boardId/:slug/members', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    const body = formBody(request);
    const form = { username: text(body, 'username').trim(), role: text(body, 'role') };
    if (!isMemberRole(form.role)) return showMembers(request, reply, access, { ...form, error: INVALID_ROLE }, 422);
    const checked = { username: form.username, role: form.role };
    // a username may look like an address ("jane@example.org", from LDAP): an account so named is added as such
    const byAddress = form.username.includes('@') && !await request.server.store.users.byUsername(form.username);
    return byAddress ? addByEmail(request, reply, access, user, checked) : addMember(request, reply, access, user, checked);
  });

  app.post<MemberParams>('/b/:boardId/:slug/members/:userId', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    const role = text(formBody(request), 'role');
    if (!isMemberRole(role)) return showMembers(request, reply, access, { error: INVALID_ROLE }, 422);
    const refused = await refusalOf(async () => {
      await request.server.store.members.setRole(user.id, access.board.id, request.params.userId, role);
    });
    if (refused) return showMembers(request, reply, access, { error: refused.message }, refused.status);
    return seeOther(request, reply, urls.boardPage(access.board, 'members'));
  });

  app.post<MemberParams>('/b/:boardId/:slug/members/:userId/remove', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    const refused = await refusalOf(async () => {
      await request.server.store.members.remove(user.id, access.board.id, request.params.userId);
    });
    if (refused) return showMembers(request, reply, access, { error: refused.message }, refused.status);
    return seeOther(request, reply, urls.boardPage(access.board, 'members'));
  });
};
