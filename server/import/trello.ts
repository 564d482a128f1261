// Reading a Trello board export (Trello's board menu, "Print and export", JSON) into an import plan:
// name -> title, desc -> description, closed -> archived, pos -> sort, due/start dates, labels, members
// (by username), checklists (state "complete" -> finished) and comments from commentCard actions.
// Trello has no swimlanes: everything goes into one "Default" swimlane. Its export carries links to
// attached files, not the files: the links are added to the card's description (see notes).
import { message, type Localized } from '../i18n/messages.js';
import { isCardColor } from '../colors.js';
import { newLabelId } from '../ids.js';
import type { MemberRole } from '../permissions.js';
import { checkedPlan, lane, type PlannedCard, type PlanReading } from './plan.js';
import { date, doc, docs, ids, num, str, type Doc } from './json-values.js';

/** Trello's board backgrounds and the WeKan board colour nearest to each (as WeKan's own importer has them). */
const BOARD_COLORS: Record<string, string> = {
  blue: 'belize', orange: 'pumpkin', green: 'nephritis', red: 'pomegranate', purple: 'wisteria',
  pink: 'moderatepink', lime: 'limegreen', sky: 'strongcyan', grey: 'midnight',
};

/** Trello label colours are ours, some with a `_light`/`_dark` shade; a label without one is grey. */
function labelColor(v: unknown): string {
  const base = str(v).replace(/_(light|dark)$/, '');
  return isCardColor(base) ? base : 'gray';
}

/** Trello ids are MongoDB ObjectIds: their first 8 hex digits are the creation time in seconds. */
function createdAtOf(trelloId: string): string | null {
  return /^[0-9a-f]{24}$/.test(trelloId) ? new Date(parseInt(trelloId.slice(0, 8), 16) * 1000).toISOString() : null;
}

/** True when a parsed JSON file is a Trello board rather than a WeKan one. */
export function looksLikeTrello(input: unknown): boolean {
  const d = doc(input);
  return typeof d.name === 'string' && d.title === undefined && (Array.isArray(d.actions) || 'prefs' in d || 'idOrganization' in d);
}

const ROLES: Record<string, MemberRole> = { admin: 'admin', normal: 'normal', observer: 'comment-only' };

export function readTrelloExport(input: unknown): PlanReading {
  if (!looksLikeTrello(input)) return { plan: null, problems: [message('importProblems.notTrello')] };
  const d = input as Doc;
  const problems: Localized[] = [];
  const title = str(d.name).trim();
  if (!title) problems.push(message('importProblems.noName'));
  const prefs = doc(d.prefs);
  const swimlane = lane('trello-default', 'Default', 0);

  const users = new Map(docs(d.members).map((m) => [str(m.id), str(m.username)]));
  const actions = docs(d.actions);
  for (const a of actions) {
    const creator = doc(a.memberCreator);
    if (str(a.idMemberCreator) && !users.has(str(a.idMemberCreator))) users.set(str(a.idMemberCreator), str(creator.username));
  }
  const labelIds = new Map(docs(d.labels).map((l) => [str(l.id), newLabelId()]));
  const created = new Map<string, { by: string; at: string | null }>();
  for (const a of actions) {
    if (a.type === 'createCard') created.set(str(doc(doc(a.data).card).id), { by: str(a.idMemberCreator), at: date(a.date) });
  }

  const attachmentLinks = { count: 0 };
  const cards: PlannedCard[] = docs(d.cards).map((c) => {
    const id = str(c.id);
    const links = docs(c.attachments).filter((a) => str(a.url)).map((a) => `- [${str(a.name, 'file').replace(/[[\]]/g, '')}](${str(a.url)})`);
    attachmentLinks.count += links.length;
    const description = links.length ? `${str(c.desc)}${str(c.desc) ? '\n\n' : ''}Attached on Trello:\n\n${links.join('\n')}` : str(c.desc);
    return {
      id, listId: str(c.idList), swimlaneId: swimlane.id, title: str(c.name, 'Untitled').trim() || 'Untitled', description,
      sort: num(c.pos), color: null, archived: c.closed === true, authorId: created.get(id)?.by || null,
      members: ids(c.idMembers), assignees: [], labelIds: ids(c.idLabels).map((l) => labelIds.get(l) ?? l),
      receivedAt: null, startAt: date(c.start), dueAt: date(c.due), endAt: null, spentTime: null, coverId: null, customFields: [], isOvertime: false, requestedBy: '', assignedBy: '', parentId: null, dueComplete: false, dependencies: [], stickers: '[]', locations: '[]',
      createdAt: created.get(id)?.at ?? createdAtOf(id),
    };
  });

  const checklists = docs(d.checklists);
  // Trello keeps the comments of deleted cards among the board's actions: they have nowhere to go.
  const cardIds = new Set(cards.map((c) => c.id));
  const comments = actions.filter((a) => a.type === 'commentCard').map((a) => ({
    cardId: str(doc(doc(a.data).card).id), text: str(doc(a.data).text), userId: str(a.idMemberCreator) || null, createdAt: date(a.date),
  }));
  const kept = comments.filter((c) => cardIds.has(c.cardId));
  const notes: Localized[] = [];
  if (kept.length < comments.length) notes.push(message('importProblems.trelloComments', { count: comments.length - kept.length }));
  if (attachmentLinks.count) notes.push(message('importProblems.trelloFiles', { count: attachmentLinks.count }));
  return checkedPlan({
    board: { title, description: str(d.desc), color: BOARD_COLORS[str(prefs.background)] ?? 'belize', permission: prefs.permissionLevel === 'public' ? 'public' : 'private', cardSettings: '{}' },
    labels: docs(d.labels).map((l) => ({ id: labelIds.get(str(l.id))!, name: str(l.name), color: labelColor(l.color) })),
    users,
    members: docs(d.memberships).map((m) => ({ userId: str(m.idMember), role: ROLES[str(m.memberType)] ?? 'normal', active: m.deactivated !== true })),
    swimlanes: [swimlane],
    lists: docs(d.lists).map((l) => lane(str(l.id), str(l.name, 'Untitled').trim() || 'Untitled', num(l.pos), l.closed === true)),
    cards,
    checklists: checklists.map((c) => ({ id: str(c.id), cardId: str(c.idCard), title: str(c.name, 'Checklist'), sort: num(c.pos), finishedAt: null })),
    items: checklists.flatMap((c) => docs(c.checkItems).map((i) => ({ checklistId: str(c.id), title: str(i.name, 'Item'), sort: num(i.pos), isFinished: i.state === 'complete' }))),
    comments: kept,
    attachments: [],
    customFields: [],
    notes,
  }, problems);
}
