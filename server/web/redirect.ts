// Absolute URLs for Location headers: HTTP/1.0 (RFC 1945) asks for them, and old browsers rely on it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sentReplacedCharacters } from './url-encoded.js';

/**
 * The origin the browser is on: the WAMI_BASE_URL origin whose host it asked for, else the first one;
 * with none set, the Host it asked for (scheme and host from a trusted proxy's X-Forwarded-*); else
 * (HTTP/1.0 sends no Host) the address it reached.
 */
export function originOf(request: FastifyRequest): string {
  const { origins } = request.server.wamiConfig;
  if (origins.length) {
    const asked = request.host?.toLowerCase().replace(/:(80|443)$/, '');
    return origins.find((origin) => new URL(origin).host === asked) ?? origins[0]!;
  }
  if (request.host) return `${request.protocol}://${request.host}`;
  const { localAddress = '127.0.0.1', localPort } = request.raw.socket;
  const address = localAddress.replace(/^::ffff:(?=\d+\.)/, '');
  return `${request.protocol}://${address.includes(':') ? `[${address}]` : address}:${localPort}`;
}

/** The site's host name as browsers know it (for the cookie settings a page explains). */
export function siteHostname(request: FastifyRequest): string {
  return new URL(originOf(request)).hostname.replace(/^\[|\]$/g, '');
}

export function absoluteUrl(request: FastifyRequest, path: string): string {
  return originOf(request) + path;
}

/** A link handed to someone else (an invitation, a reset link): on the public origin, the first of WAMI_BASE_URL. */
export function publicUrl(request: FastifyRequest, path: string): string {
  return (request.server.wamiConfig.baseUrl ?? originOf(request)) + path;
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
    if (url.host !== (request.host ?? '') && !referer.startsWith(originOf(request))) return false;
    const from = url.pathname + url.search;
    return from === path || from === '/';
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
  return reply.redirect(absoluteUrl(request, target), 303);
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
