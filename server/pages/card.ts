// The card page (WeKan's card popup as a full page): title, description, move, archive and restore.
import type { Localized } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card, CardDetails } from '../store/cards.js';
import { CARD_COLORS, isCardColor } from '../colors.js';
import { dateFields, parseLocalDate } from '../dates.js';
import { renderMarkdown } from '../markdown.js';
import { may } from '../permissions.js';
import { readCardSettings } from '../card-settings.js';
import { parsedColumn, readLocations, readStickers } from '../stickers-and-locations.js';
import { checkDescription, checkTitle } from '../validation.js';
import { cardScope, loadBoard, loadCard, need, visibleCards } from '../web/access.js';
import { formBody, text, texts, parsePlacement } from '../web/forms.js';
import type { Formatter } from '../web/format.js';
import { historyLines, historyNames } from '../web/history.js';
import { fieldValueInput, fieldValueText, type CustomField, type FieldValue } from '../custom-fields.js';
import { attachmentList } from '../web/file-display.js';
import { seeOther } from '../web/redirect.js';
import { BUSY_MESSAGE, holdForChange, parseSince, refreshTarget, sendShared } from '../web/live.js';
import { pageFormat, renderTemplate } from '../web/render.js';
import { messagesFor } from '../web/language.js';
import type { Translator } from '../i18n/messages.js';
import { refusalOf } from '../web/refusals.js';
import { urls } from '../web/urls.js';

type CardParams = { Params: { boardId: string; slug: string; cardId: string } };

interface CardForm {
  title?: string;
  description?: string;
  details?: DetailsForm;
  error?: Localized | null;
  errors?: Localized[];
  checklistTitle?: string;
  commentText?: string;
  /** The custom field boxes as typed, by field id. */
  fieldValues?: Record<string, string>;
}

/** Comments and history, for roles that may see them (no-comments members see neither). */
async function discussion(request: FastifyRequest, access: BoardAccess, card: Card) {
  const { store } = request.server;
  const { board, role } = access;
  if (!may(role, 'see-comments')) return { seeComments: false, canComment: false, comments: [], history: [] };
  const viewerId = request.viewer?.user.id ?? null;
  const canComment = !board.archived && may(role, 'comment');
  const comments = (await store.comments.forCard(card.id)).map((c) => ({
    ...c,
    html: renderMarkdown(c.text),
    canEdit: canComment && c.userId === viewerId,
    canDelete: canComment && (c.userId === viewerId || may(role, 'admin')),
  }));
  const activities = await store.activities.forCard(card.id);
  const names = await historyNames(store, board.id, activities);
  const format = pageFormat(request);
  return { seeComments: true, canComment, comments, history: historyLines(activities, names, format, messagesFor(request)) };
}

const DATE_FIELDS = [
  { field: 'receivedAt', label: 'card.received', defaultTime: '00:00', setting: 'allowsReceivedDate' },
  { field: 'startAt', label: 'card.start', defaultTime: '00:00', setting: 'allowsStartDate' },
  { field: 'dueAt', label: 'card.due', defaultTime: '23:59', setting: 'allowsDueDate' },
  { field: 'endAt', label: 'card.end', defaultTime: '23:59', setting: 'allowsEndDate' },
] as const;

/** The details form as typed: a date and a time box per date, the colour, the spent hours. */
type DetailsForm = Record<string, string>;

function detailsForm(card: Card, timeZone: string): DetailsForm {
  const form: DetailsForm = { color: card.color ?? '', spentTime: card.spentTime === null ? '' : String(card.spentTime) };
  for (const { field } of DATE_FIELDS) {
    const { date, time } = dateFields(card[field], timeZone);
    form[`${field}Date`] = date;
    form[`${field}Time`] = time;
  }
  return form;
}

