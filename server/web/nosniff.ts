// Every answer, pages, JSON, files and static ones alike, says its Content-Type is meant: a browser that
// sniffed a JSON answer (text from a card in it) as HTML would run what the text says.
import type { FastifyInstance } from 'fastify';

export function installNoSniff(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    done(null, payload);
  });
}
