// A card's activity log in words ("alice moved the card from To do to Done"), for its history section.
import type { Activity } from '../store/activities.js';
import type { Store } from '../store/index.js';
import type { Formatter } from './format.js';

export interface HistoryNames {
  lists: Map<string, string>;
  swimlanes: Map<string, string>;
  labels: Map<string, string>;
  users: Map<string, string>;
}

export interface HistoryLine {
  at: string;
  who: string;
  what: string;
}

const DATE_NAMES: Record<string, string> = {
  'a-receivedAt': 'received date', 'a-startAt': 'start date', 'a-dueAt': 'due date', 'a-endAt': 'end date',
};

function describe(a: Activity, data: Record<string, unknown>, names: HistoryNames, format: Formatter): string {
  const list = (id: unknown) => names.lists.get(String(id)) ?? 'a list';
  const label = (id: unknown) => `[${names.labels.get(String(id)) ?? 'deleted label'}]`;
  const user = (id: unknown) => `@${names.users.get(String(id)) ?? 'someone'}`;
  const quoted = (v: unknown) => `"${String(v ?? '')}"`;
  switch (a.activityType) {
    case 'createCard': return `added the card to ${list(a.listId)}`;
    case 'moveCard':
      return data.oldListId === a.listId
        ? (data.oldSwimlaneId === a.swimlaneId ? 'reordered the card' : `moved the card to swimlane ${names.swimlanes.get(String(a.swimlaneId)) ?? ''}`)
        : `moved the card from ${list(data.oldListId)} to ${list(a.listId)}`;
    case 'changedCardTitle': return `renamed the card from ${quoted(data.oldTitle)} to ${quoted(data.title)}`;
    case 'changedCardDescription': return 'changed the description';
    case 'archivedCard': return 'archived the card';
    case 'restoredCard': return 'restored the card';
    case 'a-receivedAt': case 'a-startAt': case 'a-dueAt': case 'a-endAt': {
      const value = Object.entries(data).find(([k]) => k !== 'old')?.[1];
      const what = DATE_NAMES[a.activityType];
      return value ? `set the ${what} to ${format.dateTime(String(value))}` : `removed the ${what}`;
    }
    case 'changedCardColor': return data.color ? `set the colour to ${String(data.color)}` : 'removed the colour';
    case 'changedSpentTime': return data.spentTime === null ? 'removed the spent time' : `set the spent time to ${String(data.spentTime)} h`;
    case 'addedLabel': return `added the label ${label(data.labelId)}`;
    case 'removedLabel': return `removed the label ${label(data.labelId)}`;
    case 'joinMember': return `added ${user(data.memberId)} as member`;
    case 'unjoinMember': return `removed ${user(data.memberId)} as member`;
    case 'joinAssignee': return `assigned ${user(data.memberId)}`;
    case 'unjoinAssignee': return `unassigned ${user(data.memberId)}`;
    case 'addChecklist': return `added the checklist ${quoted(data.title)}`;
    case 'removeChecklist': return `deleted the checklist ${quoted(data.title)}`;
    case 'changedChecklistTitle': return `renamed a checklist to ${quoted(data.title)}`;
    case 'addChecklistItem': return `added the item ${quoted(data.title)}`;
    case 'removedChecklistItem': return `deleted the item ${quoted(data.title)}`;
    case 'changedChecklistItemTitle': return `renamed an item to ${quoted(data.title)}`;
    case 'checkedItem': return 'ticked an item';
    case 'uncheckedItem': return 'unticked an item';
    case 'movedChecklistItem': return 'reordered a checklist';
    case 'copyCard': return 'made this card as a copy';
    case 'moveCardFromBoard': return 'moved the card here from another board';
    case 'moveCardToBoard': return 'moved the card to another board';
    case 'addComment': return 'commented';
    case 'editComment': return 'edited a comment';
    case 'deleteComment': return 'deleted a comment';
    case 'addAttachment': return `attached ${quoted(data.name)}`;
    case 'deleteAttachment': return `deleted the attachment ${quoted(data.name)}`;
    case 'renameAttachment': return `renamed the attachment ${quoted(data.oldName)} to ${quoted(data.name)}`;
    case 'setCover': return `made ${quoted(data.name)} the cover`;
    case 'removeCover': return 'removed the cover';
    case 'setCustomField': return data.value === null ? `cleared ${quoted(data.name)}` : `set ${quoted(data.name)}`;
    default: return a.activityType;
  }
}

/** The activity's data, or nothing when it cannot be read (an imported payload, say). */
export function activityData(a: Activity): Record<string, unknown> {
  try {
    return a.data ? (JSON.parse(a.data) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What the activity did, in words, without who did it: "moved the card from To do to Done". */
export function describeActivity(a: Activity, names: HistoryNames, format: Formatter): string {
  return describe(a, activityData(a), names, format);
}

/** The names a board's activities refer to: its lists and swimlanes (archived too), labels and people. */
export async function historyNames(store: Store, boardId: string, activities: Activity[]): Promise<HistoryNames> {
  const userIds = activities.flatMap((a) => {
    const memberId = activityData(a).memberId;
    return typeof memberId === 'string' ? [memberId] : [];
  });
  return {
    lists: new Map([...await store.lists.forBoard(boardId, false), ...await store.lists.forBoard(boardId, true)].map((l) => [l.id, l.title])),
    swimlanes: new Map([...await store.swimlanes.forBoard(boardId, false), ...await store.swimlanes.forBoard(boardId, true)].map((s) => [s.id, s.title])),
    labels: new Map((await store.labels.forBoard(boardId)).map((l) => [l.id, l.name || l.color])),
    users: await store.users.usernames(userIds),
  };
}

export function historyLines(activities: (Activity & { username: string | null })[], names: HistoryNames, format: Formatter): HistoryLine[] {
  return activities.map((a) => ({ at: format.dateTime(a.createdAt), who: a.username ?? 'someone', what: describeActivity(a, names, format) }));
}
