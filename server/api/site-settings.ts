// Site settings through the API for site admins (WeKan 11's getsettings/editsettings, its admin domains
// and attachment settings): what maps to Wami's own settings (/setting) is read and set; what Wami has
// no setting for is refused by name, never accepted and dropped.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { message } from '../i18n/messages.js';
import type { Registration, SiteSettings } from '../store/settings.js';
import { siteSettings } from '../web/site.js';
import { requireAdmin } from './admin.js';
import { ApiError } from './scope.js';

/** WeKan's fields for Wami's settings: the product name is the site title; registration is open or not. */
function wekanSettings(site: SiteSettings) {
  return { _id: 'settings', productName: site.siteTitle, disableRegistration: site.registration !== 'open' };
}

function body(request: FastifyRequest): Record<string, unknown> {
  return request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? request.body as Record<string, unknown> : {};
}

/**
 * WeKan's disableRegistration as Wami's registration: WeKan's closed sign-up still takes invitations,
 * which is Wami's invite-only (a site already closed to invitations too stays closed).
 */
function registrationOf(disable: unknown, current: Registration): Registration {
  if (!(disable === true || String(disable).toLowerCase() === 'true')) return 'open';
  return current === 'closed' ? 'closed' : 'invite-only';
}

export const siteSettingRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/settings', async (request) => {
    requireAdmin(request);
    return wekanSettings(siteSettings(request));
  });

  app.put('/api/settings', async (request) => {
    requireAdmin(request);
    const values = body(request);
    const unknown = Object.keys(values).filter((key) => !['_id', 'productName', 'disableRegistration'].includes(key));
    if (unknown.length) throw new ApiError(422, 'invalid', message('api.settingsUnknown', { keys: unknown.join(', ') }));
    const site = { ...siteSettings(request) };
    if ('productName' in values) {
      const title = typeof values.productName === 'string' ? values.productName.trim() : '';
      if (!title || [...title].length > 100) throw new ApiError(422, 'invalid', message('api.productName'));
      site.siteTitle = title;
    }
    if ('disableRegistration' in values) site.registration = registrationOf(values.disableRegistration, site.registration);
    await request.server.store.settings.saveSite(site);
    return wekanSettings(site);
  });

  app.get('/api/admin/domains', async (request) => {
    requireAdmin(request);
    return request.server.store.users.domainCounts();
  });

  // WeKan's attachment storage document, filled from Wami's start-up settings (one store: the data folder)
  app.get('/api/admin/attachment-settings', async (request) => {
    requireAdmin(request);
    const config = request.server.wamiConfig;
    return {
      defaultStorage: 'filesystem',
      storageConfig: { filesystem: { enabled: true, read: true, write: true } },
      uploadSettings: { maxFileSize: config.maxFileBytes, allowedMimeTypes: [], maxFilesPerUpload: config.maxFilesPerUpload },
      limitSettings: {
        attachmentsUploadMaxBytes: config.maxFileBytes, attachmentsUploadBlocked: false, avatarsUploadBlocked: false,
        attachmentsDownloadMaxBytes: 0, attachmentsDownloadBlocked: false,
        apiUploadMaxBytes: config.maxFileBytes, apiUploadBlocked: false, apiDownloadMaxBytes: 0, apiDownloadBlocked: false,
        userQuotaBytes: config.userQuotaBytes,
      },
    };
  });

  app.put('/api/admin/attachment-settings', async (request) => {
    requireAdmin(request);
    throw new ApiError(422, 'invalid', message('api.attachmentSettings'));
  });
};
