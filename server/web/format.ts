// How times read on a page: in the viewer's time zone (UTC for visitors).
import { formatDate, formatDateTime, formatTime } from '../dates.js';

export interface Formatter {
  timeZone: string;
  date(iso: string | null): string;
  dateTime(iso: string | null): string;
  time(iso: string): string;
  /** The time now (HH:MM:SS), worked out once a second: every live page shows it. */
  now(): string;
  /** Due, passed, and not finished (no end date). */
  late(dueAt: string | null, endAt: string | null): boolean;
}

const formatters = new Map<string, Formatter>();

export function formatterFor(timeZone: string): Formatter {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    let second = 0;
    let shown = '';
    formatter = {
      now: () => {
        const current = Math.floor(Date.now() / 1000);
        if (current !== second) {
          second = current;
          shown = formatTime(new Date(current * 1000).toISOString(), timeZone);
        }
        return shown;
      },
      timeZone,
      date: (iso) => (iso ? formatDate(iso, timeZone) : ''),
      dateTime: (iso) => (iso ? formatDateTime(iso, timeZone) : ''),
      time: (iso) => formatTime(iso, timeZone),
      late: (dueAt, endAt) => !endAt && !!dueAt && dueAt < new Date().toISOString(),
    };
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
