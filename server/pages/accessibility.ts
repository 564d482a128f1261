// /accessibility (as WeKan has): which browsers are tested and how, what a text-browser or retro-browser
// user can set, and the access keys; with the screenshots the browser suite took of Dillo and NetSurf.
import type { FastifyPluginAsync } from 'fastify';
import { screenshotsDir } from '../paths.js';
import { notFound } from '../web/errors.js';

/** The screenshots by the name in their URL: a fixed list, so no path ever comes from the request. */
const SCREENSHOTS: Record<string, { file: string; caption: string }> = {
  'dillo-card.png': { file: 'dillo-card.png', caption: 'Dillo 3.0.5: a card page after uploading a file' },
  'netsurf-board.png': { file: 'netsurf-board.png', caption: 'NetSurf 3.10: a board after another person\'s card arrived by meta refresh' },
};

export const accessibilityPages: FastifyPluginAsync = async (app) => {
  app.get('/accessibility', (_request, reply) => reply.page('accessibility', {
    title: 'Accessibility and browsers',
    screenshots: Object.entries(SCREENSHOTS).map(([name, shot]) => ({ url: `/accessibility/${name}`, caption: shot.caption })),
  }));

  app.get<{ Params: { name: string } }>('/accessibility/:name', (request, reply) => {
    const shot = SCREENSHOTS[request.params.name];
    if (!Object.hasOwn(SCREENSHOTS, request.params.name) || !shot) throw notFound();
    return reply.sendFile(shot.file, screenshotsDir, { maxAge: '1d' });
  });
};
