// How times read on a page. UTC until users get a time zone setting (Step 2).
export const format = {
  /** 2026-11-23 */
  date: (iso: string | null): string => (iso ? iso.slice(0, 10) : ''),
  /** 2026-11-23 14:05 */
  dateTime: (iso: string | null): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : ''),
  /** 14:05:09 */
  time: (iso: string): string => iso.slice(11, 19),
  /** True when a due date has passed. */
  overdue: (iso: string | null): boolean => !!iso && iso < new Date().toISOString(),
};
