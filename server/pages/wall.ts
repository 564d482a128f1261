// The wall view for kiosk terminals: /b/:boardId/:slug/wall. Read-only, large type, no forms, and it
// refreshes forever through the same long poll as the board. After the server says it is stopping it
// waits longer before retrying; a board that is gone answers 404 with a page that retries slowly.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import { cardScope, loadBoard, visibleCards } from '../web/access.js';
import { may } from '../permissions.js';
import { HttpError } from '../web/errors.js';
import { GONE_RETRY_SECONDS, holdForChange, parseSince, RESTART_RETRY_SECONDS, sendShared } from '../web/live.js';
import { renderTemplate } from '../web/render.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';
import { boardRows, countByList } from './board.js';

type WallParams = { Params: { boardId: string; slug: string }; Querystring: { since?: string } };

function wallUrl(request: FastifyRequest<WallParams>): string {
  return `/b/${encodeURIComponent(request.params.boardId)}/${encodeURIComponent(request.params.slug)}/wall`;
}

function showWall(request: FastifyRequest<WallParams>, reply: FastifyReply, access: BoardAccess, since: number | null,
  retrySeconds: number) {
  const { board, role } = access;
  const { store } = request.server;
  return sendShared(request, reply, {
    board,
    personal: !may(role, 'see-all-cards'),
    key: ['wall', board.id, String(board.version), role, String(since ?? ''), String(retrySeconds)],
    here: (r) => {
      const { total } = r.server.waiters.watchers(board.id);
      return `${total} watching`;
    },
    render: async () => {
      const lists = await store.lists.forBoard(board.id, false);
      const swimlanes = await store.swimlanes.forBoard(board.id, false);
      const cards = visibleCards(await store.cards.faces(board.id), await cardScope(request, access));
      const perList = countByList(cards);
      return renderTemplate(request, 'wall', {
        title: messagesFor(request).t('wall.pageTitle', { board: board.title }),
        board,
        lists,
        rows: boardRows(swimlanes, lists, cards, Infinity),
        showSwimlanes: swimlanes.length > 1,
        counts: Object.fromEntries(lists.map((l) => [l.id, perList.get(l.id) ?? 0])),
        changed: since === null ? new Map() : await store.activities.changedCardsSince(board.id, since),
        // A kiosk refreshes whatever its user's setting: that is what it is for.
        refresh: `${retrySeconds};url=${urls.boardPage(board, 'wall')}/wait?since=${board.version}`,
        wall: true,
      });
    },
  });
}

/** The wall of a board that is gone (or no longer visible): 404, and try again in a minute. */
function gone(request: FastifyRequest<WallParams>, reply: FastifyReply) {
  return reply.page('wall-gone', {
    title: messagesFor(request).t('wall.goneTitle'),
    refresh: `${GONE_RETRY_SECONDS};url=${wallUrl(request)}`,
    retry: GONE_RETRY_SECONDS,
  }, 404);
}

/** loadBoard, but "not found" becomes the slowly retrying page instead of an error. */
async function loadOrGone(request: FastifyRequest<WallParams>): Promise<BoardAccess | null> {
  try {
    return await loadBoard(request, request.params.boardId);
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return null;
    throw error;
  }
}

export const wallPages: FastifyPluginAsync = async (app) => {
  app.get<WallParams>('/b/:boardId/:slug/wall', async (request, reply) => {
    const access = await loadOrGone(request);
    if (!access) return gone(request, reply);
    return showWall(request, reply, access, null, request.server.wamiConfig.refreshSeconds);
  });

  app.get<WallParams>('/b/:boardId/:slug/wall/wait', async (request, reply) => {
    const first = await loadOrGone(request);
    if (!first) return gone(request, reply);
    const since = parseSince(request.query.since);
    const reason = await holdForChange(request, reply, first.board, since);
    if (reason === 'gone') return reply.hijack();
    const access = await loadOrGone(request);
    if (!access) return gone(request, reply);
    const retry = reason === 'closing' || reason === 'busy' ? RESTART_RETRY_SECONDS : request.server.wamiConfig.refreshSeconds;
    return showWall(request, reply, access, reason === 'busy' ? null : since, retry);
  });
};
