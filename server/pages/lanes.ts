// The page of one list or swimlane: rename, archive, restore. Both kinds share every route.
import type { Localized } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Lane } from '../store/lanes.js';
import { may } from '../permissions.js';
import { checkTitle, checkWipLimit } from '../validation.js';
import { loadBoard, loadLane, need } from '../web/access.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { refusal } from '../web/refusals.js';
import { CARD_COLORS, isCardColor } from '../colors.js';
import { parsePlacement } from './board.js';
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
      const error = !limit.ok ? limit.error : look.color && !isCardColor(look.color) ? 'Choose a colour from the list.' : undefined;
      if (error || !limit.ok) return showLane(request, reply, access, kind, lane, { look, error }, 422);
      await store(request).setLook(user.id, lane, { ...look, color: look.color || null, wipLimit: limit.value });
      return seeOther(request, reply, `${urls.board(access.board)}/${kind.plural}/${lane.id}/settings`);
    });

    app.post<LaneParams>(`${path}/move`, async (request, reply) => {
      const access = await loadBoard(request, request.params.boardId);
      const user = need(access, 'edit', request);
      const lane = await loadLane(request, access, kind.kind, request.params.laneId);
      try {
        await store(request).move(user.id, lane, parsePlacement(text(formBody(request), 'position')));
      } catch (error) {
        const refused = refusal(error);
        if (!refused) throw error;
        return showLane(request, reply, access, kind, lane, { error: refused.message }, refused.status);
      }
      return seeOther(request, reply, urls.board(access.board));
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
