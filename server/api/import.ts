// POST /api/boards/import {board, membersMapping?, importSource?, title?}: a WeKan or Trello export (as
// JSON or its text) or a CSV text becomes a new board, all or nothing. Every reference is checked
// before anything is written (422 names the dangling ids or the bad lines); see import/.
import { inWords, translator, message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ImportPlan } from '../import/plan.js';
import { runImport, sameUsernames, type PickedPeople } from '../import/run.js';
import type { User } from '../store/users.js';
import { isImportSource, readImport, readImportValue } from '../import/sources.js';
import { checkTitle } from '../validation.js';
import { requireUser } from '../web/access.js';
import { acceptStreamedJson } from '../web/json-body.js';
import { field } from './fields.js';
import { ApiError, checked } from './scope.js';

/**
 * Whom the export's people become: WeKan's `membersMapping` (export user id -> local user id) when the
 * script gives one. Without it, same usernames for a site admin (who may act as anyone anyway); anyone
 * else is matched only to themself, so an export cannot make an import speak for others.
 */
async function apiPicks(request: FastifyRequest, caller: User, plan: ImportPlan, membersMapping: unknown): Promise<PickedPeople> {
  if (membersMapping && typeof membersMapping === 'object' && !Array.isArray(membersMapping)) return membersMapping as PickedPeople;
  const same = await sameUsernames(request, plan);
  return caller.isAdmin ? same : Object.fromEntries(Object.entries(same).filter(([, id]) => id === caller.id));
}

export const importRoutes: FastifyPluginAsync = async (app) => {
  // the body is a whole board export: read as a stream, so that parsing it does not hold up other requests
  acceptStreamedJson(app, app.wamiConfig.maxImportBytes);
  app.post('/api/boards/import', { bodyLimit: app.wamiConfig.maxImportBytes }, async (request) => {
    const user = requireUser(request);
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const named = field(request, 'importSource');
    if (named && !isImportSource(named)) throw new ApiError(422, 'invalid', message('api.importSource'));
    const source = isImportSource(named) ? named : undefined;
    const options = { title: 'Imported board', timeZone: user.timeZone };
    const read = typeof body.board === 'string' ? await readImport(body.board, source, options) : await readImportValue(body.board, source);
    if (!read.plan) {
      const status = read.malformed ? 400 : 422;
      const shown = read.problems.slice(0, 20).map((problem) => inWords(problem, translator('en'))).join(' ');
      throw new ApiError(status, status === 400 ? 'bad-request' : 'invalid-export',
        message('api.cannotImport', { source: read.source, problems: shown, more: Math.max(0, read.problems.length - 20) }));
    }
    if (field(request, 'title')) read.plan.board.title = checked(checkTitle(field(request, 'title')));
    const { boardId, unmatched } = await runImport(request, user.id, read.plan, await apiPicks(request, user, read.plan, body.membersMapping));
    return { _id: boardId, unmatchedUsers: unmatched };
  });
};
