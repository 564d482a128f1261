// Boards, their lists and swimlanes, and the cards of a list, read through the API.
import type { FastifyPluginAsync } from 'fastify';
import { loadBoard, requireUser } from '../web/access.js';
import { boardDocument } from './documents.js';

type BoardParams = { Params: { boardId: string } };

export const boardRoutes: FastifyPluginAsync = async (app) => {
  app.get<BoardParams>('/api/boards/:boardId', async (request) => {
    requireUser(request);
    const { board } = loadBoard(request, request.params.boardId);
    const { store } = request.server;
    return boardDocument(board, store.members.forBoard(board.id), store.labels.forBoard(board.id));
  });

  for (const kind of ['lists', 'swimlanes'] as const) {
    app.get<BoardParams>(`/api/boards/:boardId/${kind}`, async (request) => {
      requireUser(request);
      const { board } = loadBoard(request, request.params.boardId);
      return request.server.store[kind].forBoard(board.id, false).map((lane) => ({ _id: lane.id, title: lane.title }));
    });
  }

};
