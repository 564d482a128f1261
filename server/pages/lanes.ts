// The page of one list or swimlane: rename, archive, restore. Both kinds share every route.
import { message, type Localized } from '../i18n/messages.js';
import { copyListWithFiles, copySwimlaneWithFiles } from '../files/copied-files.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Lane } from '../store/lanes.js';
import { may } from '../permissions.js';
import { checkTitle, checkWipLimit } from '../validation.js';
import { loadBoard, loadLane, need } from '../web/access.js';
import { formBody, text, parsePlacement } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { refusal, refusalOf } from '../web/refusals.js';
import { CARD_COLORS, isCardColor } from '../colors.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';

type LaneParams = { Params: { boardId: string; slug: string; laneId: string } };

const KINDS = [
  { kind: 'list', plural: 'lists', noun: 'List' },
  { kind: 'swimlane', plural: 'swimlanes', noun: 'Swimlane' },
] as const;

type Kind = (typeof KINDS)[number];

interface LookForm {
  color: string;
  wipLimit: string;
  wipSoft: boolean;
  starred: boolean;
  collapsed: boolean;
}

/** The boards the viewer may edit, for "copy or move to a board". */
async function editableBoards(request: FastifyRequest) {
  const viewer = request.viewer?.user;
  return viewer ? (await request.server.store.boards.forMember(viewer.id, false)).filter((b) => may(b.role, 'edit')) : [];
}

async function showLane(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, kind: Kind, lane: Lane,
  form: { title?: string; look?: LookForm; error?: Localized | null } = {}, status = 200) {
  return reply.page('lane', {
    title: messagesFor(request).t(kind.kind === 'list' ? 'lanes.listNamed' : 'lanes.swimlaneNamed', { title: lane.title }),
    board: access.board,
    kind: kind.kind,
    lane,
    action: `${urls.board(access.board)}/${kind.plural}/${lane.id}`,
    canEdit: !access.board.archived && may(access.role, 'edit'),
    newTitle: form.title ?? lane.title,
    look: form.look ?? { color: lane.color ?? '', wipLimit: lane.wipLimit === null ? '' : String(lane.wipLimit), wipSoft: !!lane.wipSoft,
      starred: !!lane.starred, collapsed: !!lane.collapsed },
    colors: CARD_COLORS,
    others: (await (kind.kind === 'list' ? request.server.store.lists : request.server.store.swimlanes)
      .forBoard(access.board.id, false)).filter((l) => l.id !== lane.id),
    // copying or moving it to a board: only for who sees every card (the copy or move takes them all)
    targets: may(access.role, 'see-all-cards') ? await editableBoards(request) : [],
    canMoveAway: may(access.role, 'move-to-board') && may(access.role, 'see-all-cards'),
    errors: form.error ? [form.error] : [],
  }, status);
}