function readDetails(typed: DetailsForm, timeZone: string, { t }: Translator): { details?: CardDetails; errors: string[] } {
  const errors: string[] = [];
  const dates: Partial<Record<(typeof DATE_FIELDS)[number]['field'], string | null>> = {};
  for (const { field, label, defaultTime } of DATE_FIELDS) {
    const parsed = parseLocalDate(typed[`${field}Date`] ?? '', typed[`${field}Time`] ?? '', timeZone, defaultTime);
    if (parsed.ok) dates[field] = parsed.value;
    else errors.push(t('card.dateError', { field: t(label), error: parsed.error }));
  }
  const color = typed.color ?? '';
  if (color && !isCardColor(color)) errors.push(t('card.errorColour'));
  const spentRaw = (typed.spentTime ?? '').trim().replace(',', '.');
  const spent = spentRaw === '' ? null : Number(spentRaw);
  if (spent !== null && (!Number.isFinite(spent) || spent < 0 || spent > 100000)) {
    errors.push(t('card.errorSpent'));
  }
  if (errors.length) return { errors };
  return {
    errors,
    details: {
      receivedAt: dates.receivedAt ?? null, startAt: dates.startAt ?? null, dueAt: dates.dueAt ?? null,
      endAt: dates.endAt ?? null, color: color || null, spentTime: spent,
    },
  };
}

/** Each of the board's custom fields with the card's value: in words, and as its form box shows it. */
function cardFields(fields: CustomField[], values: Map<string, FieldValue>, format: Formatter, typed?: Record<string, string>) {
  return fields.map((field) => {
    const value = values.get(field.id);
    return {
      field,
      text: value === undefined ? null : fieldValueText(field, value, format),
      input: typed?.[field.id] ?? fieldValueInput(field, value, format),
    };
  });
}

/** The card page; forms refused elsewhere (checklists) re-render it with their error. */
export async function showCard(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, card: Card,
  form: CardForm = {}, status = 200) {
  return reply.page('card', await cardData(request, access, card, form), status);
}

/** The live card page (no form errors): shared per version and viewer, ending in a meta refresh. */
/** Whether the signed-in viewer watches the card (watching changes no board version, so the page key carries it). */
async function viewerWatches(request: FastifyRequest, card: Card): Promise<boolean> {
  const viewerId = request.viewer?.user.id;
  return viewerId ? await request.server.store.watchers.watchesCard(card.id, viewerId) : false;
}

async function showLiveCard(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, card: Card, since: number | null) {
  const { board, role } = access;
  return sendShared(request, reply, {
    board,
    personal: true,
    key: ['card', board.id, String(board.version), card.id, role, String(since ?? ''), String(await viewerWatches(request, card))],
    render: async () => renderTemplate(request, 'card', {
      ...await cardData(request, access, card, {}),
      changedBy: since === null ? null : (await request.server.store.activities.changedCardsSince(board.id, since)).get(card.id) ?? null,
      refresh: refreshTarget(request, urls.card(board, card.id), board.version),
    }),
  });
}

