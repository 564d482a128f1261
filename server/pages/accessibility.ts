// /accessibility (as WeKan has): which browsers are tested and how, what a text-browser or retro-browser
// user can set, and the access keys; with the screenshots the browser suite took of Dillo and NetSurf.
import type { FastifyPluginAsync } from 'fastify';
import { screenshotsDir } from '../paths.js';
import { notFound } from '../web/errors.js';
import { messagesFor } from '../web/language.js';

/** The screenshots by the name in their URL (a fixed list, so no path ever comes from the request), with their captions' keys. */
const SCREENSHOTS: Record<string, { file: string; caption: string }> = {
  'dillo-card.png': { file: 'dillo-card.png', caption: 'dilloCard' },
  'netsurf-board.png': { file: 'netsurf-board.png', caption: 'netsurfBoard' },
};

export const accessibilityPages: FastifyPluginAsync = async (app) => {
  app.get('/accessibility', (request, reply) => reply.page('accessibility', {
    title: messagesFor(request).t('accessibility.title'),
    // a caption is the key of its words (accessibility.shot.*)
    screenshots: Object.entries(SCREENSHOTS).map(([name, shot]) => ({ url: `/accessibility/${name}`, name: shot.caption })),
  }));

  app.get<{ Params: { name: string } }>('/accessibility/:name', (request, reply) => {
    const shot = SCREENSHOTS[request.params.name];
    if (!Object.hasOwn(SCREENSHOTS, request.params.name) || !shot) throw notFound();
    return reply.sendFile(shot.file, screenshotsDir, { maxAge: '1d' });
  });
};
