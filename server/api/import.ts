// POST /api/boards/import {board, membersMapping?}: a WeKan export becomes a new board, all or nothing.
// Every reference is checked before anything is written (422 lists the dangling ids); see import/.
import type { FastifyPluginAsync } from 'fastify';
import { readWekanExport } from '../import/wekan.js';
import { runImport } from '../import/run.js';
import { requireUser } from '../web/access.js';
import { ApiError } from './scope.js';

/** The largest import body the API reads into memory (a streaming import is for later). */
const IMPORT_BODY_LIMIT = 100 * 1024 * 1024;

export const importRoutes: FastifyPluginAsync = async (app) => {
  app.post('/api/boards/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (request) => {
    const user = requireUser(request);
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    let exported = body.board;
    if (typeof exported === 'string') {
      try {
        exported = JSON.parse(exported) as unknown;
      } catch {
        throw new ApiError(400, 'bad-request', 'board is not valid JSON.');
      }
    }
    const read = readWekanExport(exported);
    if (!read.plan) throw new ApiError(422, 'invalid-export', `The export cannot be imported: ${read.problems.slice(0, 20).join(' ')}${read.problems.length > 20 ? ` (and ${read.problems.length - 20} more)` : ''}`);
    const mapping = body.membersMapping && typeof body.membersMapping === 'object' ? body.membersMapping as Record<string, unknown> : {};
    const { boardId, unmatched } = await runImport(request, user.id, read.plan, mapping);
    return { _id: boardId, unmatchedUsers: unmatched };
  });
};