export const lanePages: FastifyPluginAsync = async (app) => {
  for (const kind of KINDS) {
    const path = `/b/:boardId/:slug/${kind.plural}/:laneId`;
    const store = (request: FastifyRequest) =>
      kind.kind === 'list' ? request.server.store.lists : request.server.store.swimlanes;

    app.get<LaneParams>(`${path}/settings`, async (request, reply) => {
      const access = await loadBoard(request, request.params.boardId);
      return showLane(request, reply, access, kind, await loadLane(request, access, kind.kind, request.params.laneId));
    });

    app.post<LaneParams>(`${path}/title`, async (request, reply) => {
      const access = await loadBoard(request, request.params.boardId);
      const user = need(access, 'edit', request);
      const lane = await loadLane(request, access, kind.kind, request.params.laneId);
      const typed = text(formBody(request), 'title');
      const title = checkTitle(typed, kind.kind === 'list' ? 'listTitle' : 'swimlaneTitle');
      if (!title.ok) return showLane(request, reply, access, kind, lane, { title: typed, error: title.error }, 422);
      await store(request).rename(user.id, lane, title.value);
      return seeOther(request, reply, urls.board(access.board));
    });

    app.post<LaneParams>(`${path}/look`, async (request, reply) => {
      const access = await loadBoard(request, request.params.boardId);
      const user = need(access, 'edit', request);
      const lane = await loadLane(request, access, kind.kind, request.params.laneId);
      const body = formBody(request);
      const look: LookForm = { color: text(body, 'color'), wipLimit: text(body, 'wipLimit').trim(), wipSoft: text(body, 'wipSoft') === '1',
        starred: text(body, 'starred') === '1', collapsed: text(body, 'collapsed') === '1' };
      const limit = checkWipLimit(look.wipLimit);
      const error = !limit.ok ? limit.error : look.color && !isCardColor(look.color) ? message('pageErrors.chooseColour') : undefined;
      if (error || !limit.ok) return showLane(request, reply, access, kind, lane, { look, error }, 422);
      await store(request).setLook(user.id, lane, { ...look, color: look.color || null, wipLimit: limit.value });
      return seeOther(request, reply, `${urls.board(access.board)}/${kind.plural}/${lane.id}/settings`);
    });

    app.post<LaneParams>(`${path}/move`, async (request, reply) => {
      const access = await loadBoard(request, request.params.boardId);
      const user = need(access, 'edit', request);
      const lane = await loadLane(request, access, kind.kind, request.params.laneId);
      const refused = await refusalOf(async () => {
        await store(request).move(user.id, lane, parsePlacement(text(formBody(request), 'position')));
      });
      if (refused) return showLane(request, reply, access, kind, lane, { error: refused.message }, refused.status);
      return seeOther(request, reply, urls.board(access.board));
    });

    // to a board (this one, for a copy): the button pressed says which (its name: its words are translated);
    // the target's first swimlane takes a list's cards
    app.post<LaneParams>(`${path}/transfer`, async (request, reply) => {
      const from = await loadBoard(request, request.params.boardId);
      const user = need(from, 'edit', request);
      need(from, 'see-all-cards', request);
      const lane = await loadLane(request, from, kind.kind, request.params.laneId);
      const body = formBody(request);
      const to = await loadBoard(request, text(body, 'boardId'));
      need(to, 'edit', request);
      const { store, files } = request.server;
      const moving = text(body, 'move') !== '';
      if (moving && to.board.id === from.board.id) return showLane(request, reply, from, kind, lane, { error: message('lanes.moveSameBoard') }, 422);
      if (moving) need(from, 'move-to-board', request);
      try {
        const swimlaneId = (await store.swimlanes.forBoard(to.board.id, false))[0]?.id ?? '';
        if (kind.kind === 'list') {
          if (moving) await store.laneTransfer.moveList(user.id, lane, { boardId: to.board.id, swimlaneId });
          else await copyListWithFiles(store, files, user.id, lane, { boardId: to.board.id, swimlaneId: to.board.id === from.board.id ? null : swimlaneId });
        } else if (moving) {
          await store.laneTransfer.moveSwimlane(user.id, lane, to.board.id, lane.title);
        } else {
          await copySwimlaneWithFiles(store, files, user.id, lane, to.board.id, lane.title);
        }
      } catch (error) {
        const refused = refusal(error);
        if (!refused) throw error;
        return showLane(request, reply, from, kind, lane, { error: refused.message }, refused.status);
      }
      return seeOther(request, reply, urls.board(to.board));
    });

    for (const [action, archived] of [['archive', true], ['restore', false]] as const) {
      app.post<LaneParams>(`${path}/${action}`, async (request, reply) => {
        const access = await loadBoard(request, request.params.boardId);
        const user = need(access, 'edit', request);
        const lane = await loadLane(request, access, kind.kind, request.params.laneId);
        if (!!lane.archived !== archived) await store(request).setArchived(user.id, lane, archived);
        return seeOther(request, reply, urls.board(access.board));
      });
    }
  }
};
