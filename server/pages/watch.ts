// Watching a board or a card ("watch" in WeKan, Step 10): the board's Watch page (a full page instead of
// WeKan's popup: the board page is shared by everyone who sees it, so it cannot show one person's
// choice) and the card page's Watch button. Watchers hear by mail of cards moved on the board and of
// moves and comments on the card, as their profile allows.
import { message } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { User } from '../store/users.js';
import { may } from '../permissions.js';
import { loadBoard, loadCard, requireUser } from '../web/access.js';
import { forbidden } from '../web/errors.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';

type BoardParams = { Params: { boardId: string; slug: string } };
type CardParams = { Params: { boardId: string; slug: string; cardId: string } };

/** The signed-in person who may see the board: watching needs no more. */
async function watcher(request: FastifyRequest<BoardParams>) {
  const access = await loadBoard(request, request.params.boardId);
  const user = requireUser(request);
  if (!may(access.role, 'view')) throw forbidden(message('errors.watchNeedsView'));
  return { access, user };
}

/** "1" watches, anything else stops: the form's two buttons send one or the other. */
const wantsWatch = (request: FastifyRequest) => text(formBody(request), 'watch') === '1';

async function showWatch(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, user: User) {
  const { store, wamiConfig } = request.server;
  return reply.page('watch', {
    title: messagesFor(request).t('watch.pageTitle', { board: access.board.title }),
    board: access.board,
    watching: await store.watchers.watchesBoard(access.board.id, user.id),
    mailOn: wamiConfig.smtpUrl !== null,
    mailWatched: !!user.mailWatched,
    hasEmail: !!user.email,
  });
}

export const watchPages: FastifyPluginAsync = async (app) => {
  const board = '/b/:boardId/:slug';

  app.get<BoardParams>(`${board}/watch`, async (request, reply) => {
    const { access, user } = await watcher(request);
    return showWatch(request, reply, access, user);
  });

  app.post<BoardParams>(`${board}/watch`, async (request, reply) => {
    const { access, user } = await watcher(request);
    await request.server.store.watchers.watchBoard(access.board.id, user.id, wantsWatch(request));
    return seeOther(request, reply, urls.boardPage(access.board, 'watch'));
  });

  app.post<CardParams>(`${board}/:cardId/watch`, async (request, reply) => {
    const { access, user } = await watcher(request);
    const card = await loadCard(request, access, request.params.cardId);
    await request.server.store.watchers.watchCard(card.id, user.id, wantsWatch(request));
    return seeOther(request, reply, urls.card(access.board, card.id));
  });
};
