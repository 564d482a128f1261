// Lists and swimlanes through the API: create, read one, change (title, colour, WIP limit), delete.
// DELETE archives (restorable from the board's archive page): a script's mistake should not lose cards.
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Lane } from '../store/lanes.js';
import { isCardColor } from '../colors.js';
import { checkTitle, checkWipLimit } from '../validation.js';
import { loadBoard, loadLane, need, requireUser } from '../web/access.js';
import { booleanField, field, has } from './fields.js';
import { ApiError, checked } from './scope.js';

type LaneParams = { Params: { boardId: string; laneId: string } };


function laneDocument(lane: Lane, kind: 'list' | 'swimlane') {
  return {
    _id: lane.id, title: lane.title, boardId: lane.boardId, sort: lane.sort, color: lane.color,
    archived: !!lane.archived, archivedAt: lane.archivedAt, type: kind,
    ...(kind === 'list' ? {
      wipLimit: { value: lane.wipLimit ?? 0, enabled: lane.wipLimit !== null, soft: !!lane.wipSoft }, starred: !!lane.starred, collapsed: !!lane.collapsed,
    } : {}),
  };
}

export const laneRoutes: FastifyPluginAsync = async (app) => {
  for (const kind of ['list', 'swimlane'] as const) {
    const plural = `${kind}s` as const;
    const store = (request: FastifyRequest) => request.server.store[plural];

    app.post<{ Params: { boardId: string } }>(`/api/boards/:boardId/${plural}`, async (request) => {
      const user = requireUser(request);
      const access = await loadBoard(request, request.params.boardId);
      need(access, 'edit', request);
      const lane = await store(request).create(user.id, access.board.id, checked(checkTitle(field(request, 'title'))));
      return { _id: lane.id };
    });

    app.get<LaneParams>(`/api/boards/:boardId/${plural}/:laneId`, async (request) => {
      requireUser(request);
      const access = await loadBoard(request, request.params.boardId);
      return laneDocument(await loadLane(request, access, kind, request.params.laneId), kind);
    });

    app.put<LaneParams>(`/api/boards/:boardId/${plural}/:laneId`, async (request) => {
      const user = requireUser(request);
      const access = await loadBoard(request, request.params.boardId);
      need(access, 'edit', request);
      const lane = await loadLane(request, access, kind, request.params.laneId);
      const title = has(request, 'title') ? checked(checkTitle(field(request, 'title'))) : undefined;
      const color = has(request, 'color') ? field(request, 'color') || null : lane.color;
      if (color && !isCardColor(color)) throw new ApiError(422, 'invalid', message('api.unknownColour', { color }));
      const wipLimit = has(request, 'wipLimit') ? checked(checkWipLimit(field(request, 'wipLimit'))) : lane.wipLimit;
      await request.server.store.atomically(async () => {
        if (title !== undefined && title !== lane.title) await store(request).rename(user.id, lane, title);
        await store(request).setLook(user.id, lane, {
          color, wipLimit, wipSoft: !!lane.wipSoft,
          starred: has(request, 'starred') ? booleanField(request, 'starred') : !!lane.starred,
          collapsed: has(request, 'collapsed') ? booleanField(request, 'collapsed') : !!lane.collapsed,
        });
      });
      return { _id: lane.id };
    });

    app.delete<LaneParams>(`/api/boards/:boardId/${plural}/:laneId`, async (request) => {
      const user = requireUser(request);
      const access = await loadBoard(request, request.params.boardId);
      need(access, 'edit', request);
      const lane = await loadLane(request, access, kind, request.params.laneId);
      await store(request).setArchived(user.id, lane, true);
      return { _id: lane.id };
    });
  }
};
