// A board's settings page: title, colour, description, public or private, and its labels.
import { message } from '../i18n/messages.js';
import type { Localized } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import { BOARD_COLORS, CARD_COLORS, isBoardColor, isCardColor } from '../colors.js';
import { may } from '../permissions.js';
import { checkDescription, checkTitle, LIMITS } from '../validation.js';
import { loadBoard, need, requireUser } from '../web/access.js';
import { forbidden, notFound } from '../web/errors.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';
import { loadForExport, sendBoardExport } from '../web/board-export.js';
import { copyBoard, copyTitle } from '../import/copy.js';
import { FIELD_TYPES } from '../custom-fields.js';
import { emailDomain } from '../domains.js';
import { refusalOf } from '../web/refusals.js';
import { HONOURED, readCardSettings, storedCardSettings, withValues, type CardSettingKey } from '../card-settings.js';

type BoardParams = { Params: { boardId: string; slug: string } };
type LabelParams = { Params: { boardId: string; slug: string; labelId: string } };

interface SettingsForm {
  title: string;
  color: string;
  description: string;
  permission: string;
}

/** The board's background picture as a link (its name, its address), or null. */
async function backgroundLink(request: FastifyRequest, board: BoardAccess['board']) {
  const background = await request.server.store.boardBackgrounds.of(board.id);
  return background ? { name: background.name, url: urls.background(board, background.id, background.name) } : null;
}

/** The card settings form: the keys the pages follow, ticked or not, and the aging days as typed. */
function cardSettingsForm(stored: string, typed?: Record<string, string>) {
  const settings = readCardSettings(stored);
  const onBoard = (key: string) => key.endsWith('OnMinicard');
  const box = (key: CardSettingKey) => ({ key, checked: typed ? typed[key] === 'on' : settings[key] });
  return {
    onCard: HONOURED.filter((key) => !onBoard(key) && key !== 'cardAging').map(box),
    onBoard: HONOURED.filter(onBoard).map(box),
    aging: box('cardAging'),
    days: (['cardAgingDays1', 'cardAgingDays2', 'cardAgingDays3'] as const).map((key, at) => ({ key, step: at + 1, value: typed?.[key] ?? String(settings[key]) })),
  };
}

export async function showSettings(request: FastifyRequest, reply: FastifyReply, access: BoardAccess,
  form?: SettingsForm, errors: Localized[] = [], status = 200, typedCardSettings?: Record<string, string>, typedDomain?: string) {
  const { board, role } = access;
  const { store } = request.server;
  return reply.page('board-settings', {
    title: messagesFor(request).t('boardSettings.pageTitle', { board: board.title }),
    board,
    canAdmin: may(role, 'admin'),
    canEdit: !board.archived && may(role, 'edit'),
    // the whole board leaves by these: not for a member who may see only some of its cards
    canCopy: role !== 'visitor' && may(role, 'see-all-cards'),
    canExport: role !== 'visitor' && may(role, 'see-all-cards'),
    cardSettings: cardSettingsForm(board.cardSettings, typedCardSettings),
    domains: await store.boards.domains(board.id),
    background: await backgroundLink(request, board),
    typedDomain: typedDomain ?? '',
    customFields: await store.customFields.forBoard(board.id),
    fieldTypes: FIELD_TYPES,
    copyTitle: copyTitle(board.title, messagesFor(request)),
    form: form ?? { title: board.title, color: board.color, description: board.description, permission: board.permission },
    boardColors: BOARD_COLORS,
    labelColors: CARD_COLORS,
    labels: await store.labels.forBoard(board.id),
    lists: await store.lists.forBoard(board.id, false),
    swimlanes: await store.swimlanes.forBoard(board.id, false),
    errors,
  }, status);
}

/** The label named in the URL, on a board the caller may edit; 404 when it is not this board's. */
async function loadLabel(request: FastifyRequest<LabelParams>) {
  const access = await loadBoard(request, request.params.boardId);
  const user = need(access, 'edit', request);
  const label = await request.server.store.labels.byId(access.board.id, request.params.labelId);
  if (!label) throw notFound();
  return { access, user, label };
}

function checkLabel(name: string, color: string): Localized[] {
  const errors: Localized[] = [];
  if ([...name].length > LIMITS.labelName) errors.push(message('pageErrors.labelNameLength', { max: LIMITS.labelName }));
  if (!isCardColor(color)) errors.push(message('pageErrors.labelColour'));
  return errors;
}

