// JSON bodies (the API) read as fastify reads them (secure-json-parse: no __proto__ keys), with every
// string made well-formed: a lone surrogate ("\ud800") would be stored, and come back out in exports
// and answers as JSON that strict parsers (Python's, a browser's TextDecoder) refuse.
import type { FastifyInstance } from 'fastify';
import { JsonTooLargeError, parseJsonStream } from '../json-stream.js';
import { escapesSurrogates, withWellFormedStrings } from '../text.js';

export function acceptJson(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    parse(request, text, (error, value) => {
      if (error) return done(error, undefined);
      done(null, escapesSurrogates(text) ? withWellFormedStrings(value) : value);
    });
  });
}

/**
 * For the routes of `scope` only: JSON bodies up to `limit` bytes, read as a stream (json-stream.ts) so
 * that a body the size of a board export (WAMI_MAX_IMPORT_BYTES) does not hold up other requests.
 */
export function acceptStreamedJson(scope: FastifyInstance, limit: number): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', (request, payload, done) => {
    // refused before a byte is read when the client says how much it will send
    if (Number(request.headers['content-length']) > limit) return done(new JsonTooLargeError(limit), undefined);
    parseJsonStream(payload, limit).then((value) => done(null, value), (error: Error) => done(error, undefined));
  });
}
