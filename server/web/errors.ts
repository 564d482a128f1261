// Errors a request can end in, and the one place that turns any error into a page with the right status.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { absoluteUrl } from './redirect.js';
import { DatabaseUnavailable } from '../store/sql.js';
import { CommitFailed } from '../store/writer.js';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${title}`);
  }
}

/** The page needs a signed-in user and there is none: send the browser to the sign-in page. */
export class SignInRequired extends Error {
  override name = 'SignInRequired';
}

export function notFound(): HttpError {
  return new HttpError(404, 'Not found', 'There is no such page here, or it is not shared with you.');
}

export function forbidden(detail: string): HttpError {
  return new HttpError(403, 'Not allowed', detail);
}

/**
 * The database could not take a write: another process holds it (busy), the disk is full, or the disk
 * failed; or the database server does not answer (PostgreSQL down or restarting). Nothing of the request
 * is stored (a lost batch or a cut-off transaction is undone whole). Null for any other error.
 */
export function storageFailure(error: unknown): HttpError | null {
  if (error instanceof DatabaseUnavailable) {
    return new HttpError(503, 'Database unavailable',
      'The server cannot reach its database just now. Please try again in a moment; the page comes back by itself once the database does.',
      { 'Retry-After': '5' });
  }
  const lost = error instanceof CommitFailed;
  const code = lost ? error.code : (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_FULL')) {
    return new HttpError(507, 'Server disk full', 'The server has no room to save this right now. Nothing was saved; tell the administrator.');
  }
  // PostgreSQL: a deadlock it broke (40P01), a serialization failure (40001) or a statement cancelled at
  // its time limit (57014); the transaction was undone
  const trouble = typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|READONLY|PROTOCOL)|^40P01$|^40001$|^57014$/.test(code);
  if (!lost && !trouble) return null;
  return new HttpError(503, 'Server busy', 'The server could not save this just now. Nothing was saved; please try again in a moment.',
    { 'Retry-After': '5' });
}

// What fastify's own errors mean to a person filling in a form.
const FASTIFY_ERRORS: Record<string, { title: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { title: 'Too large', detail: 'What you sent is larger than this server accepts.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    title: 'Unsupported form encoding',
    detail: 'This page accepts ordinary HTML form posts (application/x-www-form-urlencoded).',
  },
};

export function installErrorPages(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    renderError(request, reply, notFound());
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof SignInRequired) {
      const next = request.method === 'GET' ? request.url : '/';
      return reply.redirect(absoluteUrl(request, `/sign-in?next=${encodeURIComponent(next)}`), 303);
    }
    if (error instanceof HttpError) return renderError(request, reply, error);
    const storage = storageFailure(error);
    if (storage) {
      request.log.error({ err: error }, 'the database did not take a write');
      return renderError(request, reply, storage);
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return renderError(request, reply, new HttpError(500, 'Server error',
        'Something went wrong on the server. Nothing you sent was half-saved; please try again.'));
    }
    const known = 'code' in error ? FASTIFY_ERRORS[String(error.code)] : undefined;
    return renderError(request, reply, new HttpError(status, known?.title ?? 'Bad request',
      known?.detail ?? 'The server could not understand what your browser sent.'));
  });
}

function renderError(request: FastifyRequest, reply: FastifyReply, error: HttpError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  // A page that may work in a moment (503 with Retry-After) tries again by itself, as a board page does:
  // a wall display left on a board comes back when the database does.
  const retryAfter = error.status === 503 && request.method === 'GET' ? error.headers['Retry-After'] : undefined;
  return reply.page('error', {
    title: error.title, status: error.status, detail: error.detail,
    refresh: retryAfter, retry: retryAfter ? request.url : undefined,
  }, error.status);
}