async function cardData(request: FastifyRequest, access: BoardAccess, card: Card, form: CardForm) {
  const { store } = request.server;
  const scope = await cardScope(request, access); // other cards named on the page: only those the viewer may see
  const show = readCardSettings(access.board.cardSettings);
  const { board, role } = access;
  const live = !board.archived && !card.archived;
  const format = pageFormat(request);
  const viewerId = request.viewer?.user.id ?? null;
  const boardMembers = await store.members.forBoard(board.id);
  const assigneeIds = await store.members.onCard(card.id, 'assignees');
  return {
    title: card.title,
    board,
    card,
    ...await store.cards.people(card),
    list: await store.lists.byId(board.id, card.listId),
    swimlane: await store.swimlanes.byId(board.id, card.swimlaneId),
    lists: await store.lists.forBoard(board.id, false),
    swimlanes: await store.swimlanes.forBoard(board.id, false),
    siblings: visibleCards(await store.cards.cellTitles(card.listId, card.swimlaneId), scope).filter((c) => c.id !== card.id),
    boardLabels: await store.labels.forBoard(board.id),
    boardMembers,
    peopleForms: [
      ...show.allowsMembers ? [{ kind: 'members', field: 'member', heading: 'card.members', save: 'card.saveMembers', ids: (await store.members.onCard(card.id, 'members')) }] : [],
      ...show.allowsAssignee ? [{ kind: 'assignees', field: 'assignee', heading: 'card.assignees', save: 'card.saveAssignees', ids: assigneeIds }] : [],
    ],
    // the worker's one-button form; members who may edit use the assignee checkboxes
    selfAssigned: assigneeIds.includes(viewerId ?? ''),
    canAssignSelf: live && may(role, 'assign-self') && !may(role, 'edit') && boardMembers.some((m) => m.userId === viewerId),
    cardLabelIds: await store.labels.onCard(card.id),
    canEdit: live && may(role, 'edit'),
    canMove: live && may(role, 'move'),
    canMoveToBoard: live && may(role, 'move-to-board'),
    canRestore: !board.archived && !!card.archived && may(role, 'edit'),
    canWatch: viewerId !== null,
    watching: await viewerWatches(request, card),
    newTitle: form.title ?? card.title,
    newDescription: form.description ?? card.description,
    descriptionHtml: renderMarkdown(card.description),
    checklists: await store.checklists.forCard(card.id),
    parent: card.parentId && (!scope || scope.has(card.parentId)) ? (await store.cards.byId(board.id, card.parentId)) ?? null : null,
    subtasks: visibleCards(await store.cards.subtasks(card.id), scope),
    ...await dependencyData(request, card, scope),
    stickers: readStickers(parsedColumn(card.stickers)),
    locations: readLocations(parsedColumn(card.locations)),
    ...await attachmentList(request, access, card),
    ...await discussion(request, access, card),
    commentText: form.commentText ?? '',
    checklistTitle: form.checklistTitle ?? '',
    details: form.details ?? detailsForm(card, request.viewer?.user.timeZone ?? 'UTC'),
    customFields: cardFields(await store.customFields.forBoard(board.id), await store.customFields.valuesOf(card.id), format, form.fieldValues),
    // the board's card settings (card-settings.ts): a date the board does not use is neither shown nor asked for
    dateFields: DATE_FIELDS.filter((d) => show[d.setting]),
    show,
    // due and not done: an end date means the work finished
    overdue: format.late(card.dueAt, card.endAt, card.dueComplete),
    colors: CARD_COLORS,
    errors: form.errors ?? (form.error ? [form.error] : []),
  };
}

/** The card's dependency lines both ways. */
async function dependencyData(request: FastifyRequest, card: Card, scope: Set<string> | null) {
  const dependencies = (await request.server.store.dependencies.seenFrom(card.id)).filter((line) => !scope || scope.has(line.otherId));
  return {
    dependencies,
    /** The live, unfinished cards this one waits for (as the board's [blocked] mark counts them). */
    blockers: dependencies.filter((line) => line.type === 'is-blocked-by' && !line.otherArchived && !line.otherComplete),
  };
}

/** Loads board and card, and checks that the caller may act on the card (not archived, unless restoring). */
async function loadForChange(request: FastifyRequest<CardParams>, action: 'edit' | 'move' | 'assign-self') {
  const access = await loadBoard(request, request.params.boardId);
  const user = need(access, action, request);
  const card = await loadCard(request, access, request.params.cardId);
  return { access, user, card };
}

