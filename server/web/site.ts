// The site-wide settings an admin chooses on /setting, with the operator's WAMI_* values as defaults.
import type { FastifyRequest } from 'fastify';
import type { SiteSettings } from '../store/settings.js';

export function siteSettings(request: FastifyRequest): SiteSettings {
  const { store, wamiConfig } = request.server;
  return store.settings.site({ registration: wamiConfig.allowSignUp ? 'open' : 'closed', siteTitle: 'Wami' });
}
