// The all-boards page (/), creating boards, archived boards, and WeKan's /boards redirects.
import type { Localized } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { checkTitle } from '../validation.js';
import { loadBoard, need, requireUser } from '../web/access.js';
import { formBody, text } from '../web/forms.js';
import { locationOf, seeOther } from '../web/redirect.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';

async function showBoards(request: FastifyRequest, reply: FastifyReply, form: { title?: string; error?: Localized } = {}, status = 200) {
  const user = requireUser(request);
  return reply.page('boards', {
    title: messagesFor(request).t('boards.title'),
    // the boards of which they are a member, then those shared with their e-mail domain
    boards: [...await request.server.store.boards.forMember(user.id, false), ...await request.server.store.boards.sharedByDomain(user.id)],
    newTitle: form.title ?? '',
    error: form.error ?? null,
  }, status);
}

export const boardListPages: FastifyPluginAsync = async (app) => {
  app.get('/', async (request, reply) => await showBoards(request, reply));

  app.post('/boards', async (request, reply) => {
    const user = requireUser(request);
    const typed = text(formBody(request), 'title');
    const title = checkTitle(typed, 'boardTitle');
    if (!title.ok) return showBoards(request, reply, { title: typed, error: title.error }, 422);
    const board = await request.server.store.boards.create(user.id, title.value);
    return seeOther(request, reply, urls.board(board));
  });

  app.get('/archived-boards', async (request, reply) => {
    const user = requireUser(request);
    return reply.page('archived-boards', {
      title: messagesFor(request).t('archivedBoards.title'),
      boards: await request.server.store.boards.forMember(user.id, true),
    });
  });

  app.post<{ Params: { boardId: string } }>('/b/:boardId/:slug/archive', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    await request.server.store.boards.setArchived(user.id, access.board.id, true);
    return seeOther(request, reply, '/');
  });

  app.post<{ Params: { boardId: string } }>('/b/:boardId/:slug/restore', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    await request.server.store.boards.setArchived(user.id, access.board.id, false);
    return seeOther(request, reply, urls.board(access.board));
  });

  // WeKan's older URL shapes keep working (bookmarks, links in mails).
  app.get('/boards', (request, reply) => reply.redirect(locationOf(request, '/'), 301));
  app.get<{ Params: { boardId: string; slug: string; cardId?: string } }>(
    '/boards/:boardId/:slug/:cardId?',
    (request, reply) => {
      const { boardId, slug, cardId } = request.params;
      const path = `/b/${encodeURIComponent(boardId)}/${encodeURIComponent(slug)}${cardId ? `/${encodeURIComponent(cardId)}` : ''}`;
      return reply.redirect(locationOf(request, path), 301);
    },
  );
};
