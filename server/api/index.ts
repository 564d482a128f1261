// The WeKan-compatible JSON API (../shared/wekan-api.md): its own scope, so that its errors are JSON
// and its callers are known by Bearer token only (scope.ts).
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync } from 'fastify';
import type { Authenticator } from '../web/auth.js';
import { ApiError, installApiScope, sendApiError } from './scope.js';
import { adminRoutes } from './admin.js';
import { boardRoutes } from './boards.js';
import { cardRoutes } from './cards.js';
import { cardPartRoutes } from './card-parts.js';
import { cardShortcutRoutes } from './card-shortcuts.js';
import { customFieldRoutes } from './custom-fields.js';
import { exportRoutes } from './export.js';
import { importRoutes } from './import.js';
import { integrationRoutes } from './integrations.js';
import { laneRoutes } from './lanes.js';
import { laneTransferRoutes } from './lane-transfer.js';
import { cardCopyRoutes } from './card-copy.js';
import { cardBulkRoutes } from './card-bulk.js';
import { dependencyRoutes } from './dependencies.js';
import { attachmentApiRoutes } from './attachments.js';
import { cardSettingRoutes } from './card-settings.js';
import { boardDomainRoutes } from './board-domains.js';
import { siteSettingRoutes } from './site-settings.js';
import { notYetRoutes } from './not-yet.js';
import { memberRoutes } from './members.js';
import { loginRoutes, userRoutes } from './users.js';

export const apiRoutes: FastifyPluginAsync<{ authenticator: Authenticator }> = async (app, { authenticator }) => {
  installApiScope(app);
  await app.register(loginRoutes, { authenticator });
  await app.register(userRoutes);
  await app.register(adminRoutes);
  await app.register(boardRoutes);
  await app.register(cardRoutes);
  await app.register(cardShortcutRoutes);
  await app.register(laneRoutes);
  await app.register(laneTransferRoutes);
  await app.register(cardCopyRoutes);
  await app.register(cardBulkRoutes);
  await app.register(dependencyRoutes);
  await app.register(attachmentApiRoutes);
  await app.register(cardSettingRoutes);
  await app.register(boardDomainRoutes);
  await app.register(siteSettingRoutes);
  await app.register(memberRoutes);
  await app.register(cardPartRoutes);
  await app.register(customFieldRoutes);
  await app.register(exportRoutes);
  await app.register(importRoutes);
  await app.register(integrationRoutes);
  await app.register(notYetRoutes);
  // Unknown /api/… paths answer in JSON too (the web pages' 404 is a page).
  await app.register(async (scope) => {
    scope.setNotFoundHandler((_request, reply) => sendApiError(reply, new ApiError(404, 'not-found', message('api.noRoute'))));
  }, { prefix: '/api' });
};
