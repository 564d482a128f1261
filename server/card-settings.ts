// A board's card settings (WeKan 11's Board Settings / Card Settings, its issue 3062): which fields a card
// and its face on the board show, and card aging. WeKan's keys and defaults, read and set whole through
// the API, kept per board as the values that differ from the defaults. The pages honour the keys Wami
// has the thing for (HONOURED); the others are kept, exported and answered for WeKan's clients.

/** WeKan's boolean keys with their defaults (models/boards.js). */
export const CARD_SETTING_DEFAULTS = {
  allowsCardCounterList: false, cardAging: false, allowsBoardMemberList: false, allowsShowLists: true,
  allowsAttachments: true, allowsChecklists: true, allowsComments: true, allowsDescriptionTitle: true, allowsDescriptionText: true,
  allowsActivities: true, allowsLabels: true, allowsCreator: true, allowsAssignee: true, allowsMembers: true, allowsRequestedBy: true,
  allowsCardSortingByNumber: true, allowsCardNumber: false, allowsAssignedBy: true, allowsReceivedDate: true, allowsStartDate: true,
  allowsEndDate: true, allowsDueDate: true, allowsSubtasks: true, allowsCreatorOnMinicard: false, allowsAttachmentsOnMinicard: true,
  allowsChecklistsOnMinicard: true, allowsChecklistAtMinicard: false, allowsCoverAttachmentOnMinicard: true,
  allowsBadgeAttachmentOnMinicard: false, allowsCardSortingByNumberOnMinicard: false, allowsCardNumberOnMinicard: false,
  allowsDescriptionTitleOnMinicard: true, allowsDescriptionTextOnMinicard: false, allowsLabelsOnMinicard: true,
  allowsAssigneeOnMinicard: true, allowsMembersOnMinicard: true, allowsRequestedByOnMinicard: true, allowsAssignedByOnMinicard: true,
  allowsReceivedDateOnMinicard: true, allowsStartDateOnMinicard: true, allowsEndDateOnMinicard: true, allowsDueDateOnMinicard: true,
  allowsSubtasksOnMinicard: true, allowsShowListsOnMinicard: false,
} as const;

/** WeKan's numeric keys: the days after which an untouched card fades, in three steps. */
export const CARD_AGING_DEFAULTS = { cardAgingDays1: 7, cardAgingDays2: 14, cardAgingDays3: 28 } as const;

export type CardSettingKey = keyof typeof CARD_SETTING_DEFAULTS;
export type CardAgingKey = keyof typeof CARD_AGING_DEFAULTS;
export type CardSettings = Record<CardSettingKey, boolean> & Record<CardAgingKey, number>;

/** The keys Wami's pages follow, in the order the board settings page offers them. */
export const HONOURED: readonly CardSettingKey[] = [
  'allowsReceivedDate', 'allowsStartDate', 'allowsDueDate', 'allowsEndDate', 'allowsLabels', 'allowsMembers', 'allowsAssignee',
  'allowsRequestedBy', 'allowsAssignedBy', 'allowsDescriptionText', 'allowsChecklists', 'allowsAttachments', 'allowsSubtasks',
  'allowsComments', 'allowsActivities', 'allowsCreator',
  'allowsLabelsOnMinicard', 'allowsMembersOnMinicard', 'allowsDueDateOnMinicard', 'allowsCoverAttachmentOnMinicard', 'cardAging',
];

/** The most days a card-aging step may be (a little over ten years). */
const MAX_AGING_DAYS = 4000;

const isSettingKey = (key: string): key is CardSettingKey => Object.hasOwn(CARD_SETTING_DEFAULTS, key);
const isAgingKey = (key: string): key is CardAgingKey => Object.hasOwn(CARD_AGING_DEFAULTS, key);

/** The settings a board keeps (its JSON text of differences), whole; what cannot be read is the default. */
export function readCardSettings(stored: string | null | undefined): CardSettings {
  let saved: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(stored || '{}') as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) saved = parsed as Record<string, unknown>;
  } catch { /* the defaults */ }
  return withValues({ ...CARD_SETTING_DEFAULTS, ...CARD_AGING_DEFAULTS } as CardSettings, saved);
}

/**
 * `base` with the recognised keys of `values` set: booleans as WeKan reads them (true or "true"), aging
 * days as whole numbers from 0 to MAX_AGING_DAYS; the keys whose value is not one go into `refused`.
 */
export function withValues(base: CardSettings, values: Record<string, unknown>, refused: string[] = []): CardSettings {
  const settings = { ...base };
  for (const [key, value] of Object.entries(values)) {
    if (isSettingKey(key)) {
      settings[key] = value === true || String(value).toLowerCase() === 'true';
    } else if (isAgingKey(key)) {
      const days = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
      if (Number.isInteger(days) && days >= 0 && days <= MAX_AGING_DAYS) settings[key] = days;
      else refused.push(key);
    }
  }
  return settings;
}

/** The keys of `values` WeKan's card settings know. */
export function knownKeys(values: Record<string, unknown>): string[] {
  return Object.keys(values).filter((key) => isSettingKey(key) || isAgingKey(key));
}

/** What a board keeps: only the values that differ from the defaults, as JSON text. */
export function storedCardSettings(settings: CardSettings): string {
  const defaults: Record<string, unknown> = { ...CARD_SETTING_DEFAULTS, ...CARD_AGING_DEFAULTS };
  return JSON.stringify(Object.fromEntries(Object.entries(settings).filter(([key, value]) => defaults[key] !== value)));
}

/** How long ago a card was last changed, as an aging step (0: fresh, 1 to 3: ever older), when aging is on. */
export function agingStep(settings: CardSettings, lastActivity: string, nowMs: number): 0 | 1 | 2 | 3 {
  if (!settings.cardAging) return 0;
  const days = (nowMs - Date.parse(lastActivity)) / 86_400_000;
  if (days >= settings.cardAgingDays3) return 3;
  if (days >= settings.cardAgingDays2) return 2;
  if (days >= settings.cardAgingDays1) return 1;
  return 0;
}
