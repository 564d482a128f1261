// JSON bodies (the API) read as fastify reads them (secure-json-parse: no __proto__ keys), with every
// string made well-formed: a lone surrogate ("\ud800") would be stored, and come back out in exports
// and answers as JSON that strict parsers (Python's, a browser's TextDecoder) refuse.
import type { FastifyInstance } from 'fastify';
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
