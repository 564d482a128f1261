// A board's outgoing webhooks as a page of their own (WeKan's board menu, "Outgoing webhooks"): board
// admins add a URL (with an optional token the receiver checks), turn it off and on, delete it, and see
// what waits or failed. The same integrations as the API's (api/integrations.ts).
import type { Localized } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import { checkTitle } from '../validation.js';
import { webhookUrlProblem } from '../webhooks/addresses.js';
import { loadBoard, loadIntegration, need } from '../web/access.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { refusalOf } from '../web/refusals.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';

type BoardParams = { Params: { boardId: string; slug: string } };
type IntegrationParams = { Params: { boardId: string; slug: string; integrationId: string } };

interface HookForm { title: string; url: string; token: string }

async function showIntegrations(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, form: HookForm = { title: '', url: '', token: '' },
  errors: Localized[] = [], status = 200) {
  const { integrations } = request.server.store;
  return reply.page('integrations', {
    title: messagesFor(request).t('integrations.pageTitle', { board: access.board.title }),
    board: access.board,
    hooks: await Promise.all((await integrations.forBoard(access.board.id)).map(async (i) => ({ ...i, state: await integrations.deliveryState(i.id) }))),
    form, errors,
  }, status);
}

async function loadAdmin(request: FastifyRequest<BoardParams>) {
  const access = await loadBoard(request, request.params.boardId);
  return { access, user: need(access, 'admin', request) };
}

async function loadHook(request: FastifyRequest<IntegrationParams>) {
  const { access } = await loadAdmin(request);
  return { access, hook: (await loadIntegration(request, access, request.params.integrationId)) };
}

export const integrationPages: FastifyPluginAsync = async (app) => {
  app.get<BoardParams>('/b/:boardId/:slug/integrations', async (request, reply) => await showIntegrations(request, reply, (await loadAdmin(request)).access));

  app.post<BoardParams>('/b/:boardId/:slug/integrations', async (request, reply) => {
    const { access, user } = await loadAdmin(request);
    const body = formBody(request);
    const form = { title: text(body, 'title').trim(), url: text(body, 'url').trim(), token: text(body, 'token').trim() };
    const errors: Localized[] = [];
    const urlProblem = webhookUrlProblem(form.url, request.server.wamiConfig.webhookPrivate);
    if (urlProblem) errors.push(urlProblem);
    const title = form.title ? checkTitle(form.title, 'name') : { ok: true as const, value: '' };
    if (!title.ok) errors.push(title.error);
    if (errors.length || !title.ok) return showIntegrations(request, reply, access, form, errors, 422);
    const refused = await refusalOf(async () => {
      await request.server.store.integrations.create(user.id, access.board.id, { title: title.value, url: form.url, token: form.token || null });
    });
    if (refused) return showIntegrations(request, reply, access, form, [refused.message], refused.status);
    return seeOther(request, reply, urls.boardPage(access.board, 'integrations'));
  });

  app.post<IntegrationParams>('/b/:boardId/:slug/integrations/:integrationId', async (request, reply) => {
    const { access, hook } = await loadHook(request);
    await request.server.store.integrations.update(hook, { enabled: text(formBody(request), 'enabled') === 'on' });
    return seeOther(request, reply, urls.boardPage(access.board, 'integrations'));
  });

  app.post<IntegrationParams>('/b/:boardId/:slug/integrations/:integrationId/delete', async (request, reply) => {
    const { access, hook } = await loadHook(request);
    await request.server.store.integrations.delete(hook);
    return seeOther(request, reply, urls.boardPage(access.board, 'integrations'));
  });
};
