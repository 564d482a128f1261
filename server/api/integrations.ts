// A board's outgoing webhooks through the API (WeKan's "integrations"): list, add, read, change,
// delete; board admins only. What they receive, and when: server/webhooks/.
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Integration } from '../store/integrations.js';
import { webhookUrlProblem } from '../webhooks/addresses.js';
import { checkTitle } from '../validation.js';
import { loadBoard, loadIntegration, need } from '../web/access.js';
import { booleanField, field, has, listField } from './fields.js';
import { ApiError, checked } from './scope.js';

type BoardParams = { Params: { boardId: string } };
type IntegrationParams = { Params: { boardId: string; integrationId: string } };

/** WeKan's integration document, with Wami's delivery state beside it. */
async function integrationDocument(request: FastifyRequest, i: Integration) {
  return {
    _id: i.id, enabled: i.enabled === 1, title: i.title, type: 'outgoing-webhooks', url: i.url, token: i.token ?? '',
    boardId: i.boardId, userId: i.userId, activities: i.activities, createdAt: i.createdAt, modifiedAt: i.modifiedAt,
    deliveries: await request.server.store.integrations.deliveryState(i.id),
  };
}

async function loadAdminBoard(request: FastifyRequest<BoardParams>) {
  const access = await loadBoard(request, request.params.boardId);
  return { user: need(access, 'admin', request), access, board: access.board };
}

async function loadAdminIntegration(request: FastifyRequest<IntegrationParams>) {
  const { user, access, board } = await loadAdminBoard(request);
  return { user, board, integration: (await loadIntegration(request, access, request.params.integrationId)) };
}

function checkedUrl(request: FastifyRequest): string {
  const url = field(request, 'url').trim();
  const problem = webhookUrlProblem(url, request.server.wamiConfig.webhookPrivate);
  if (problem) throw new ApiError(422, 'invalid', problem);
  return url;
}

export const integrationRoutes: FastifyPluginAsync = async (app) => {
  const base = '/api/boards/:boardId/integrations';

  app.get<BoardParams>(base, async (request) => {
    const { board } = await loadAdminBoard(request);
    return Promise.all((await request.server.store.integrations.forBoard(board.id)).map((i) => integrationDocument(request, i)));
  });

  app.post<BoardParams>(base, async (request) => {
    const { user, board } = await loadAdminBoard(request);
    const type = field(request, 'type');
    if (type && type !== 'outgoing-webhooks') throw new ApiError(422, 'invalid', message('api.webhooksOnly'));
    const url = checkedUrl(request);
    const title = has(request, 'title') && field(request, 'title') ? checked(checkTitle(field(request, 'title'))) : '';
    const made = await request.server.store.integrations.create(user.id, board.id, { title, url, token: field(request, 'token') || null });
    return { _id: made.id };
  });

  app.get<IntegrationParams>(`${base}/:integrationId`, async (request) => await integrationDocument(request, (await loadAdminIntegration(request)).integration));

  app.put<IntegrationParams>(`${base}/:integrationId`, async (request) => {
    const { integration } = await loadAdminIntegration(request);
    await request.server.store.integrations.update(integration, {
      url: has(request, 'url') ? checkedUrl(request) : undefined,
      title: has(request, 'title') ? (field(request, 'title') ? checked(checkTitle(field(request, 'title'))) : '') : undefined,
      token: has(request, 'token') ? field(request, 'token') || null : undefined,
      enabled: has(request, 'enabled') ? booleanField(request, 'enabled') : undefined,
    });
    return { _id: integration.id };
  });

  // the activity types a webhook is told of: WeKan's POST adds to them, DELETE takes away; both answer {_id, activities}
  for (const method of ['POST', 'DELETE'] as const) {
    app.route<IntegrationParams>({ method, url: `${base}/:integrationId/activities`, handler: async (request) => {
      const { integration } = await loadAdminIntegration(request);
      const named = listField(request, 'activities');
      if (!named.length || named.some((type) => !/^[A-Za-z][\w-]{0,99}$/.test(type))) throw new ApiError(422, 'invalid', message('api.activityTypes'));
      const activities = method === 'POST'
        ? [...new Set([...integration.activities, ...named])]
        : integration.activities.filter((type) => !named.includes(type));
      await request.server.store.integrations.setActivities(integration, activities);
      return { _id: integration.id, activities };
    } });
  }

  app.delete<IntegrationParams>(`${base}/:integrationId`, async (request) => {
    const { integration } = await loadAdminIntegration(request);
    await request.server.store.integrations.delete(integration);
    return { _id: integration.id };
  });
};
