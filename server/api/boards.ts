// Boards, their lists and swimlanes, and the cards of a list, read through the API.
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync } from 'fastify';
import { isBoardColor, isCardColor } from '../colors.js';
import { copyBoard, copyTitle } from '../import/copy.js';
import { checkTitle } from '../validation.js';
import { loadBoard, need, requireUser } from '../web/access.js';
import { boardDocument } from './documents.js';
import { field, has } from './fields.js';
import { ApiError, checked } from './scope.js';

type BoardParams = { Params: { boardId: string } };

export const boardRoutes: FastifyPluginAsync = async (app) => {
  // WeKan: the public boards, for site admins.
  app.get('/api/boards', async (request) => {
    const user = requireUser(request);
    if (!user.isAdmin) throw new ApiError(403, 'Forbidden', message('api.listBoards'));
    return (await request.server.store.boards.publicBoards()).map((b) => ({ _id: b.id, title: b.title }));
  });

  app.post('/api/boards', async (request) => {
    const caller = requireUser(request);
    const { store } = request.server;
    const title = checked(checkTitle(field(request, 'title')));
    const ownerId = field(request, 'owner') || caller.id;
    if (ownerId !== caller.id && !caller.isAdmin) throw new ApiError(403, 'Forbidden', message('api.boardsForOthers'));
    if (!await store.users.byId(ownerId)) throw new ApiError(422, 'invalid', message('api.noUser', { user: ownerId }));
    const permission = has(request, 'permission') ? field(request, 'permission') : 'private';
    if (permission !== 'private' && permission !== 'public') throw new ApiError(422, 'invalid', message('api.permission'));
    const color = field(request, 'color');
    if (color && !isBoardColor(color)) throw new ApiError(422, 'invalid', message('api.boardColour', { color }));
    const board = await store.atomically(async () => {
      const made = await store.boards.create(ownerId, title);
      await store.boards.update(ownerId, made, { title, permission, color: color || made.color, description: made.description });
      return made;
    });
    return { _id: board.id, defaultSwimlaneId: (await store.swimlanes.forBoard(board.id, false))[0]!.id };
  });

  app.get('/api/boards_count', async (request) => {
    const user = requireUser(request);
    if (!user.isAdmin) throw new ApiError(403, 'Forbidden', message('api.countBoards'));
    return await request.server.store.boards.countByPermission();
  });

  // WeKan: {label: {name, color}} (a form sends label[name] and label[color] or the label as JSON text)
  app.put<BoardParams>('/api/boards/:boardId/labels', async (request, reply) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'admin', request);
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    let label: unknown = body.label ?? { name: body['label[name]'], color: body['label[color]'] };
    if (typeof label === 'string') {
      try {
        label = JSON.parse(label) as unknown;
      } catch {
        throw new ApiError(400, 'bad-request', message('api.labelJson'));
      }
    }
    const { name, color } = (label && typeof label === 'object' ? label : {}) as { name?: unknown; color?: unknown };
    const labelName = typeof name === 'string' ? name.trim().slice(0, 100) : '';
    const labelColor = typeof color === 'string' && color ? color : 'green';
    if (!isCardColor(labelColor)) throw new ApiError(422, 'invalid', message('api.labelColour', { color: labelColor }));
    const existing = (await request.server.store.labels.forBoard(access.board.id)).find((l) => l.name === labelName && l.color === labelColor);
    const id = existing ? existing.id : (await request.server.store.labels.create(user.id, access.board.id, labelName, labelColor)).id;
    // WeKan answers the bare id as a JSON string; fastify would send a returned string as plain text
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(id));
  });

  // For good, as WeKan (the web pages archive instead): board admins only.
  app.delete<BoardParams>('/api/boards/:boardId', async (request) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'admin', request);
    const attachmentIds = await request.server.store.boards.delete(access.board.id);
    await request.server.files.remove(attachmentIds);
    return { _id: access.board.id };
  });

  // A copy with everything on it (import/copy.ts); the answer is the new board's id, as WeKan's.
  app.post<BoardParams>('/api/boards/:boardId/copy', async (request, reply) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    if (access.role === 'visitor') throw new ApiError(403, 'Forbidden', message('api.membersCopy'));
    const title = has(request, 'title') ? checked(checkTitle(field(request, 'title'))) : copyTitle(access.board.title);
    const copyId = await copyBoard(request, user.id, access, title);
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(copyId));
  });

  app.put<BoardParams>('/api/boards/:boardId/title', async (request) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'admin', request);
    const title = checked(checkTitle(field(request, 'title')));
    const { board } = access;
    await request.server.store.boards.update(user.id, board, { title, permission: board.permission, color: board.color, description: board.description });
    return { _id: board.id, title };
  });

  app.get<BoardParams>('/api/boards/:boardId', async (request) => {
    requireUser(request);
    const { board } = await loadBoard(request, request.params.boardId);
    const { store } = request.server;
    return boardDocument(board, await store.members.forBoard(board.id), await store.labels.forBoard(board.id));
  });

  for (const kind of ['lists', 'swimlanes'] as const) {
    app.get<BoardParams>(`/api/boards/:boardId/${kind}`, async (request) => {
      requireUser(request);
      const { board } = await loadBoard(request, request.params.boardId);
      return (await request.server.store[kind].forBoard(board.id, false)).map((lane) => ({ _id: lane.id, title: lane.title }));
    });
  }

};
