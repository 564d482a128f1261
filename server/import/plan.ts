// What an import will create, whatever it was read from (a WeKan export, a Trello export, a CSV): the
// readers in this folder make an ImportPlan, store/board-import.ts creates it in one transaction. Ids in
// a plan are the source's own; the store gives everything new ids.
import { message, type Localized } from '../i18n/messages.js';
import type { FieldValue } from '../custom-fields.js';
import type { Received } from '../files/storage.js';
import { MAX } from '../limits.js';
import type { MemberRole } from '../permissions.js';
import type { FieldDefinition } from '../store/custom-fields.js';
import type { DependencyType } from '../store/dependencies.js';

export interface PlannedLane {
  id: string; title: string; sort: number; color: string | null; archived: boolean; wipLimit: number | null; wipSoft: boolean;
  starred: boolean; collapsed: boolean;
}
export interface PlannedCard {
  id: string; listId: string; swimlaneId: string; title: string; description: string; sort: number; color: string | null;
  archived: boolean; authorId: string | null; members: string[]; assignees: string[]; labelIds: string[];
  receivedAt: string | null; startAt: string | null; dueAt: string | null; endAt: string | null; spentTime: number | null;
  coverId: string | null; createdAt: string | null;
  isOvertime: boolean; requestedBy: string; assignedBy: string; dueComplete: boolean;
  /** WeKan's stickers and locations, as the card keeps them (JSON text). */
  stickers: string; locations: string;
  /** Lines to other cards of the plan (by the source's card id); one to a card not in the plan is dropped. */
  dependencies: PlannedDependency[];
  /** The source's id of the card this one is a subtask of (dropped when not in the plan). */
  parentId: string | null;
  /** Values of the plan's custom fields (by the source's field id). */
  customFields: { fieldId: string; value: FieldValue }[];
}

export interface PlannedDependency {
  targetId: string; type: DependencyType; color: string; icon: string;
}

export interface ImportPlan {
  board: {
    title: string; description: string; color: string; permission: 'private' | 'public';
    /** The card settings as the board keeps them (card-settings.ts), '{}' for WeKan's defaults. */
    cardSettings: string;
  };
  labels: { id: string; name: string; color: string }[];
  /** Source user id -> username, for matching people to local accounts. */
  users: Map<string, string>;
  members: { userId: string; role: MemberRole; active: boolean }[];
  swimlanes: PlannedLane[];
  lists: PlannedLane[];
  cards: PlannedCard[];
  checklists: { id: string; cardId: string; title: string; sort: number; finishedAt: string | null }[];
  items: { checklistId: string; title: string; sort: number; isFinished: boolean }[];
  comments: { cardId: string; text: string; userId: string | null; createdAt: string | null }[];
  /**
   * Where each file's body is: `file` as base64 (null: exported without it), or `received` already in the
   * temp folder (a streamed export), or `copyOf` a local attachment to copy (a board copy).
   */
  attachments: {
    id: string; cardId: string; name: string; type: string; file: string | null; userId: string | null; received?: Received; copyOf?: string;
  }[];
  customFields: { id: string; definition: FieldDefinition }[];
  /** What the reader left out or changed, for the preview page (Trello's links to its own files, say). */
  notes: Localized[];
}

/** A plan, or what is wrong with the file (each problem names a line or an id). */
export type PlanReading = { plan: ImportPlan; problems: [] } | { plan: null; problems: Localized[] };

export function lane(id: string, title: string, sort: number, archived = false): PlannedLane {
  return { id, title, sort, color: null, archived, wipLimit: null, wipSoft: false, starred: false, collapsed: false };
}

/** The references in a plan that point at nothing: a card in a list that is not there, and so on. */
export function danglingReferences(plan: ImportPlan): Localized[] {
  const problems: Localized[] = [];
  const listIds = new Set(plan.lists.map((l) => l.id));
  const swimlaneIds = new Set(plan.swimlanes.map((s) => s.id));
  for (const card of plan.cards) {
    if (!listIds.has(card.listId)) problems.push(message('importProblems.cardList', { id: card.id, title: card.title, list: card.listId || '-' }));
    if (!swimlaneIds.has(card.swimlaneId)) problems.push(message('importProblems.cardSwimlane', { id: card.id, title: card.title, swimlane: card.swimlaneId }));
  }
  const cardIds = new Set(plan.cards.map((c) => c.id));
  const checklistIds = new Set(plan.checklists.map((c) => c.id));
  for (const c of plan.checklists) if (!cardIds.has(c.cardId)) problems.push(message('importProblems.checklistCard', { id: c.id, card: c.cardId }));
  for (const i of plan.items) if (!checklistIds.has(i.checklistId)) problems.push(message('importProblems.itemChecklist', { title: i.title, checklist: i.checklistId }));
  for (const c of plan.comments) if (!cardIds.has(c.cardId)) problems.push(message('importProblems.commentCard', { card: c.cardId }));
  for (const a of plan.attachments) if (!cardIds.has(a.cardId)) problems.push(message('importProblems.attachmentCard', { id: a.id, card: a.cardId }));
  return problems;
}

/** The plan when nothing is wrong with it, else the problems: found while reading, then dangling ids. */
/** What in a plan is more than a board here may hold (server/limits.ts): each said with its count and the limit. */
export function overLimits(plan: ImportPlan): Localized[] {
  const over = (what: string, count: number, max: number) => (count > max ? [message('importProblems.tooMany', { what, count, max })] : []);
  const most = (keys: string[]) => Math.max(0, ...[...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>()).values()]);
  return [
    ...over('lists', plan.lists.length, MAX.listsPerBoard),
    ...over('swimlanes', plan.swimlanes.length, MAX.swimlanesPerBoard),
    ...over('labels', plan.labels.length, MAX.labelsPerBoard),
    ...over('customFields', plan.customFields.length, MAX.customFieldsPerBoard),
    ...over('cards', plan.cards.length, MAX.cardsPerImport),
    ...over('comments', plan.comments.length, MAX.commentsPerImport),
    ...over('people', plan.users.size, MAX.peoplePerImport),
    ...over('checklistsOnCard', most(plan.checklists.map((c) => c.cardId)), MAX.checklistsPerCard),
    ...over('itemsOnChecklist', most(plan.items.map((i) => i.checklistId)), MAX.itemsPerChecklist),
  ];
}

export function checkedPlan(plan: ImportPlan, problems: Localized[]): PlanReading {
  const tooMuch = overLimits(plan);
  // a plan past a limit is not walked for its references: that is work for something that will not be made
  if (tooMuch.length) return { plan: null, problems: [...problems, ...tooMuch] };
  const all = [...problems, ...danglingReferences(plan)];
  return all.length ? { plan: null, problems: all } : { plan, problems: [] };
}
