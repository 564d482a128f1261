// Errors a request can end in, and the one place that turns any error into a page with the right status.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { absoluteUrl } from './redirect.js';

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
  return reply.page('error', { title: error.title, status: error.status, detail: error.detail }, error.status);
}
