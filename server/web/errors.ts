// Errors a request can end in, and the one place that turns any error into a page with the right status.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { locationOf } from './redirect.js';
import { refusal } from './refusals.js';
import { DatabaseUnavailable } from '../store/sql.js';
import { CommitFailed } from '../store/writer.js';
import { inWords, message, type Localized } from '../i18n/messages.js';
import { messagesFor } from './language.js';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    /** Words, or (as the error pages are translated) a message of the catalogues. */
    readonly title: Localized,
    readonly detail: Localized,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${typeof title === 'string' ? title : title.key}`);
  }
}

/** The page needs a signed-in user and there is none: send the browser to the sign-in page. */
export class SignInRequired extends Error {
  override name = 'SignInRequired';
}

export function notFound(): HttpError {
  return new HttpError(404, message('errors.notFound'), message('errors.notFoundDetail'));
}

export function forbidden(detail: Localized): HttpError {
  return new HttpError(403, message('errors.forbidden'), detail);
}

/**
 * The database could not take a write: another process holds it (busy), the disk is full, or the disk
 * failed; or the database server does not answer (PostgreSQL down or restarting). Nothing of the request
 * is stored (a lost batch or a cut-off transaction is undone whole). Null for any other error.
 */
export function storageFailure(error: unknown): HttpError | null {
  if (error instanceof DatabaseUnavailable) {
    return new HttpError(503, message('errors.databaseUnavailable'), message('errors.databaseUnavailableDetail'), { 'Retry-After': '5' });
  }
  const lost = error instanceof CommitFailed;
  const code = lost ? error.code : (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_FULL')) {
    return new HttpError(507, message('errors.diskFull'), message('errors.diskFullDetail'));
  }
  // PostgreSQL: a deadlock it broke (40P01), a serialization failure (40001) or a statement cancelled at
  // its time limit (57014); the transaction was undone
  const trouble = typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|READONLY|PROTOCOL)|^40P01$|^40001$|^57014$/.test(code);
  if (!lost && !trouble) return null;
  return new HttpError(503, message('errors.busy'), message('errors.busyDetail'), { 'Retry-After': '5' });
}

// What fastify's own errors mean to a person filling in a form.
const FASTIFY_ERRORS: Record<string, { title: Localized; detail: Localized }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { title: message('errors.tooLarge'), detail: message('errors.tooLargeDetail') },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { title: message('errors.formEncoding'), detail: message('errors.formEncodingDetail') },
};

export function installErrorPages(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    renderError(request, reply, notFound());
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof SignInRequired) {
      const next = request.method === 'GET' ? request.url : '/';
      return reply.redirect(locationOf(request, `/sign-in?next=${encodeURIComponent(next)}`), 303);
    }
    if (error instanceof HttpError) return renderError(request, reply, error);
    // a store refusal no route turned into its own form page: still its reason and status, never a 500
    const refused = refusal(error);
    if (refused) {
      const title = message(refused.status === 413 ? 'errors.tooLarge' : 'errors.notDone');
      return renderError(request, reply, new HttpError(refused.status, title, refused.message));
    }
    const storage = storageFailure(error);
    if (storage) {
      request.log.error({ err: error }, 'the database did not take a write');
      return renderError(request, reply, storage);
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return renderError(request, reply, new HttpError(500, message('errors.serverError'), message('errors.serverErrorDetail')));
    }
    const known = 'code' in error ? FASTIFY_ERRORS[String(error.code)] : undefined;
    return renderError(request, reply, new HttpError(status, known?.title ?? message('errors.badRequest'),
      known?.detail ?? message('errors.badRequestDetail')));
  });
}

function renderError(request: FastifyRequest, reply: FastifyReply, error: HttpError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  // A page that may work in a moment (503 with Retry-After) tries again by itself, as a board page does:
  // a wall display left on a board comes back when the database does.
  const retryAfter = error.status === 503 && request.method === 'GET' ? error.headers['Retry-After'] : undefined;
  const messages = messagesFor(request);
  return reply.page('error', {
    title: inWords(error.title, messages), status: error.status, detail: inWords(error.detail, messages),
    refresh: retryAfter, retry: retryAfter ? request.url : undefined,
  }, error.status);
}
