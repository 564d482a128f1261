// Copying and moving lists and swimlanes through the API (WeKan 11's /copy and /move): within the board
// or to another one the caller may edit, at a 0-based `position` (from the left for lists, from the top
// for swimlanes). Moving out of a board needs the same right as moving a card out of it.
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Lane } from '../store/lanes.js';
import type { Placement } from '../store/cards.js';
import { checkTitle } from '../validation.js';
import { copyListWithFiles, copySwimlaneWithFiles } from '../files/copied-files.js';
import { loadBoard, loadLane, need, requireUser } from '../web/access.js';
import { field, has } from './fields.js';
import { ApiError, checked } from './scope.js';

type LaneParams = { Params: { boardId: string; laneId: string } };

/** A 0-based position, or undefined when the body has none. */
export function positionField(request: FastifyRequest): number | undefined {
  if (!has(request, 'position') || field(request, 'position').trim() === '') return undefined;
  const position = Number(field(request, 'position'));
  if (!Number.isInteger(position) || position < 0) throw new ApiError(422, 'invalid', message('api.position'));
  return position;
}

/** Where `position` puts a lane among the others (in order): first, or after the one before it. */
export function placementAt(position: number, others: { id: string }[]): Placement {
  const before = others[Math.min(position, others.length) - 1];
  return before ? { at: 'after', id: before.id } : { at: 'top' };
}

/** The board the body's toBoardId names (the caller must be able to edit it), or the lane's own. */
async function destination(request: FastifyRequest, from: BoardAccess): Promise<BoardAccess> {
  const to = field(request, 'toBoardId') && field(request, 'toBoardId') !== from.board.id
    ? await loadBoard(request, field(request, 'toBoardId')) : from;
  need(to, 'edit', request);
  return to;
}

/** The body's toSwimlaneId on the target board, else (when `fallback`) its first live swimlane. */
async function targetSwimlane(request: FastifyRequest, to: BoardAccess, fallback: boolean): Promise<string | null> {
  if (field(request, 'toSwimlaneId')) return (await loadLane(request, to, 'swimlane', field(request, 'toSwimlaneId'))).id;
  if (!fallback) return null;
  return (await request.server.store.swimlanes.forBoard(to.board.id, false))[0]?.id ?? null;
}

/** Puts the lane at `position` among its board's live lanes, when the body named one. */
async function place(request: FastifyRequest, userId: string, kind: 'list' | 'swimlane', boardId: string, laneId: string,
  position: number | undefined): Promise<void> {
  if (position === undefined) return;
  const lanes = kind === 'list' ? request.server.store.lists : request.server.store.swimlanes;
  const lane = (await lanes.byId(boardId, laneId))!;
  const others = (await lanes.forBoard(boardId, false)).filter((other) => other.id !== laneId);
  await lanes.move(userId, lane, placementAt(position, others));
}

/** The swimlane title of a copy or move: the body's, or the swimlane's own. */
function swimlaneTitle(request: FastifyRequest, swimlane: Lane): string {
  return field(request, 'title').trim() ? checked(checkTitle(field(request, 'title'))) : swimlane.title;
}

export const laneTransferRoutes: FastifyPluginAsync = async (app) => {
  app.post<LaneParams>('/api/boards/:boardId/lists/:laneId/copy', async (request) => {
    const user = requireUser(request);
    const from = await loadBoard(request, request.params.boardId);
    need(from, 'edit', request);
    need(from, 'see-all-cards', request); // a copy holds every card of the list
    const list = await loadLane(request, from, 'list', request.params.laneId);
    const to = await destination(request, from);
    const position = positionField(request); // read before anything is written: a bad one changes nothing
    const swimlaneId = await targetSwimlane(request, to, to.board.id !== from.board.id);
    const copyId = await copyListWithFiles(request.server.store, request.server.files, user.id, list, { boardId: to.board.id, swimlaneId });
    await place(request, user.id, 'list', to.board.id, copyId, position);
    return { _id: copyId };
  });

  app.post<LaneParams>('/api/boards/:boardId/lists/:laneId/move', async (request) => {
    const user = requireUser(request);
    const from = await loadBoard(request, request.params.boardId);
    need(from, 'edit', request);
    const list = await loadLane(request, from, 'list', request.params.laneId);
    const to = await destination(request, from);
    const position = positionField(request); // read before anything is written: a bad one changes nothing
    if (to.board.id !== from.board.id) {
      need(from, 'move-to-board', request);
      need(from, 'see-all-cards', request);
      const swimlaneId = await targetSwimlane(request, to, true);
      if (!swimlaneId) throw new ApiError(422, 'invalid', message('refusals.chooseCell'));
      await request.server.store.laneTransfer.moveList(user.id, list, { boardId: to.board.id, swimlaneId });
    }
    await place(request, user.id, 'list', to.board.id, list.id, position);
    return { _id: list.id };
  });

  app.post<LaneParams>('/api/boards/:boardId/swimlanes/:laneId/copy', async (request) => {
    const user = requireUser(request);
    const from = await loadBoard(request, request.params.boardId);
    need(from, 'edit', request);
    need(from, 'see-all-cards', request);
    const swimlane = await loadLane(request, from, 'swimlane', request.params.laneId);
    const to = await destination(request, from);
    const position = positionField(request); // read before anything is written: a bad one changes nothing
    const title = swimlaneTitle(request, swimlane);
    const copyId = await copySwimlaneWithFiles(request.server.store, request.server.files, user.id, swimlane, to.board.id, title);
    await place(request, user.id, 'swimlane', to.board.id, copyId, position);
    return { _id: copyId };
  });

  app.post<LaneParams>('/api/boards/:boardId/swimlanes/:laneId/move', async (request) => {
    const user = requireUser(request);
    const from = await loadBoard(request, request.params.boardId);
    need(from, 'edit', request);
    const swimlane = await loadLane(request, from, 'swimlane', request.params.laneId);
    const to = await destination(request, from);
    const position = positionField(request); // read before anything is written: a bad one changes nothing
    const title = swimlaneTitle(request, swimlane);
    const { store } = request.server;
    if (to.board.id !== from.board.id) {
      need(from, 'move-to-board', request);
      need(from, 'see-all-cards', request);
      await store.laneTransfer.moveSwimlane(user.id, swimlane, to.board.id, title);
    } else if (title !== swimlane.title) {
      await store.swimlanes.rename(user.id, swimlane, title);
    }
    await place(request, user.id, 'swimlane', to.board.id, swimlane.id, position);
    return { _id: swimlane.id };
  });
};
