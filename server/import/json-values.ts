// Reading values out of an export someone else wrote: each one as the type the plan needs, or a
// fallback when it is missing or of another type (exports of every WeKan and Trello version differ).
export type Doc = Record<string, unknown>;

export const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
export const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
/** An ISO instant, or null for nothing or what is not a date. */
export const date = (v: unknown): string | null => {
  if (typeof v !== 'string' || v === '') return null;
  const time = Date.parse(v);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
};
/** The strings of a list (ids, usernames); anything else in it is left out. */
export const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** The objects of a list; anything else in it is left out. */
export const docs = (v: unknown): Doc[] => (Array.isArray(v) ? v.filter((x): x is Doc => !!x && typeof x === 'object') : []);
export const doc = (v: unknown): Doc => (v && typeof v === 'object' ? (v as Doc) : {});
