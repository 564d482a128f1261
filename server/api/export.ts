// GET /api/boards/:b/export: the board in WeKan's export format (web/board-export.ts), with attachment
// files as base64 unless ?attachments=false. The token may come as ?authToken=, as in WeKan's links.
import type { FastifyPluginAsync } from 'fastify';
import { loadForExport, sendBoardExport } from '../web/board-export.js';

export const exportRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { boardId: string }; Querystring: { attachments?: string } }>('/api/boards/:boardId/export', async (request, reply) => {
    const access = await loadForExport(request, request.params.boardId);
    return sendBoardExport(request, reply, access, request.query.attachments !== 'false');
  });
};
