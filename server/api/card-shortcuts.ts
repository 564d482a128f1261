// WeKan 11's one-purpose card routes (Step 13): archive and unarchive a card, and add or remove one
// member or assignee without sending the whole list (WeKan's issue 5998). The card is matched by board,
// list and id together (loadCard), as WeKan does. WeKan answers a person who is not on the board with
// 400; Wami with 422 and the reason, as its other routes refuse the same thing.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { message } from '../i18n/messages.js';
import { may } from '../permissions.js';
import type { CardPeople } from '../store/members.js';
import { loadBoard, loadCard, need, requireUser } from '../web/access.js';
import { ApiError, refusedByStore } from './scope.js';

type CardParams = { Params: { boardId: string; listId: string; cardId: string } };
type PersonParams = { Params: { boardId: string; listId: string; cardId: string; memberId?: string; assigneeId?: string } };

const onCard = '/api/boards/:boardId/lists/:listId/cards/:cardId';

/** The card, live or archived as `archived` asks (the other kind is not found, as in WeKan), with who may change it. */
async function loadForChange(request: FastifyRequest<CardParams>, archived: boolean) {
  const user = requireUser(request);
  const access = await loadBoard(request, request.params.boardId);
  const card = await loadCard(request, access, request.params.cardId);
  if (!!card.archived !== archived) throw new ApiError(404, 'not-found', message('api.cardNotFound'));
  return { user, access, card };
}

export const cardShortcutRoutes: FastifyPluginAsync = async (app) => {
  app.post<CardParams>(`${onCard}/archive`, async (request) => {
    const { user, access, card } = await loadForChange(request, false);
    need(access, 'edit', request);
    await request.server.store.cards.setArchived(user.id, access.board.id, [card.id], true);
    const archivedAt = (await request.server.store.cards.byId(access.board.id, card.id))!.archivedAt;
    return { _id: card.id, archived: true, archivedAt };
  });

  app.post<CardParams>(`${onCard}/unarchive`, async (request) => {
    const { user, access, card } = await loadForChange(request, true);
    need(access, 'edit', request);
    await request.server.store.cards.setArchived(user.id, access.board.id, [card.id], false);
    return { _id: card.id, archived: false };
  });

  for (const [kind, param] of [['members', 'memberId'], ['assignees', 'assigneeId']] as const) {
    for (const method of ['post', 'delete'] as const) {
      app[method]<PersonParams>(`${onCard}/${kind}/:${param}`, async (request) => {
        const { user, access, card } = await loadForChange(request as FastifyRequest<CardParams>, false);
        const person = request.params[param]!;
        // a worker may put themself on a card as assignee, or take themself off, and nothing more
        const selfAssign = kind === 'assignees' && person === user.id && may(access.role, 'assign-self');
        if (!selfAssign) need(access, 'edit', request);
        const { members } = request.server.store;
        try {
          if (method === 'post') await members.addToCard(user.id, card, kind as CardPeople, person);
          else await members.removeFromCard(user.id, card, kind as CardPeople, person);
        } catch (error) {
          refusedByStore(error);
        }
        return { _id: card.id, members: await members.onCard(card.id, 'members'), assignees: await members.onCard(card.id, 'assignees') };
      });
    }
  }
};
