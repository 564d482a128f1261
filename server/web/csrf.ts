// CSRF tokens: an HMAC of what the request is signed in with (its session, or its Basic-auth user),
// keyed by the site secret. Nothing to store; a token from another session never matches.
// Old browsers send no Origin header, so the token in the form is the defence.
import { message } from '../i18n/messages.js';
import { LRUCache } from 'lru-cache';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formBody, text } from './forms.js';
import { HttpError } from './errors.js';

export const CSRF_FIELD = 'csrf';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'viewer' (default): the form must carry the signed-in viewer's token. 'own': the route checks
     *  it itself (sign-in, sign-up). false: not a form route (the JSON API uses Bearer tokens). */
    csrf?: 'viewer' | 'own' | false;
  }
}

/** Tokens by secret and binding: the 10,000 most recently used. */
const signed = new LRUCache<string, string>({ max: 10_000 });

/** HMAC of the binding; remembered, as every page of a session carries the same token. */
export function signToken(secret: string, binding: string): string {
  const key = `${secret}\u0000${binding}`;
  let token = signed.get(key);
  if (!token) {
    token = createHmac('sha256', secret).update(binding).digest('base64url').slice(0, 32);
    signed.set(key, token);
  }
  return token;
}

export function tokensMatch(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token every form of this viewer's pages carries; null when nobody is signed in. */
export function csrfTokenFor(request: FastifyRequest): string | null {
  const viewer = request.viewer;
  return viewer ? signToken(request.server.secret, viewer.csrfBinding) : null;
}

export function staleFormError(): HttpError {
  return new HttpError(403, message('errors.formExpired'), message('errors.formExpiredDetail'));
}

export function installCsrf(app: FastifyInstance): void {
  app.caches.set('csrf_tokens', signed);
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    const mode = request.routeOptions.config.csrf ?? 'viewer';
    if (mode !== 'viewer') return done();
    // An API token is sent by a script, in a header no browser adds to a forged form by itself. Checking
    // here would also answer a script's write to an API route Wami lacks with "form out of date" (a 403
    // that sends its author hunting for a token problem) instead of the 404 that route deserves.
    if (request.viewer?.via === 'token') return done();
    const expected = csrfTokenFor(request);
    if (expected === null) return done(); // the route itself asks for a sign-in
    if (!tokensMatch(text(formBody(request), CSRF_FIELD), expected)) return done(staleFormError());
    done();
  });
}
