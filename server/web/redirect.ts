// Absolute URLs for Location headers: HTTP/1.0 (RFC 1945) asks for them, and old browsers rely on it.
import type { FastifyReply, FastifyRequest } from 'fastify';

export function absoluteUrl(request: FastifyRequest, path: string): string {
  const origin = request.server.wamiConfig.baseUrl ?? `${request.protocol}://${request.host}`;
  return origin + path;
}

/** Post/redirect/get: every successful POST answers 303 to the page that shows its result. */
export function seeOther(request: FastifyRequest, reply: FastifyReply, path: string): FastifyReply {
  return reply.redirect(absoluteUrl(request, path), 303);
}

/** A `next` parameter is only ever a path on this site (no open redirects). */
export function safeNext(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  if (raw.length > 2000 || /[\u0000-\u001f]/.test(raw)) return '/';
  return raw;
}