export const boardSettingsPages: FastifyPluginAsync = async (app) => {
  // The export as a download from the settings page (the session's user; the API takes a token).
  app.get<BoardParams & { Querystring: { attachments?: string } }>('/b/:boardId/:slug/export', async (request, reply) =>
    sendBoardExport(request, reply, await loadForExport(request, request.params.boardId), request.query.attachments !== 'false'));

  // A copy of the whole board (members may; visitors of a public board may not), then the copy is shown.
  app.post<BoardParams>('/b/:boardId/:slug/copy', async (request, reply) => {
    const user = requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    if (access.role === 'visitor') throw forbidden(message('errors.membersCopy'));
    const title = checkTitle(text(formBody(request), 'title'), 'copyTitle');
    if (!title.ok) return showSettings(request, reply, access, undefined, [title.error], 422);
    const copyId = await copyBoard(request, user.id, access, title.value);
    return seeOther(request, reply, urls.board((await request.server.store.boards.byId(copyId))!));
  });

  // Sharing with an e-mail domain (board admins): add one, or stop sharing with one
  app.post<BoardParams>('/b/:boardId/:slug/domains', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    const typed = text(formBody(request), 'domain');
    const domain = emailDomain(typed);
    if (!domain) return showSettings(request, reply, access, undefined, [message('boardDomains.invalid', { domain: typed })], 422, undefined, typed);
    const refused = await refusalOf(async () => {
      await request.server.store.boards.addDomain(user.id, access.board.id, domain);
    });
    if (refused) return showSettings(request, reply, access, undefined, [refused.message], refused.status, undefined, typed);
    return seeOther(request, reply, `${urls.boardPage(access.board, 'settings')}#domains`);
  });

  app.post<BoardParams>('/b/:boardId/:slug/domains/remove', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    await request.server.store.boards.removeDomain(user.id, access.board.id, text(formBody(request), 'domain'));
    return seeOther(request, reply, `${urls.boardPage(access.board, 'settings')}#domains`);
  });

  // The card settings the pages follow; an unticked box sends nothing, so every honoured key is read
  app.post<BoardParams>('/b/:boardId/:slug/card-settings', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'edit', request);
    const body = formBody(request);
    const typed = Object.fromEntries([...HONOURED, 'cardAgingDays1', 'cardAgingDays2', 'cardAgingDays3'].map((key) => [key, text(body, key)]));
    const values = Object.fromEntries(HONOURED.map((key) => [key, typed[key] === 'on']));
    const refused: string[] = [];
    const settings = withValues(readCardSettings(access.board.cardSettings),
      { ...values, cardAgingDays1: typed.cardAgingDays1, cardAgingDays2: typed.cardAgingDays2, cardAgingDays3: typed.cardAgingDays3 }, refused);
    if (refused.length) return showSettings(request, reply, access, undefined, [message('cardSettings.agingDays')], 422, typed);
    await request.server.store.boards.setCardSettings(user.id, access.board, storedCardSettings(settings));
    return seeOther(request, reply, `${urls.boardPage(access.board, 'settings')}#card-settings`);
  });

  app.get<BoardParams>('/b/:boardId/:slug/settings', async (request, reply) =>
    await showSettings(request, reply, await loadBoard(request, request.params.boardId)));

  app.post<BoardParams>('/b/:boardId/:slug/settings', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'admin', request);
    const body = formBody(request);
    const form: SettingsForm = {
      title: text(body, 'title'), color: text(body, 'color'),
      description: text(body, 'description'), permission: text(body, 'permission'),
    };
    const title = checkTitle(form.title, 'boardTitle');
    const description = checkDescription(form.description);
    const errors = [title, description].flatMap((c) => (c.ok ? [] : [c.error]));
    if (!isBoardColor(form.color)) errors.push(message('pageErrors.boardColour'));
    if (form.permission !== 'private' && form.permission !== 'public') errors.push(message('pageErrors.permission'));
    if (!title.ok || !description.ok || errors.length) return showSettings(request, reply, access, form, errors, 422);
    await request.server.store.boards.update(user.id, access.board, {
      title: title.value, color: form.color, description: description.value,
      permission: form.permission as 'private' | 'public',
    });
    return seeOther(request, reply, urls.boardPage((await request.server.store.boards.byId(access.board.id))!, 'settings'));
  });

  app.post<BoardParams>('/b/:boardId/:slug/labels', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'edit', request);
    const body = formBody(request);
    const name = text(body, 'name').trim();
    const color = text(body, 'color');
    const errors = checkLabel(name, color);
    if (errors.length) return showSettings(request, reply, access, undefined, errors, 422);
    await request.server.store.labels.create(user.id, access.board.id, name, color);
    return seeOther(request, reply, urls.boardPage(access.board, 'settings'));
  });

  app.post<LabelParams>('/b/:boardId/:slug/labels/:labelId', async (request, reply) => {
    const { access, user, label } = await loadLabel(request);
    const body = formBody(request);
    const name = text(body, 'name').trim();
    const color = text(body, 'color');
    const errors = checkLabel(name, color);
    if (errors.length) return showSettings(request, reply, access, undefined, errors, 422);
    await request.server.store.labels.update(user.id, label, name, color);
    return seeOther(request, reply, urls.boardPage(access.board, 'settings'));
  });

  app.post<LabelParams>('/b/:boardId/:slug/labels/:labelId/delete', async (request, reply) => {
    const { access, user, label } = await loadLabel(request);
    await request.server.store.labels.delete(user.id, label);
    return seeOther(request, reply, urls.boardPage(access.board, 'settings'));
  });
};
