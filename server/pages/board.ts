// The board page (swimlanes x lists as one table), adding cards, lists and swimlanes, moving or
// archiving the picked cards, the board's settings and its archive.
import { message, type Localized } from '../i18n/messages.js';
import { fieldValueText, type FieldValue } from '../custom-fields.js';
import { messagesFor } from '../web/language.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Board, BoardAccess } from '../store/boards.js';
import type { CardFace } from '../store/cards.js';
import type { Lane } from '../store/lanes.js';
import { agingStep, readCardSettings } from '../card-settings.js';
import { may } from '../permissions.js';
import { checkTitle } from '../validation.js';
import { cardScope, loadBoard, loadLane, need, visibleCards } from '../web/access.js';
import { coverImage } from '../web/file-display.js';
import { formBody, parsePlacement, text, texts, type FormBody } from '../web/forms.js';
import { safeNext, seeOther } from '../web/redirect.js';
import { BUSY_MESSAGE, holdForChange, parseSince, refreshTarget, sendShared } from '../web/live.js';
import { renderTemplate } from '../web/render.js';
import { refusalOf } from '../web/refusals.js';
import { urls } from '../web/urls.js';

type BoardParams = { Params: { boardId: string; slug: string } };

export interface BoardRow {
  swimlane: Lane;
  cells: { list: Lane; cards: CardFace[]; hidden: number }[];
}

/** How many of the cards are in each list, by list id. */
export function countByList(cards: CardFace[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const card of cards) counts.set(card.listId, (counts.get(card.listId) ?? 0) + 1);
  return counts;
}

/** A cell shows this many cards on the board page; the rest are a "show all" link to the list's page. */
export const CELL_LIMIT = 50;

/** Cards grouped into the table the page shows: one row per swimlane, one cell per list. */
export function boardRows(swimlanes: Lane[], lists: Lane[], cards: CardFace[], cellLimit = CELL_LIMIT): BoardRow[] {
  const byCell = new Map<string, CardFace[]>();
  for (const card of cards) {
    const key = `${card.swimlaneId}/${card.listId}`;
    const cell = byCell.get(key);
    if (cell) cell.push(card);
    else byCell.set(key, [card]);
  }
  return swimlanes.map((swimlane) => ({
    swimlane,
    cells: lists.map((list) => {
      const all = byCell.get(`${swimlane.id}/${list.id}`) ?? [];
      // a collapsed list shows counts only, unless it is the one list on the page
      const limit = list.collapsed && cellLimit !== Infinity ? 0 : cellLimit;
      return { list, cards: all.slice(0, limit), hidden: Math.max(0, all.length - limit) };
    }),
  }));
}

/** The board page's filter, from its query string: a label, a person, or due dates. */
export interface BoardFilter {
  label: string;
  member: string;
  due: '' | 'overdue' | 'week';
}

