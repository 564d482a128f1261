// Copying a card through the API (WeKan 11's .../cards/:cardId/copy): to a list and swimlane of its own
// board or of another the caller may edit, at a 0-based `position` from the top of the target cell. The
// copy is the one the card page makes (files/copied-files.ts): text, dates, labels, people, checklists,
// files. WeKan requires toSwimlaneId; Wami takes the card's own swimlane, or the target's first, without one.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import { copyCardWithFiles } from '../files/copied-files.js';
import { loadBoard, loadCard, loadLane, need, requireUser } from '../web/access.js';
import { field } from './fields.js';
import { placementAt, positionField } from './lane-transfer.js';

type CardParams = { Params: { boardId: string; listId: string; cardId: string } };

/** The body's target cell: toListId and toSwimlaneId on the target board, defaults from the card. */
async function targetCell(request: FastifyRequest, to: BoardAccess, card: Card) {
  const { store } = request.server;
  const sameBoard = to.board.id === card.boardId;
  const listId = field(request, 'toListId') ? (await loadLane(request, to, 'list', field(request, 'toListId'))).id
    : sameBoard ? card.listId : (await store.lists.forBoard(to.board.id, false))[0]?.id ?? '';
  const swimlaneId = field(request, 'toSwimlaneId') ? (await loadLane(request, to, 'swimlane', field(request, 'toSwimlaneId'))).id
    : sameBoard ? card.swimlaneId : (await store.swimlanes.forBoard(to.board.id, false))[0]?.id ?? '';
  return { boardId: to.board.id, listId, swimlaneId };
}

export const cardCopyRoutes: FastifyPluginAsync = async (app) => {
  app.post<CardParams>('/api/boards/:boardId/lists/:listId/cards/:cardId/copy', async (request) => {
    const user = requireUser(request);
    const from = await loadBoard(request, request.params.boardId);
    need(from, 'edit', request);
    const card = await loadCard(request, from, request.params.cardId);
    const to = field(request, 'toBoardId') && field(request, 'toBoardId') !== from.board.id
      ? await loadBoard(request, field(request, 'toBoardId')) : from;
    need(to, 'edit', request);
    const position = positionField(request);
    const cell = await targetCell(request, to, card);
    const { store, files } = request.server;
    const copyId = await copyCardWithFiles(store, files, user.id, card, cell);
    if (position !== undefined) {
      const others = (await store.cards.cellTitles(cell.listId, cell.swimlaneId)).filter((other) => other.id !== copyId);
      await store.cards.move(user.id, to.board.id, [copyId], { ...cell, placement: placementAt(position, others) });
    }
    return { _id: copyId };
  });
};
