// A board's background picture on its pages: set and removed on the board settings page (board admins),
// and served to whoever sees the board. The board page shows it behind its table (style only: lite pages
// and browsers without CSS show none).
import type { FastifyPluginAsync } from 'fastify';
import { message } from '../i18n/messages.js';
import { isMultipart } from '../files/multipart.js';
import { receivedName } from '../files/names.js';
import { loadBoard, need } from '../web/access.js';
import { attachmentRules } from '../web/attachment-uploads.js';
import { keepBackground, sendBackground } from '../web/board-background.js';
import { HttpError, notFound } from '../web/errors.js';
import { seeOther } from '../web/redirect.js';
import { readSignedUpload } from '../web/uploads.js';
import { urls } from '../web/urls.js';

type BoardParams = { Params: { boardId: string; slug: string } };

export const boardBackgroundPages: FastifyPluginAsync = async (app) => {
  const board = '/b/:boardId/:slug';

  app.get<BoardParams & { Params: { backgroundId: string; filename: string } }>(`${board}/background/:backgroundId/:filename`, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const background = await request.server.store.boardBackgrounds.of(access.board.id);
    if (!background || background.id !== request.params.backgroundId) throw notFound();
    return sendBackground(request, reply, background);
  });

  // the board page's style sheet: the picture behind its table (ids and slugs are safe in CSS as they are;
  // the picture's own name is not, so the address names it "picture")
  app.get<BoardParams & { Params: { backgroundId: string } }>(`${board}/background-style/:backgroundId`, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const background = await request.server.store.boardBackgrounds.of(access.board.id);
    if (!background || background.id !== request.params.backgroundId) throw notFound();
    const picture = urls.background(access.board, background.id, 'picture');
    return reply.type('text/css; charset=utf-8').header('Cache-Control', 'private, max-age=86400')
      .send(`table.board.pictured { background-image: url("${picture}"); }\n`);
  });

  app.post<BoardParams>(`${board}/background`, { config: { csrf: 'own' } }, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    if (!isMultipart(request)) throw new HttpError(415, message('errors.notUpload'), message('errors.notUploadAttach'));
    const { files } = await readSignedUpload(request, { ...attachmentRules(request, user.id), maxFiles: 1 });
    const [file] = files;
    if (!file) throw new HttpError(422, message('errors.notAPicture'), message('pageErrors.chooseFile'));
    await keepBackground(request, user.id, access.board.id, { received: file.received, name: receivedName(file.rawName), sentType: file.sentType });
    return seeOther(request, reply, `${urls.boardPage(access.board, 'settings')}#background`);
  });

  app.post<BoardParams>(`${board}/background/remove`, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    const removed = await request.server.store.boardBackgrounds.remove(user.id, access.board.id);
    if (removed) await request.server.files.remove([removed]);
    return seeOther(request, reply, `${urls.boardPage(access.board, 'settings')}#background`);
  });
};