export function parseFilter(query: Record<string, string | undefined>): BoardFilter {
  const due = query.due === 'overdue' || query.due === 'week' ? query.due : '';
  return { label: query.label ?? '', member: query.member ?? '', due };
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Cards that pass the filter. "week": due within the next seven days; "overdue": due, passed, not done. */
export function applyFilter(cards: CardFace[], filter: BoardFilter, now = new Date()): CardFace[] {
  const nowIso = now.toISOString();
  const weekIso = new Date(now.getTime() + WEEK_MS).toISOString();
  return cards.filter((c) =>
    (!filter.label || c.labels.some((l) => l.id === filter.label))
    && (!filter.member || c.peopleIds.includes(filter.member))
    && (filter.due !== 'overdue' || (!!c.dueAt && !c.endAt && !c.dueComplete && c.dueAt < nowIso))
    && (filter.due !== 'week' || (!!c.dueAt && !c.endAt && !c.dueComplete && c.dueAt >= nowIso && c.dueAt < weekIso)));
}

/** Where a board form came from (the board or one of its list pages), so the answer goes back there. */
function backTo(body: FormBody, access: BoardAccess): string {
  const from = safeNext(text(body, 'back'));
  return from.startsWith(`${urls.board(access.board)}/lists/`) ? from : urls.board(access.board);
}

const NO_FILTER: BoardFilter = { label: '', member: '', due: '' };

/** The whole board, or one list of it (the list's own page: every card, nothing collapsed). */
type BoardView = { list: Lane | null };

async function backgroundStyle(request: FastifyRequest, board: Board): Promise<string | null> {
  const background = await request.server.store.boardBackgrounds.of(board.id);
  return background ? urls.boardPage(board, `background-style/${background.id}`) : null;
}

async function boardData(request: FastifyRequest, access: BoardAccess, filter: BoardFilter = NO_FILTER,
  view: BoardView = { list: null }) {
  const { store } = request.server;
  const { board, role } = access;
  const lists = await store.lists.forBoard(board.id, false);
  const tableLists = view.list ? [view.list] : lists;
  const swimlanes = await store.swimlanes.forBoard(board.id, false);
  const allCards = visibleCards(await store.cards.faces(board.id), await cardScope(request, access));
  const filtered = filter.label !== '' || filter.member !== '' || filter.due !== '';
  const cards = filtered ? applyFilter(allCards, filter) : allCards;
  const counts = countByList(cards);
  const live = !board.archived;
  const shownFields = (await store.customFields.forBoard(board.id)).filter((f) => f.showOnCard);
  const show = readCardSettings(board.cardSettings);
  const nowMs = Date.now();
  const shownValues = shownFields.length ? (await store.customFields.shownOnBoard(board.id)) : new Map<string, Map<string, FieldValue>>();
  return {
    board,
    role,
    lists,
    swimlanes,
    filter,
    filtered,
    labels: await store.labels.forBoard(board.id),
    members: await store.members.forBoard(board.id),
    totalCount: allCards.length,
    cardCount: cards.length,
    listHeads: Object.fromEntries(lists.map((l) => {
      const count = counts.get(l.id) ?? 0;
      return [l.id, { count, limit: l.wipLimit, over: l.wipLimit !== null && count > l.wipLimit }];
    })),
    rows: boardRows(swimlanes, tableLists, cards, view.list ? Infinity : CELL_LIMIT),
    tableLists,
    /** The layout's first link jumps past the navigation, filter and forms to the table (text browsers); its words' key. */
    skipTo: lists.length > 0 ? { anchor: 'lists', label: 'board.skipToLists' } : null,
    onlyList: view.list,
    pageUrl: view.list ? urls.list(board, view.list.id) : urls.board(board),
    canEdit: live && may(role, 'edit'),
    canMove: live && may(role, 'move'),
    canAdmin: may(role, 'admin'),
    // the tool line offers only what the reader may open: the settings are members' (a visitor can change
    // and export nothing there); the calendar, members and watching need a signed-in reader
    tools: { settings: role !== 'visitor', signedIn: request.viewer !== null },
    cover: (card: CardFace) => coverImage(board, card),
    /** The card's values of fields shown on the board, in the fields' order. */
    fieldsOf: (card: CardFace) => {
      const values = shownValues.get(card.id);
      return values ? shownFields.filter((f) => values.has(f.id)).map((field) => ({ field, value: values.get(field.id)! })) : [];
    },
    fieldText: fieldValueText,
    /** The board's own style sheet (its background picture), or null: a style sheet, since the pages' policy allows no inline style. */
    boardStyle: await backgroundStyle(request, board),
    /** The board's card settings: what the cards' faces show (card-settings.ts). */
    show,
    /** The card's aging step, 0 to 3, when the board has card aging on. */
    aging: (card: CardFace) => agingStep(show, card.lastActivity, nowMs),
    /** Each aging step in words ("[untouched 14+ days]"), by step. */
    agingWords: ['', show.cardAgingDays1, show.cardAgingDays2, show.cardAgingDays3].map((days) => (days === '' ? '' : messagesFor(request).t('board.idle', { days }))),
    /** How many live, unfinished cards hold up each blocked card (card dependencies). */
    blocked: await store.dependencies.blockedOnBoard(board.id),
  };
}

async function showBoard(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, error?: Localized, status = 200,
  filter?: BoardFilter, view?: BoardView) {
  return reply.page('board', {
    title: view?.list ? `${view.list.title} - ${access.board.title}` : access.board.title,
    ...await boardData(request, access, filter, view),
    error: error ?? null,
  }, status);
}

/** The filter as a query string, carried into the wait URL so the refreshed page keeps it. */
function filterQuery(filter: BoardFilter): string {
  if (!filter.label && !filter.member && !filter.due) return ''; // most requests: no need to build a query
  return new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== '')).toString();
}

/**
 * The live board (or list) page: shared by everyone with the same role and options, marked with the
 * cards changed since `since`, ending in a meta refresh into its wait URL.
 */
