// A card's activity log in words ("alice moved the card from To do to Done"), for its history section
// (in the reader's language) and the webhooks' text (English, as WeKan's).
import type { Activity } from '../store/activities.js';
import type { Store } from '../store/index.js';
import { DEFAULT_LOOK, isDependencyType } from '../store/dependencies.js';
import type { Formatter } from './format.js';
import type { MessageValues, Translator } from '../i18n/messages.js';

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

/** Which of the card's dates an activity type sets (history.dates.* in the catalogues). */
const DATE_KINDS: Record<string, string> = {
  'a-receivedAt': 'received', 'a-startAt': 'start', 'a-dueAt': 'due', 'a-endAt': 'end',
};

function describe(a: Activity, data: Record<string, unknown>, names: HistoryNames, format: Formatter, { t }: Translator): string {
  const list = (id: unknown) => names.lists.get(String(id)) ?? t('history.aList');
  const label = (id: unknown) => `[${names.labels.get(String(id)) ?? t('history.deletedLabel')}]`;
  const user = (id: unknown) => `@${names.users.get(String(id)) ?? t('attachments.someone')}`;
  const text = (v: unknown) => String(v ?? '');
  const say = (key: string, values?: MessageValues) => t(`history.${key}`, values);
  switch (a.activityType) {
    case 'createCard': return say('createCard', { list: list(a.listId) });
    case 'moveCard':
      return data.oldListId === a.listId
        ? (data.oldSwimlaneId === a.swimlaneId ? say('reordered') : say('movedSwimlane', { swimlane: names.swimlanes.get(String(a.swimlaneId)) ?? '' }))
        : say('moveCard', { from: list(data.oldListId), to: list(a.listId) });
    case 'changedCardTitle': return say('changedCardTitle', { from: text(data.oldTitle), to: text(data.title) });
    case 'a-receivedAt': case 'a-startAt': case 'a-dueAt': case 'a-endAt': {
      const value = Object.entries(data).find(([k]) => k !== 'old')?.[1];
      const what = t(`history.dates.${DATE_KINDS[a.activityType]!}`);
      return value ? say('setDate', { what, when: format.dateTime(String(value)) }) : say('removedDate', { what });
    }
    case 'changedCardColor': return data.color ? say('setColour', { colour: text(data.color) }) : say('removedColour');
    case 'changedSpentTime': return data.spentTime === null ? say('removedSpentTime') : say('setSpentTime', { hours: text(data.spentTime) });
    case 'addedLabel': case 'removedLabel': return say(a.activityType, { label: label(data.labelId) });
    case 'joinMember': case 'unjoinMember': case 'joinAssignee': case 'unjoinAssignee': return say(a.activityType, { user: user(data.memberId) });
    case 'addChecklist': case 'removeChecklist': case 'changedChecklistTitle': case 'addChecklistItem': case 'removedChecklistItem':
    case 'changedChecklistItemTitle': case 'addAttachment': case 'deleteAttachment': case 'setCover':
      return say(a.activityType, { title: text(data.title ?? data.name) });
    case 'addedDependency': case 'changedDependency':
      return say(a.activityType, { type: t(`dependencies.types.${isDependencyType(text(data.type)) ? text(data.type) : DEFAULT_LOOK.type}`), title: text(data.title) });
    case 'removedDependency': return say('removedDependency', { title: text(data.title) });
    case 'changedCardDueComplete': return say(data.dueComplete ? 'markedComplete' : 'markedNotComplete');
    case 'changedStickers': case 'changedLocations': return say(a.activityType);
    case 'renameAttachment': return say('renameAttachment', { from: text(data.oldName), to: text(data.name) });
    case 'setCustomField': return say(data.value === null ? 'clearedCustomField' : 'setCustomField', { field: text(data.name) });
    case 'changedCardDescription': case 'archivedCard': case 'restoredCard': case 'checkedItem': case 'uncheckedItem':
    case 'movedChecklistItem': case 'copyCard': case 'moveCardFromBoard': case 'moveCardToBoard': case 'addComment':
    case 'editComment': case 'deleteComment': case 'removeCover':
      return say(a.activityType);
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
export function describeActivity(a: Activity, names: HistoryNames, format: Formatter, words: Translator): string {
  return describe(a, activityData(a), names, format, words);
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

export function historyLines(activities: (Activity & { username: string | null })[], names: HistoryNames, format: Formatter,
  words: Translator): HistoryLine[] {
  return activities.map((a) => ({
    at: format.dateTime(a.createdAt), who: a.username ?? words.t('attachments.someone'), what: describeActivity(a, names, format, words),
  }));
}
