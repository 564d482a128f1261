// Reading a WeKan board export (any version: every array may be missing) into an import plan, with
// every reference checked first: a card in a list that does not exist, a comment on a card that does
// not exist… are reported by id, and nothing is created.
import { message, type Localized } from '../i18n/messages.js';
import { isBoardColor, isCardColor } from '../colors.js';
import { checkFieldValue, cleanSettings, isFieldType, type FieldValue } from '../custom-fields.js';
import { cleanName, typeOf } from '../files/names.js';
import { ROLE_FLAGS, roleFromFlags, type MemberRole } from '../permissions.js';
import { checkedPlan, lane as plannedLane, type ImportPlan, type PlannedCard, type PlannedLane, type PlanReading } from './plan.js';
import { date, doc, docs, ids, num, str, type Doc } from './json-values.js';
import { pacer } from '../pace.js';
import { MAX } from '../limits.js';
import { lookOf } from '../store/dependencies.js';
import { readLocations, readStickers } from '../stickers-and-locations.js';
import { knownKeys, readCardSettings, storedCardSettings, withValues } from '../card-settings.js';

/** A colour of WeKan's card palette, or none (an export from a newer WeKan may know more). */
const cardColor = (v: unknown): string | null => (typeof v === 'string' && isCardColor(v) ? v : null);

function lane(d: Doc): PlannedLane {
  const wip = doc(d.wipLimit);
  return {
    id: str(d._id), title: str(d.title, 'Untitled'), sort: num(d.sort), color: cardColor(d.color), archived: d.archived === true,
    wipLimit: wip.enabled === true && num(wip.value) > 0 ? num(wip.value) : null, wipSoft: wip.soft === true,
    starred: d.starred === true, collapsed: d.collapsed === true,
  };
}

/** The export's custom fields this board can hold (WeKan's may list other boards too; unknown types are left out). */
function customFieldsOf(d: Doc): ImportPlan['customFields'] {
  return docs(d.customFields).filter((f) => isFieldType(str(f.type)) && str(f.name).trim()).map((f) => {
    const type = str(f.type) as ImportPlan['customFields'][number]['definition']['type'];
    return {
      id: str(f._id),
      definition: {
        name: str(f.name).trim(), type, settings: cleanSettings(type, f.settings), showOnCard: f.showOnCard === true,
        automaticallyOnCard: f.automaticallyOnCard === true, alwaysOnCard: f.alwaysOnCard === true,
        showLabelOnMiniCard: f.showLabelOnMiniCard === true, showSumAtTopOfList: f.showSumAtTopOfList === true,
      },
    };
  });
}

/** A card's values for the fields the plan has, each checked as its type wants (others are dropped). */
function cardValues(c: Doc, fields: ImportPlan['customFields']): PlannedCard['customFields'] {
  return docs(c.customFields).flatMap((entry) => {
    const planned = fields.find((f) => f.id === str(entry._id));
    if (!planned) return [];
    const checked = checkFieldValue(planned.definition, entry.value, 'UTC');
    return checked.ok && checked.value !== null ? [{ fieldId: planned.id, value: checked.value as FieldValue }] : [];
  });
}

/** Subtask links that lead back to the card they start from (a hand-edited export) are dropped. */
function dropParentLoops(cards: PlannedCard[]): void {
  const parentOf = new Map(cards.map((c) => [c.id, c.parentId]));
  for (const card of cards) {
    const seen = new Set([card.id]);
    for (let at = card.parentId; at; at = parentOf.get(at) ?? null) {
      if (seen.has(at)) {
        card.parentId = null;
        parentOf.set(card.id, null);
        break;
      }
      seen.add(at);
    }
  }
}

/**
 * An attachment as the export describes it. Its name and type end up in download headers and its name
 * in a path: the name is cleaned as an uploaded one is, the type taken from the name or else only when
 * it is a plain media type (a CR or LF in it would break every download of the file).
 */
/** A card's dependency lines: WeKan's objects, or the bare card ids of older versions; each target once, at most MAX. */
function dependenciesOf(value: unknown): PlannedCard['dependencies'] {
  const lines = new Map<string, PlannedCard['dependencies'][number]>();
  for (const raw of Array.isArray(value) ? value : []) {
    const entry: Doc = typeof raw === 'string' ? { cardId: raw } : doc(raw);
    const targetId = str(entry.cardId);
    if (targetId && !lines.has(targetId) && lines.size < MAX.dependenciesPerCard) lines.set(targetId, { targetId, ...lookOf(entry) });
  }
  return [...lines.values()];
}