function showLiveBoard(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, filter: BoardFilter,
  view: BoardView, since: number | null, woken = false) {
  const { board, role } = access;
  const pageUrl = view.list ? urls.list(board, view.list.id) : urls.board(board);
  return sendShared(request, reply, {
    board,
    woken,
    personal: !may(role, 'see-all-cards'), // an assigned-only member's page shows their own cards
    key: ['board', board.id, String(board.version), view.list?.id ?? '', role, filterQuery(filter), String(since ?? '')],
    render: async () => renderTemplate(request, 'board', {
      title: view.list ? `${view.list.title} - ${board.title}` : board.title,
      ...await boardData(request, access, filter, view),
      changed: since === null ? new Map() : await request.server.store.activities.changedCardsSince(board.id, since),
      refresh: refreshTarget(request, pageUrl, board.version, filterQuery(filter)),
      live: true,
      error: null,
    }),
  });
}

/** A wait URL: hold until the board changes (or the wait times out), then answer with the live page. */
async function waitThenShow(request: FastifyRequest<BoardParams & { Querystring: Record<string, string | undefined> }>,
  reply: FastifyReply, listId: string | null) {
  const reason = await holdForChange(request, reply, await checkedBoard(request, listId), parseSince(request.query.since));
  if (reason === 'gone') return reply.hijack();
  // Load again: the board may have changed, been archived, or been taken from the viewer meanwhile.
  // (Nothing from before the wait is kept across it: a held wait costs a few KB at most.)
  const access = await loadBoard(request, request.params.boardId);
  const list = listId ? (await loadLane(request, access, 'list', listId)) : null;
  if (reason === 'busy') return showBoard(request, reply, access, BUSY_MESSAGE, 503, parseFilter(request.query), { list });
  return showLiveBoard(request, reply, access, parseFilter(request.query), { list }, parseSince(request.query.since),
    reason === 'changed');
}

/** The board to wait on, after checking that the viewer may see it (and the list, if any). */
async function checkedBoard(request: FastifyRequest<BoardParams>, listId: string | null): Promise<Board> {
  const access = await loadBoard(request, request.params.boardId);
  if (listId) await loadLane(request, access, 'list', listId);
  return access.board;
}

interface CardForm {
  listId: string;
  swimlaneId: string;
  title?: string;
  error?: Localized | null;
}

async function showAddCard(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, form: CardForm, status = 200) {
  const { store } = request.server;
  return reply.page('add-card', {
    title: `${messagesFor(request).t('addCard.here')} - ${access.board.title}`,
    board: access.board,
    lists: await store.lists.forBoard(access.board.id, false),
    swimlanes: await store.swimlanes.forBoard(access.board.id, false),
    listId: form.listId,
    swimlaneId: form.swimlaneId,
    newTitle: form.title ?? '',
    error: form.error ?? null,
  }, status);
}

type LaneKind = 'list' | 'swimlane';

function showAddLane(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, kind: LaneKind,
  form: { title?: string; error?: Localized | null } = {}, status = 200) {
  return reply.page('add-lane', {
    title: `${messagesFor(request).t(kind === 'list' ? 'addLane.hereList' : 'addLane.hereSwimlane')} - ${access.board.title}`,
    board: access.board,
    kind,
    action: urls.boardPage(access.board, kind === 'list' ? 'lists' : 'swimlanes'),
    newTitle: form.title ?? '',
    error: form.error ?? null,
  }, status);
}