export const cardPages: FastifyPluginAsync = async (app) => {
  const path = '/b/:boardId/:slug/:cardId';

  app.get<CardParams>(path, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    return showLiveCard(request, reply, access, await loadCard(request, access, request.params.cardId), null);
  });

  app.get<CardParams & { Querystring: { since?: string } }>(`${path}/wait`, async (request, reply) => {
    const first = await loadBoard(request, request.params.boardId);
    await loadCard(request, first, request.params.cardId);
    const since = parseSince(request.query.since);
    const reason = await holdForChange(request, reply, first.board, since);
    if (reason === 'gone') return reply.hijack();
    if (reason === 'busy') return showCard(request, reply, first, await loadCard(request, first, request.params.cardId), { error: BUSY_MESSAGE }, 503);
    const access = await loadBoard(request, request.params.boardId);
    return showLiveCard(request, reply, access, await loadCard(request, access, request.params.cardId), since);
  });

  app.post<CardParams>(`${path}/title`, async (request, reply) => {
    const { access, user, card } = await loadForChange(request, 'edit');
    const typed = text(formBody(request), 'title');
    const title = checkTitle(typed, 'cardTitle');
    if (!title.ok) return showCard(request, reply, access, card, { title: typed, error: title.error }, 422);
    if (title.value !== card.title) await request.server.store.cards.rename(user.id, card, title.value);
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  app.post<CardParams>(`${path}/description`, async (request, reply) => {
    const { access, user, card } = await loadForChange(request, 'edit');
    const typed = text(formBody(request), 'description');
    const description = checkDescription(typed);
    if (!description.ok) {
      return showCard(request, reply, access, card, { description: typed, error: description.error }, 422);
    }
    if (description.value !== card.description) await request.server.store.cards.describe(user.id, card, description.value);
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  app.post<CardParams>(`${path}/details`, async (request, reply) => {
    const { access, user, card } = await loadForChange(request, 'edit');
    const body = formBody(request);
    const typed: DetailsForm = { color: text(body, 'color'), spentTime: text(body, 'spentTime') };
    const show = readCardSettings(access.board.cardSettings);
    const current = detailsForm(card, user.timeZone);
    for (const { field, setting } of DATE_FIELDS) {
      // a date the board's settings hide is not on the form: it keeps its value
      typed[`${field}Date`] = show[setting] ? text(body, `${field}Date`) : current[`${field}Date`]!;
      typed[`${field}Time`] = show[setting] ? text(body, `${field}Time`) : current[`${field}Time`]!;
    }
    const { details, errors } = readDetails(typed, user.timeZone, messagesFor(request));
    if (!details) return showCard(request, reply, access, card, { details: typed, errors }, 422);
    await request.server.store.cards.setDetails(user.id, card, details);
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  // WeKan's complete tick: one button, since a checkbox left empty sends nothing
  app.post<CardParams>(`${path}/complete`, async (request, reply) => {
    const { access, user, card } = await loadForChange(request, 'edit');
    await request.server.store.cards.setWork(user.id, card, { dueComplete: text(formBody(request), 'complete') === '1' });
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  app.post<CardParams>(`${path}/labels`, async (request, reply) => {
    const { access, user, card } = await loadForChange(request, 'edit');
    const refused = await refusalOf(async () => {
      await request.server.store.labels.setOnCard(user.id, card, texts(formBody(request), 'label'));
    });
    if (refused) return showCard(request, reply, access, card, { error: refused.message }, refused.status);
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  for (const kind of ['members', 'assignees'] as const) {
    app.post<CardParams>(`${path}/${kind}`, async (request, reply) => {
      const { access, user, card } = await loadForChange(request, 'edit');
      const picked = texts(formBody(request), kind === 'members' ? 'member' : 'assignee');
      const refused = await refusalOf(async () => {
        await request.server.store.members.setOnCard(user.id, card, kind, picked);
      });
      if (refused) return showCard(request, reply, access, card, { error: refused.message }, refused.status);
      return seeOther(request, reply, urls.card(access.board, card.id));
    });
  }

  // Workers may put themselves on a card, or take themselves off, and nothing else.
  app.post<CardParams>(`${path}/assign-me`, async (request, reply) => {
    const { access, user, card } = await loadForChange(request, 'assign-self');
    const { members } = request.server.store;
    const current = await members.onCard(card.id, 'assignees');
    const next = current.includes(user.id) ? current.filter((id) => id !== user.id) : [...current, user.id];
    const refused = await refusalOf(async () => {
      await members.setOnCard(user.id, card, 'assignees', next);
    });
    if (refused) return showCard(request, reply, access, card, { error: refused.message }, refused.status);
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  app.post<CardParams>(`${path}/move`, async (request, reply) => {
    const { access, user, card } = await loadForChange(request, 'move');
    const body = formBody(request);
    const refused = await refusalOf(async () => {
      await request.server.store.cards.move(user.id, access.board.id, [card.id], {
        listId: text(body, 'listId') || card.listId,
        swimlaneId: text(body, 'swimlaneId') || card.swimlaneId,
        placement: parsePlacement(text(body, 'position')),
      });
    });
    if (refused) return showCard(request, reply, access, card, { error: refused.message }, refused.status);
    return seeOther(request, reply, urls.card(access.board, card.id));
  });

  for (const [action, archived] of [['archive', true], ['restore', false]] as const) {
    app.post<CardParams>(`${path}/${action}`, async (request, reply) => {
      const { access, user, card } = await loadForChange(request, 'edit');
      await request.server.store.cards.setArchived(user.id, access.board.id, [card.id], archived);
      return seeOther(request, reply, archived ? urls.board(access.board) : urls.card(access.board, card.id));
    });
  }
};