function attachment(a: Doc): ImportPlan['attachments'][number] {
  const name = cleanName(str(a.name, 'file'));
  return { id: str(a._id), cardId: str(a.cardId), name, type: typeOf(name, str(a.type)),
    file: typeof a.file === 'string' ? a.file : null, userId: str(a.userId) || null };
}

function roleOf(m: Doc): MemberRole {
  return roleFromFlags(Object.fromEntries(Object.keys(ROLE_FLAGS).map((flag) => [flag, m[flag] === true])));
}

/** Reads a WeKan export into a plan, with a turn for other requests every 10 ms (a big board takes ~100 ms). */
export async function readWekanExport(input: unknown): Promise<PlanReading> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { plan: null, problems: [message('importProblems.notWekan')] };
  const d = input as Doc;
  const problems: Localized[] = [];
  const title = str(d.title).trim();
  if (!title) problems.push(message('importProblems.noBoardTitle'));
  const swimlanes = docs(d.swimlanes).map(lane);
  if (swimlanes.length === 0) swimlanes.push(plannedLane('', 'Default', 0));
  const customFields = customFieldsOf(d);
  const pace = pacer();
  const cards: PlannedCard[] = [];
  for (const c of docs(d.cards)) {
    await pace();
    cards.push({
    id: str(c._id), listId: str(c.listId), swimlaneId: str(c.swimlaneId) || swimlanes[0]!.id, title: str(c.title, 'Untitled'),
    description: str(c.description), sort: num(c.sort), color: cardColor(c.color), archived: c.archived === true,
    authorId: str(c.userId) || null, members: ids(c.members), assignees: ids(c.assignees), labelIds: ids(c.labelIds),
    receivedAt: date(c.receivedAt), startAt: date(c.startAt), dueAt: date(c.dueAt), endAt: date(c.endAt),
    spentTime: typeof c.spentTime === 'number' ? c.spentTime : null, coverId: str(c.coverId) || null, createdAt: date(c.createdAt),
    customFields: cardValues(c, customFields),
    isOvertime: c.isOvertime === true, requestedBy: str(c.requestedBy).slice(0, 1000), assignedBy: str(c.assignedBy).slice(0, 1000),
    parentId: str(c.parentId) || null,
    dueComplete: c.dueComplete === true,
    stickers: JSON.stringify(readStickers(c.stickers)),
    locations: JSON.stringify(readLocations(c.locations)),
    dependencies: dependenciesOf(c.cardDependencies),
    });
  }
  dropParentLoops(cards);
  const color = str(d.color);
  return checkedPlan({
    board: {
      title, description: str(d.description), color: isBoardColor(color) ? color : 'belize', permission: d.permission === 'public' ? 'public' : 'private',
      cardSettings: storedCardSettings(withValues(readCardSettings('{}'), Object.fromEntries(knownKeys(d).map((key) => [key, d[key]])))),
    },
    labels: docs(d.labels).map((l) => ({ id: str(l._id), name: str(l.name), color: cardColor(l.color) ?? 'green' })),
    users: new Map(docs(d.users).map((u) => [str(u._id), str(u.username)])),
    members: docs(d.members).map((m) => ({ userId: str(m.userId), role: roleOf(m), active: m.isActive !== false })),
    swimlanes,
    lists: docs(d.lists).map(lane),
    cards,
    checklists: docs(d.checklists).map((c) => ({ id: str(c._id), cardId: str(c.cardId), title: str(c.title, 'Checklist'), sort: num(c.sort), finishedAt: date(c.finishedAt) })),
    items: docs(d.checklistItems).map((i) => ({ checklistId: str(i.checklistId), title: str(i.title, 'Item'), sort: num(i.sort), isFinished: i.isFinished === true })),
    comments: docs(d.comments).map((c) => ({ cardId: str(c.cardId), text: str(c.text), userId: str(c.userId) || null, createdAt: date(c.createdAt) })),
    attachments: docs(d.attachments).map(attachment),
    customFields,
    notes: [],
  }, problems);
}
