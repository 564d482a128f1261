// POST /api/boards/import {board, membersMapping?, importSource?, title?}: a WeKan or Trello export (as
// JSON or its text) or a CSV text becomes a new board, all or nothing. Every reference is checked
// before anything is written (422 names the dangling ids or the bad lines); see import/.
import { inWords, translator, message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ImportPlan } from '../import/plan.js';
import { runImport, sameUsernames, type PickedPeople } from '../import/run.js';
import type { User } from '../store/users.js';
import { isImportSource, readImport, readImportValue, type ImportSource } from '../import/sources.js';
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
  const same = await sameUsernames(request.server, plan);
  return caller.isAdmin ? same : Object.fromEntries(Object.entries(same).filter(([, id]) => id === caller.id));
}

/** WeKan 11's import sources Wami does not read (yet): named in the refusal, not taken for a bad request. */
const WEKAN_ONLY_SOURCES = ['jira', 'kanboard', 'excel', 'deck', 'openproject', 'github', 'gitlab', 'gitea', 'forgejo', 'asana', 'zenkit'];

/** Reads the export (`board`, as JSON or its text) from `source` or the kind it looks like, and makes the board. */
async function importBoard(request: FastifyRequest, boardValue: unknown, source: ImportSource | undefined, membersMapping: unknown) {
  const user = requireUser(request);
  const options = { title: 'Imported board', timeZone: user.timeZone };
  const read = typeof boardValue === 'string' ? await readImport(boardValue, source, options) : await readImportValue(boardValue, source);
  if (!read.plan) {
    const status = read.malformed ? 400 : 422;
    const shown = read.problems.slice(0, 20).map((problem) => inWords(problem, translator('en'))).join(' ');
    throw new ApiError(status, status === 400 ? 'bad-request' : 'invalid-export',
      message('api.cannotImport', { source: read.source, problems: shown, more: Math.max(0, read.problems.length - 20) }));
  }
  if (field(request, 'title')) read.plan.board.title = checked(checkTitle(field(request, 'title')));
  const { boardId, unmatched } = await runImport(request.server, user.id, read.plan, await apiPicks(request, user, read.plan, membersMapping));
  return { _id: boardId, unmatchedUsers: unmatched };
}

export const importRoutes: FastifyPluginAsync = async (app) => {
  // the body is a whole board export: read as a stream, so that parsing it does not hold up other requests
  acceptStreamedJson(app, app.wamiConfig.maxImportBytes);
  app.post('/api/boards/import', { bodyLimit: app.wamiConfig.maxImportBytes }, async (request) => {
    requireUser(request);
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const named = field(request, 'importSource');
    if (named && !isImportSource(named)) throw new ApiError(422, 'invalid', message('api.importSource'));
    return importBoard(request, body.board, isImportSource(named) ? named : undefined, body.membersMapping);
  });

  // WeKan 11's generalised import: the source in the path, the export as the body or as its `board`
  app.post<{ Params: { source: string } }>('/api/boards/import/:source', { bodyLimit: app.wamiConfig.maxImportBytes }, async (request) => {
    requireUser(request);
    const { source } = request.params;
    if (WEKAN_ONLY_SOURCES.includes(source)) throw new ApiError(501, 'not-implemented', message('api.importFrom', { source }));
    if (!isImportSource(source)) throw new ApiError(422, 'invalid', message('api.importSource'));
    const body = (request.body && typeof request.body === 'object' ? request.body : request.body ?? {}) as Record<string, unknown> | string;
    const wrapped = typeof body === 'object' && !Array.isArray(body) && 'board' in body;
    return importBoard(request, wrapped ? body.board : body, source, wrapped ? body.membersMapping : undefined);
  });
};
