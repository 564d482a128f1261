// The site-wide settings an admin chooses on /setting, with the operator's WAMI_* values as defaults.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { SiteSettings } from '../store/settings.js';

/** What applies until an admin saves /setting. */
export function siteDefaults(config: Config): SiteSettings {
  return { registration: config.allowSignUp ? 'open' : 'closed', siteTitle: 'Wami' };
}

export function siteSettings(request: FastifyRequest): SiteSettings {
  return request.server.store.settings.site(siteDefaults(request.server.wamiConfig));
}
