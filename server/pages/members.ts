// A board's members page: add by username with a role, change roles, remove. Board admins only
// change it; every member sees who is there.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import { isMemberRole, may, MEMBER_ROLES } from '../permissions.js';
import { loadBoard, need } from '../web/access.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { refusal } from '../web/refusals.js';
import { urls } from '../web/urls.js';

type BoardParams = { Params: { boardId: string; slug: string } };
type MemberParams = { Params: { boardId: string; slug: string; userId: string } };

async function showMembers(request: FastifyRequest, reply: FastifyReply, access: BoardAccess,
  form: { username?: string; role?: string; error?: string } = {}, status = 200) {
  return reply.page('members', {
    title: `Members of ${access.board.title}`,
    board: access.board,
    members: await request.server.store.members.forBoard(access.board.id),
    canAdmin: !access.board.archived && may(access.role, 'admin'),
    roles: MEMBER_ROLES,
    username: form.username ?? '',
    role: form.role ?? 'normal',
    errors: form.error ? [form.error] : [],
  }, status);
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
    try {
      await request.server.store.members.add(user.id, access.board.id, form.username, form.role);
    } catch (error) {
      const refused = refusal(error);
      if (!refused) throw error;
      return showMembers(request, reply, access, { ...form, error: refused.message }, refused.status);
    }
    return seeOther(request, reply, urls.boardPage(access.board, 'members'));
  });

  app.post<MemberParams>('/b/:boardId/:slug/members/:userId', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    const role = text(formBody(request), 'role');
    if (!isMemberRole(role)) return showMembers(request, reply, access, { error: INVALID_ROLE }, 422);
    try {
      await request.server.store.members.setRole(user.id, access.board.id, request.params.userId, role);
    } catch (error) {
      const refused = refusal(error);
      if (!refused) throw error;
      return showMembers(request, reply, access, { error: refused.message }, refused.status);
    }
    return seeOther(request, reply, urls.boardPage(access.board, 'members'));
  });

  app.post<MemberParams>('/b/:boardId/:slug/members/:userId/remove', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    try {
      await request.server.store.members.remove(user.id, access.board.id, request.params.userId);
    } catch (error) {
      const refused = refusal(error);
      if (!refused) throw error;
      return showMembers(request, reply, access, { error: refused.message }, refused.status);
    }
    return seeOther(request, reply, urls.boardPage(access.board, 'members'));
  });
};