export const boardPages: FastifyPluginAsync = async (app) => {
  app.get<BoardParams & { Querystring: Record<string, string | undefined> }>('/b/:boardId/:slug', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    return showLiveBoard(request, reply, access, parseFilter(request.query), { list: null }, null);
  });

  app.get<BoardParams & { Querystring: Record<string, string | undefined> }>('/b/:boardId/:slug/wait',
    (request, reply) => waitThenShow(request, reply, null));

  // One list alone, every card of it: for long lists, small screens and text browsers.
  app.get<BoardParams & { Params: { listId: string }; Querystring: Record<string, string | undefined> }>(
    '/b/:boardId/:slug/lists/:listId',
    async (request, reply) => {
      const access = await loadBoard(request, request.params.boardId);
      const list = await loadLane(request, access, 'list', request.params.listId);
      return showLiveBoard(request, reply, access, parseFilter(request.query), { list }, null);
    },
  );

  app.get<BoardParams & { Params: { listId: string }; Querystring: Record<string, string | undefined> }>(
    '/b/:boardId/:slug/lists/:listId/wait',
    (request, reply) => waitThenShow(request, reply, request.params.listId),
  );

  app.get<BoardParams & { Querystring: { listId?: string; swimlaneId?: string } }>(
    '/b/:boardId/:slug/add-card',
    async (request, reply) => {
      const access = await loadBoard(request, request.params.boardId);
      need(access, 'edit', request);
      return showAddCard(request, reply, access, {
        listId: request.query.listId ?? '',
        swimlaneId: request.query.swimlaneId ?? '',
      });
    },
  );

  app.post<BoardParams>('/b/:boardId/:slug/cards', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'edit', request);
    const body = formBody(request);
    const form = { listId: text(body, 'listId'), swimlaneId: text(body, 'swimlaneId'), title: text(body, 'title') };
    const title = checkTitle(form.title, 'cardTitle');
    if (!title.ok) return showAddCard(request, reply, access, { ...form, error: title.error }, 422);
    const refused = await refusalOf(async () => {
      await request.server.store.cards.create(user.id, { boardId: access.board.id, listId: form.listId,
        swimlaneId: form.swimlaneId, title: title.value });
    });
    if (refused) return showAddCard(request, reply, access, { ...form, error: refused.message }, refused.status);
    return seeOther(request, reply, urls.board(access.board));
  });

  for (const kind of ['list', 'swimlane'] as const) {
    const plural = `${kind}s`;
    app.get<BoardParams>(`/b/:boardId/:slug/add-${kind}`, async (request, reply) => {
      const access = await loadBoard(request, request.params.boardId);
      need(access, 'edit', request);
      return showAddLane(request, reply, access, kind);
    });

    app.post<BoardParams>(`/b/:boardId/:slug/${plural}`, async (request, reply) => {
      const access = await loadBoard(request, request.params.boardId);
      const user = need(access, 'edit', request);
      const typed = text(formBody(request), 'title');
      const title = checkTitle(typed, kind === 'list' ? 'listTitle' : 'swimlaneTitle');
      if (!title.ok) return showAddLane(request, reply, access, kind, { title: typed, error: title.error }, 422);
      const lanes = kind === 'list' ? request.server.store.lists : request.server.store.swimlanes;
      await lanes.create(user.id, access.board.id, title.value);
      return seeOther(request, reply, urls.board(access.board));
    });
  }

  // The board's one big form: the picked cards (checkboxes) are moved or archived together.
  app.post<BoardParams>('/b/:boardId/:slug/selected', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const body = formBody(request);
    const cardIds = texts(body, 'card');
    const archive = text(body, 'archive') !== '';
    const user = need(access, archive ? 'edit' : 'move', request);
    if (cardIds.length === 0) {
      return showBoard(request, reply, access, message('pageErrors.pickCards'), 422);
    }
    const { store } = request.server;
    const refused = await refusalOf(async () => {
      if (archive) {
        await store.cards.setArchived(user.id, access.board.id, cardIds, true);
      } else {
        await store.cards.move(user.id, access.board.id, cardIds, {
          listId: text(body, 'listId'),
          swimlaneId: text(body, 'swimlaneId'),
          placement: parsePlacement(text(body, 'position')),
        });
      }
    });
    if (refused) return showBoard(request, reply, access, refused.message, refused.status);
    return seeOther(request, reply, backTo(body, access));
  });

  app.get<BoardParams>('/b/:boardId/:slug/archived', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const { store } = request.server;
    const { board } = access;
    const item = (url: string) => (thing: { title: string; archivedAt: string | null; id: string }) => ({
      title: thing.title,
      archivedAt: thing.archivedAt,
      url: `${url}/${thing.id}`,
    });
    return reply.page('board-archived', {
      title: messagesFor(request).t('archivedItems.pageTitle', { board: board.title }),
      board,
      canEdit: !board.archived && may(access.role, 'edit'),
      sections: [
        { heading: 'archivedItems.cards', items: visibleCards(await store.cards.archivedForBoard(board.id), await cardScope(request, access)).map(item(urls.board(board))) },
        { heading: 'archivedItems.lists', items: (await store.lists.forBoard(board.id, true)).map(item(`${urls.board(board)}/lists`)) },
        { heading: 'archivedItems.swimlanes', items: (await store.swimlanes.forBoard(board.id, true)).map(item(`${urls.board(board)}/swimlanes`)) },
      ],
    });
  });
};
