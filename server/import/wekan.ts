// Reading a WeKan board export (any version: every array may be missing) into a plan of what to create,
// with every reference checked first: a card in a list that does not exist, a comment on a card that
// does not exist… are reported by id, and nothing is created.
import { roleFromFlags, type MemberRole } from '../permissions.js';

type Doc = Record<string, unknown>;

export interface PlannedLane { id: string; title: string; sort: number; color: string | null; archived: boolean; wipLimit: number | null; wipSoft: boolean }
export interface PlannedCard {
  id: string; listId: string; swimlaneId: string; title: string; description: string; sort: number; color: string | null;
  archived: boolean; authorId: string | null; members: string[]; assignees: string[]; labelIds: string[];
  receivedAt: string | null; startAt: string | null; dueAt: string | null; endAt: string | null; spentTime: number | null;
  coverId: string | null; createdAt: string | null;
}

export interface ImportPlan {
  board: { title: string; description: string; color: string; permission: 'private' | 'public' };
  labels: { id: string; name: string; color: string }[];
  /** WeKan user id -> username, for matching people to local accounts. */
  users: Map<string, string>;
  members: { userId: string; role: MemberRole; active: boolean }[];
  swimlanes: PlannedLane[];
  lists: PlannedLane[];
  cards: PlannedCard[];
  checklists: { id: string; cardId: string; title: string; sort: number; finishedAt: string | null }[];
  items: { checklistId: string; cardId: string; title: string; sort: number; isFinished: boolean }[];
  comments: { cardId: string; text: string; userId: string | null; createdAt: string | null }[];
  attachments: { id: string; cardId: string; name: string; type: string; file: string | null; userId: string | null }[];
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const date = (v: unknown): string | null => {
  if (typeof v !== 'string' || v === '') return null;
  const time = Date.parse(v);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
};
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const docs = (v: unknown): Doc[] => (Array.isArray(v) ? v.filter((x): x is Doc => !!x && typeof x === 'object') : []);

function lane(d: Doc): PlannedLane {
  const wip = d.wipLimit && typeof d.wipLimit === 'object' ? (d.wipLimit as Doc) : {};
  return {
    id: str(d._id), title: str(d.title, 'Untitled'), sort: num(d.sort), color: str(d.color) || null, archived: d.archived === true,
    wipLimit: wip.enabled === true && num(wip.value) > 0 ? num(wip.value) : null, wipSoft: wip.soft === true,
  };
}

function roleOf(m: Doc): MemberRole {
  return roleFromFlags({ isAdmin: m.isAdmin === true, isNoComments: m.isNoComments === true,
    isCommentOnly: m.isCommentOnly === true, isWorker: m.isWorker === true });
}

export function readWekanExport(input: unknown): { plan: ImportPlan; problems: [] } | { plan: null; problems: string[] } {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { plan: null, problems: ['This is not a WeKan board export (a JSON object).'] };
  const d = input as Doc;
  const problems: string[] = [];
  const title = str(d.title).trim();
  if (!title) problems.push('The board has no title.');
  const swimlanes = docs(d.swimlanes).map(lane);
  if (swimlanes.length === 0) swimlanes.push({ id: '', title: 'Default', sort: 0, color: null, archived: false, wipLimit: null, wipSoft: false });
  const lists = docs(d.lists).map(lane);
  const labels = docs(d.labels).map((l) => ({ id: str(l._id), name: str(l.name), color: str(l.color, 'green') }));
  const listIds = new Set(lists.map((l) => l.id));
  const swimlaneIds = new Set(swimlanes.map((s) => s.id));
  const cards: PlannedCard[] = docs(d.cards).map((c) => ({
    id: str(c._id), listId: str(c.listId), swimlaneId: str(c.swimlaneId) || swimlanes[0]!.id, title: str(c.title, 'Untitled'),
    description: str(c.description), sort: num(c.sort), color: str(c.color) || null, archived: c.archived === true,
    authorId: str(c.userId) || null, members: ids(c.members), assignees: ids(c.assignees), labelIds: ids(c.labelIds),
    receivedAt: date(c.receivedAt), startAt: date(c.startAt), dueAt: date(c.dueAt), endAt: date(c.endAt),
    spentTime: typeof c.spentTime === 'number' ? c.spentTime : null, coverId: str(c.coverId) || null, createdAt: date(c.createdAt),
  }));
  for (const card of cards) {
    if (!listIds.has(card.listId)) problems.push(`Card ${card.id} ("${card.title}") is in list ${card.listId || '(none)'}, which is not in the export.`);
    if (!swimlaneIds.has(card.swimlaneId)) problems.push(`Card ${card.id} ("${card.title}") is in swimlane ${card.swimlaneId}, which is not in the export.`);
  }
  const cardIds = new Set(cards.map((c) => c.id));
  const checklists = docs(d.checklists).map((c) => ({ id: str(c._id), cardId: str(c.cardId), title: str(c.title, 'Checklist'), sort: num(c.sort), finishedAt: date(c.finishedAt) }));
  const checklistIds = new Set(checklists.map((c) => c.id));
  const items = docs(d.checklistItems).map((i) => ({ checklistId: str(i.checklistId), cardId: str(i.cardId), title: str(i.title, 'Item'), sort: num(i.sort), isFinished: i.isFinished === true }));
  const comments = docs(d.comments).map((c) => ({ cardId: str(c.cardId), text: str(c.text), userId: str(c.userId) || null, createdAt: date(c.createdAt) }));
  const attachments = docs(d.attachments).map((a) => ({ id: str(a._id), cardId: str(a.cardId), name: str(a.name, 'file'), type: str(a.type, 'application/octet-stream'),
    file: typeof a.file === 'string' ? a.file : null, userId: str(a.userId) || null }));
  for (const c of checklists) if (!cardIds.has(c.cardId)) problems.push(`Checklist ${c.id} is on card ${c.cardId}, which is not in the export.`);
  for (const i of items) if (!checklistIds.has(i.checklistId)) problems.push(`A checklist item ("${i.title}") is in checklist ${i.checklistId}, which is not in the export.`);
  for (const c of comments) if (!cardIds.has(c.cardId)) problems.push(`A comment is on card ${c.cardId}, which is not in the export.`);
  for (const a of attachments) if (!cardIds.has(a.cardId)) problems.push(`Attachment ${a.id} is on card ${a.cardId}, which is not in the export.`);
  if (problems.length) return { plan: null, problems };
  const permission = d.permission === 'public' ? 'public' : 'private';
  return {
    plan: {
      board: { title, description: str(d.description), color: str(d.color, 'belize'), permission },
      labels, users: new Map(docs(d.users).map((u) => [str(u._id), str(u.username)])),
      members: docs(d.members).map((m) => ({ userId: str(m.userId), role: roleOf(m), active: m.isActive !== false })),
      swimlanes, lists, cards, checklists,
      items,
      comments, attachments,
    },
    problems: [],
  };
}
