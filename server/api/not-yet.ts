// WeKan 11 routes whose features come in later steps of Wami's plan (rules, organisations and teams,
// other export formats, ZIP and iCalendar imports). Until then each answers 501 in WeKan's JSON error,
// naming what is missing: a script's author sees at once that the server lacks the feature, not a 404
// that looks like a wrong id. The routes are WeKan 11's own (docs/api-wekan11.md).
import type { FastifyPluginAsync } from 'fastify';
import { message } from '../i18n/messages.js';
import { requireUser } from '../web/access.js';
import { ApiError } from './scope.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What is missing (a key of api.notYet's choice), and WeKan 11's routes for it. */
const LATER: Record<string, [Method, string][]> = {
  rules: [
    ['GET', '/api/boards/:boardId/rules'], ['POST', '/api/boards/:boardId/rules'],
    ['GET', '/api/boards/:boardId/rules/:ruleId'], ['PUT', '/api/boards/:boardId/rules/:ruleId'], ['DELETE', '/api/boards/:boardId/rules/:ruleId'],
  ],
  orgs: [
    ['GET', '/api/admin/orgs'], ['PUT', '/api/admin/orgs/features'], ['PUT', '/api/admin/orgs/:orgId/features'],
    ['GET', '/api/admin/teams'], ['PUT', '/api/admin/teams/features'], ['PUT', '/api/admin/teams/:teamId/features'],
  ],
  exports: [
    ['GET', '/api/boards/:boardId/export/csv'], ['GET', '/api/boards/:boardId/export/kanboard'], ['GET', '/api/boards/:boardId/exportExcel'],
    ['GET', '/api/boards/:boardId/exportPDF'], ['GET', '/api/boards/:boardId/exportZip'],
    ['GET', '/api/boards/:boardId/lists/:listId/cards/:cardId/exportExcel'], ['GET', '/api/boards/:boardId/lists/:listId/cards/:cardId/exportPDF'],
  ],
  zip: [['POST', '/api/import/zip']],
  ics: [['POST', '/api/boards/:boardId/swimlanes/:swimlaneId/lists/:listId/ics']],
};

export const notYetRoutes: FastifyPluginAsync = async (app) => {
  for (const [what, routes] of Object.entries(LATER)) {
    for (const [method, url] of routes) {
      app.route({ method, url, handler: async (request) => {
        requireUser(request); // who is not signed in is told that first, as on every other route
        throw new ApiError(501, 'not-implemented', message('api.notYet', { what }));
      } });
    }
  }
};
