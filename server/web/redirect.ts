// Where redirects point and what links handed to others say. Only configured origins (WAMI_BASE_URL)
// ever become the host of a URL Wami writes: the request's Host and a proxy's X-Forwarded-Host are what
// a client says, and a link built from them could point a victim at any site (a reset mail, a cached
// redirect). Without WAMI_BASE_URL, redirects are relative (RFC 7231 §7.1.2) and the features that hand
// links to others (mails, invitations) say they need it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sentReplacedCharacters } from './url-encoded.js';
import { encodedPath } from './urls.js';

/** The WAMI_BASE_URL origin whose host the browser asked for, else the first one; null when none is set. */
export function configuredOrigin(request: FastifyRequest): string | null {
  const { origins } = request.server.wamiConfig;
  if (!origins.length) return null;
  const asked = request.host?.toLowerCase().replace(/:(80|443)$/, '');
  return origins.find((origin) => new URL(origin).host === asked) ?? origins[0]!;
}

/** Whether the browser is on https: its configured origin says so, else the connection (or a trusted proxy). */
export function onHttps(request: FastifyRequest): boolean {
  const origin = configuredOrigin(request);
  return origin ? origin.startsWith('https:') : request.protocol === 'https';
}

/**
 * The site's host name as the browser knows it, for the cookie settings a page explains to the person
 * who asked (text on their own page, never a link): the configured origin's, else the Host they sent.
 */
export function siteHostname(request: FastifyRequest): string {
  const origin = configuredOrigin(request);
  if (origin) return new URL(origin).hostname.replace(/^\[|\]$/g, '');
  return (request.hostname || request.raw.socket.localAddress || 'localhost').replace(/^\[|\]$/g, '');
}

/** A Location for this request: absolute on its configured origin (RFC 1945 asks for that), else relative. */
export function locationOf(request: FastifyRequest, path: string): string {
  return (configuredOrigin(request) ?? '') + encodedPath(path);
}

/**
 * Whether the form may have been on `path` itself: its Referer names that page, or only our origin, which
 * is all Dillo sends. No Referer (scripts) or another site's page: no.
 */
function mayComeFrom(request: FastifyRequest, path: string): boolean {
  const referer = request.headers.referer;
  if (!referer) return false;
  try {
    const url = new URL(referer);
    const origin = configuredOrigin(request);
    if (url.host !== (request.host ?? '') && !(origin !== null && referer.startsWith(origin))) return false;
    const from = url.pathname + url.search;
    return from === encodedPath(path) || from === '/';
  } catch {
    return false;
  }
}

/**
 * Post/redirect/get: every successful POST answers 303 to the page that shows its result. When that is
 * the very page the form was on (or may be), the URL gets a changing `updated` query: links2 and Dillo do
 * not fetch a 303's target again when it is the page they show (their cache wins over no-cache), so the
 * change would not show.
 */
export function seeOther(request: FastifyRequest, reply: FastifyReply, path: string): FastifyReply {
  let target = mayComeFrom(request, path) ? withQuery(path, `updated=${Date.now().toString(36)}`) : path;
  // The form had bytes its charset could not read: the next page says so (render.ts).
  if (sentReplacedCharacters(request)) target = withQuery(target, 'replaced=1');
  return reply.redirect(locationOf(request, target), 303);
}

/** The path with one more query pair, before its #fragment if it has one. */
function withQuery(path: string, pair: string): string {
  const [address, fragment] = path.split('#', 2) as [string, string?];
  return `${address}${address.includes('?') ? '&' : '?'}${pair}${fragment === undefined ? '' : `#${fragment}`}`;
}

/** A `next` parameter is only ever a path on this site (no open redirects). */
export function safeNext(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  if (raw.length > 2000 || /[\u0000-\u001f]/.test(raw)) return '/';
  return raw;
}
