// One JSON line per answered request (fastify's own two lines, "incoming" and "completed", are off):
// what was asked, by whom, how it went and how long it took. Never a header, a body or a cookie: so no
// password, session or token can reach the log; single-use tokens in URLs are blanked (log-redact.ts).
import type { FastifyInstance } from 'fastify';
import { redactUrl } from './log-redact.js';

export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({
      method: request.method,
      url: redactUrl(request.url),
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ip: request.ip,
      user: request.viewer?.user.username ?? null,
    }, 'request');
    done();
  });
}
