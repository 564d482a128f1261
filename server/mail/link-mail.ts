// Whether mails that carry a link (a password reset, an invitation) can go out: email must be on, and
// the site must know its public address, since a link is never built from what a request says its Host is.
import type { Config } from '../config.js';

export type LinkMail = 'on' | 'mail-off' | 'no-address';

export function linkMail(config: Pick<Config, 'smtpUrl' | 'baseUrl'>): LinkMail {
  if (config.smtpUrl === null) return 'mail-off';
  return config.baseUrl === null ? 'no-address' : 'on';
}
