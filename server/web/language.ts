// Which language this response's page is in (Step 11): a `?lang=` on the address (remembered in a
// cookie, so a visitor chooses once per browser: the sign-in page lists the languages for browsers that
// send no Accept-Language, such as Dillo), else the signed-in user's setting, else that cookie, else the
// browser's Accept-Language, else English. The account's own setting comes before the cookie: it is what
// the person chose for themself, on any browser.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { FALLBACK, isLanguage, LANGUAGE_CODES, message, translator, type Language, type Translator } from '../i18n/messages.js';
import { HttpError } from './errors.js';

export const LANGUAGE_COOKIE = 'wami_lang';
/** `?lang=auto` forgets a visitor's choice. */
const AUTOMATIC = 'auto';
const YEAR_MS = 365 * 24 * 3600 * 1000;

function askedInQuery(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown> | undefined)?.lang;
}

/** The browser's Accept-Language, matched by language (de-AT asks for de); null when none of ours is asked for. */
export function browserLanguage(request: FastifyRequest): Language | null {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string' || header.trim() === '') return null;
  const chosen = new Negotiator({ headers: { 'accept-language': header } }).language([...LANGUAGE_CODES]);
  return isLanguage(chosen) ? chosen : null;
}

/** Each request's language, worked out once: its page, the page's format, cache key and slots all ask. */
const chosen = new WeakMap<FastifyRequest, Language>();

export function pageLanguage(request: FastifyRequest): Language {
  let language = chosen.get(request);
  if (language === undefined) {
    language = choose(request);
    chosen.set(request, language);
  }
  return language;
}

function choose(request: FastifyRequest): Language {
  const asked = askedInQuery(request);
  if (isLanguage(asked)) return asked;
  const setting = request.viewer?.user.language;
  if (isLanguage(setting)) return setting;
  const remembered = asked === AUTOMATIC ? undefined : request.cookies?.[LANGUAGE_COOKIE];
  return (isLanguage(remembered) ? remembered : null) ?? browserLanguage(request) ?? FALLBACK;
}

/** The page's messages, in the page's language. */
export function messagesFor(request: FastifyRequest): Translator {
  return translator(pageLanguage(request));
}

export function forgetLanguageChoice(reply: FastifyReply): void {
  reply.clearCookie(LANGUAGE_COOKIE, { path: '/' });
}

/** Remembers a page's `?lang=` in a cookie; refuses a language we do not have. Not for the JSON API. */
export function installLanguageChoice(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    // a page's language depends on these: a cache between us and the browser must keep them apart
    if (!request.url.startsWith('/api/')) reply.header('Vary', 'Accept-Language, Cookie');
    if (request.method !== 'GET' || request.url.startsWith('/api/')) return;
    const asked = askedInQuery(request);
    if (asked === undefined) return;
    if (asked === AUTOMATIC) return void forgetLanguageChoice(reply);
    if (!isLanguage(asked)) {
      throw new HttpError(400, message('errors.unknownLanguage'),
        message('errors.unknownLanguageDetail', { known: LANGUAGE_CODES.join(', '), asked: String(asked), automatic: AUTOMATIC }));
    }
    reply.setCookie(LANGUAGE_COOKIE, asked, { path: '/', httpOnly: true, sameSite: 'lax', expires: new Date(Date.now() + YEAR_MS) });
  });
}
