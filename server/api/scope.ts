// What every API route shares: Bearer tokens instead of cookies, no CSRF form tokens, and errors as
// WeKan's JSON body ({error, reason, message, statusCode}) with the real HTTP status.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hashToken } from '../web/session.js';
import { HttpError, SignInRequired, storageFailure } from '../web/errors.js';
import { refusal } from '../web/refusals.js';
import { FALLBACK, inWords, translator, type Localized, message } from '../i18n/messages.js';
import { browserLanguage } from '../web/language.js';

const english = translator('en');

/**
 * An API refusal: `error` is WeKan's short code, which scripts compare and which stays English;
 * `reason` the sentence a person reads: English, as WeKan's, unless the request's Accept-Language asks
 * for a language Wami speaks (the account's page language does not apply: a script must not change
 * with whoever runs it).
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly status: number, readonly error: string, readonly reason: Localized, readonly headers: Record<string, string> = {}) {
    super(inWords(reason, english));
  }
}

/** A validation result's value, or a 422 with its message. */
export function checked<T>(result: { ok: true; value: T } | { ok: false; error: Localized }): T {
  if (!result.ok) throw new ApiError(422, 'invalid', result.error);
  return result.value;
}

/** The short code of a store refusal's status (WeKan has none of its own for these). */
const refusalCode = (status: number): string => (status === 409 ? 'conflict' : status === 413 ? 'too-large' : 'invalid');

/** The store's refusals (full list, archived target, last admin…) as API errors; anything else rethrown. */
export function refusedByStore(error: unknown): never {
  const known = refusal(error);
  if (known) throw new ApiError(known.status, refusalCode(known.status), known.message);
  throw error;
}

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  const reason = inWords(error.reason, translator(browserLanguage(reply.request) ?? FALLBACK));
  return reply.code(error.status).send({
    error: error.error, reason, message: `${reason} [${error.error}]`, statusCode: error.status,
  });
}

/** The page layer's refusals (404 for boards you cannot see, 403 for roles) in the API's words. */
function asApiError(thrown: FastifyError | Error): ApiError | null {
  if (thrown instanceof ApiError) return thrown;
  const error = storageFailure(thrown) ?? thrown;
  if (error instanceof SignInRequired) return new ApiError(401, 'Unauthorized', message('api.bearer'));
  const refused = refusal(error);
  if (refused) return new ApiError(refused.status, refusalCode(refused.status), refused.message);
  if (error instanceof HttpError) {
    // the error code stays English, as scripts compare it
    const code = error.status === 404 ? 'not-found' : error.status === 403 ? 'Forbidden' : inWords(error.title, english);
    return new ApiError(error.status, code, error.detail, error.headers);
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status < 500) return new ApiError(status, 'bad-request', error.message);
  return null;
}

/** The Bearer token of the request (header, or ?access_token= / ?authToken= for clients that cannot set headers). */
function bearerToken(authorization: string | undefined, query: unknown): string | undefined {
  const fromHeader = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (fromHeader) return fromHeader;
  // ?authToken= is what WeKan's export links carry
  const params = query as Record<string, unknown> | undefined;
  const fromQuery = params?.['access_token'] ?? params?.['authToken'];
  return typeof fromQuery === 'string' && fromQuery ? fromQuery : undefined;
}

export function installApiScope(scope: FastifyInstance): void {
  // Forms on web pages are protected by CSRF tokens; the API takes no cookies, so it needs none.
  scope.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), csrf: false };
  });
  // Cookies and Basic auth are the web pages' ways in: a page on another site could make a browser send
  // them with a form-encoded post. The API knows its caller by Bearer token only.
  scope.addHook('preValidation', async (request) => {
    request.viewer = null;
    const token = bearerToken(request.headers.authorization, request.query);
    if (token) {
      const tokenHash = hashToken(token);
      const user = await request.server.store.apiTokens.userOf(tokenHash);
      if (user) request.viewer = { user, via: 'token', csrfBinding: `token:${tokenHash}` };
    }
  });
  scope.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const known = asApiError(error);
    if (known) return sendApiError(reply, known);
    request.log.error({ err: error }, 'API request failed');
    return sendApiError(reply, new ApiError(500, 'server-error', message('api.serverError')));
  });
}
