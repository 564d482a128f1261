// Which charset this response's page is in. First a `?charset=` on the address (remembered in a cookie,
// so a visitor chooses once per browser), then that cookie, then the signed-in user's preference, then
// the browser's Accept-Charset when it prefers a Latin charset, else UTF-8. The cookie comes before the
// account's preference because it belongs to the browser in hand; saving the preference clears it.
import { message } from '../i18n/messages.js';
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CHARSETS, charsetNamed, type Charset } from './charsets.js';
import { HttpError } from './errors.js';

export const CHARSET_COOKIE = 'wami_charset';
/** `?charset=auto` forgets a visitor's choice. */
const AUTOMATIC = 'auto';
const YEAR_MS = 365 * 24 * 3600 * 1000;

function askedInQuery(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown> | undefined)?.charset;
}

export function pageCharset(request: FastifyRequest): Charset {
  const asked = askedInQuery(request);
  return charsetNamed(asked)
    ?? (asked === AUTOMATIC ? null : charsetNamed(request.cookies?.[CHARSET_COOKIE]))
    ?? charsetNamed(request.viewer?.user.charset)
    ?? askedByBrowser(request)
    ?? 'utf-8';
}

/** Accept-Charset (rarely sent; Links sends one with UTF-8 in it). Compared in lower case, as it is case-blind. */
function askedByBrowser(request: FastifyRequest): Charset | null {
  const header = request.headers['accept-charset'];
  if (typeof header !== 'string' || header === '') return null;
  return negotiate(header.toLowerCase(), [...CHARSETS]) as Charset | null;
}

export function forgetCharsetChoice(reply: FastifyReply): void {
  reply.clearCookie(CHARSET_COOKIE, { path: '/' });
}

/** Remembers a page's `?charset=` in a cookie; refuses a charset we do not serve. Not for the JSON API. */
export function installCharsetChoice(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' || request.url.startsWith('/api/')) return;
    const asked = askedInQuery(request);
    if (asked === undefined) return;
    if (asked === AUTOMATIC) return void forgetCharsetChoice(reply);
    const charset = charsetNamed(asked);
    if (!charset) {
      throw new HttpError(400, message('errors.unknownCharset'),
        message('errors.unknownCharsetDetail', { known: CHARSETS.join(', '), asked: String(asked), automatic: AUTOMATIC }));
    }
    reply.setCookie(CHARSET_COOKIE, charset, { path: '/', httpOnly: true, sameSite: 'lax', expires: new Date(Date.now() + YEAR_MS) });
  });
}
