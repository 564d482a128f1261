// Renders Eta templates from views/ into full HTML 4.01 pages: reply.page(view, data, status).
// Every page also gets the signed-in viewer, its CSRF token, the URL helpers and the formatters.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Eta } from 'eta';
import { viewsDir } from '../paths.js';
import { csrfTokenFor } from './csrf.js';
import { formatterFor } from './format.js';
import { urls } from './urls.js';
import { LIMITS } from '../validation.js';
import { siteSettings } from './site.js';

export type PageData = Record<string, unknown>;

declare module 'fastify' {
  interface FastifyReply {
    page(view: string, data?: PageData, status?: number): FastifyReply;
  }
}

const eta = new Eta({ views: viewsDir, cache: true, autoEscape: true, autoTrim: [false, 'nl'] });

function common(request: FastifyRequest): PageData {
  const viewer = request.viewer;
  return {
    viewer: viewer
      ? { username: viewer.user.username, isAdmin: !!viewer.user.isAdmin, via: viewer.via, textMode: !!viewer.user.textMode }
      : null,
    csrf: viewer ? csrfTokenFor(request) : null,
    urls,
    format: formatterFor(viewer?.user.timeZone ?? 'UTC'),
    limits: LIMITS,
    siteTitle: siteSettings(request).siteTitle,
  };
}

export function renderPage(request: FastifyRequest, view: string, data: PageData): string {
  return eta.render(view, { ...common(request), ...data });
}

export function installRenderer(app: FastifyInstance): void {
  app.decorateReply('page', function page(this: FastifyReply, view: string, data: PageData = {}, status = 200) {
    const html = renderPage(this.request, view, data);
    return this.code(status)
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'private, no-cache')
      // Pages hold forms: no framing by other sites (clickjacking), no content sniffing.
      .header('X-Frame-Options', 'DENY')
      .header('X-Content-Type-Options', 'nosniff')
      .send(html);
  });
}
