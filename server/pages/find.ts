// Finding cards across boards: /global-search (full text), /my-cards, /due-cards; and /public, the
// public boards anyone may read.
import type { FastifyPluginAsync } from 'fastify';
import { messagesFor } from '../web/language.js';
import { requireUser } from '../web/access.js';

export const findPages: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { q?: string } }>('/global-search', async (request, reply) => {
    const user = requireUser(request);
    const q = (request.query.q ?? '').slice(0, 200);
    const { t } = messagesFor(request);
    return reply.page('global-search', {
      title: q ? t('search.titleFor', { q }) : t('layout.search'),
      q,
      searched: q.trim() !== '',
      results: await request.server.store.search.cards(user.id, q),
    });
  });

  app.get('/my-cards', async (request, reply) => {
    const user = requireUser(request);
    const { t } = messagesFor(request);
    return reply.page('card-list', {
      title: t('layout.myCards'),
      intro: t('search.mineIntro'),
      empty: t('search.mineEmpty'),
      cards: await request.server.store.search.mine(user.id),
    });
  });

  app.get('/due-cards', async (request, reply) => {
    const user = requireUser(request);
    const { t } = messagesFor(request);
    return reply.page('card-list', {
      title: t('search.dueTitle'),
      intro: t('search.dueIntro'),
      empty: t('search.dueEmpty'),
      cards: await request.server.store.search.due(user.id),
    });
  });

  app.get('/public', async (request, reply) => {
    return reply.page('public', { title: messagesFor(request).t('layout.publicBoards'), boards: (await request.server.store.boards.publicBoards()) });
  });
};
