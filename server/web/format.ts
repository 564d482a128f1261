// How times and numbers read on a page: in the viewer's time zone (UTC for visitors) and language.
// English pages keep ISO 8601 dates (2026-11-24 14:30), as Wami always wrote them: unambiguous
// wherever the reader is. Other languages write them their own way through Intl (24.11.2026 14.30).
import { formatDate, formatDateTime, formatTime } from '../dates.js';
import type { Language } from '../i18n/messages.js';

export interface Formatter {
  timeZone: string;
  language: Language;
  date(iso: string | null): string;
  dateTime(iso: string | null): string;
  time(iso: string): string;
  /** The time now (HH:MM:SS), worked out once a second: every live page shows it. */
  now(): string;
  /** Due, passed, and not finished (no end date). */
  /** Due and past, and not done: no end date and not marked complete. */
  late(dueAt: string | null, endAt: string | null, complete?: 0 | 1 | boolean): boolean;
  /** A number as the language writes it (1,234.5; 1 234,5; 1.234,5). */
  number(value: number): string;
}

/** Dates and times in a language other than English, through Intl. */
function intlDates(language: Language, timeZone: string) {
  const date = new Intl.DateTimeFormat(language, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const dateTime = new Intl.DateTimeFormat(language, {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  return {
    date: (iso: string | null) => (iso ? date.format(new Date(iso)) : ''),
    dateTime: (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : ''),
  };
}

const formatters = new Map<string, Formatter>();

export function formatterFor(timeZone: string, language: Language = 'en'): Formatter {
  const key = `${timeZone}\u0000${language}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    let second = 0;
    let shown = '';
    const numbers = new Intl.NumberFormat(language);
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
      language,
      ...(language === 'en'
        ? { date: (iso: string | null) => (iso ? formatDate(iso, timeZone) : ''), dateTime: (iso: string | null) => (iso ? formatDateTime(iso, timeZone) : '') }
        : intlDates(language, timeZone)),
      time: (iso) => formatTime(iso, timeZone),
      late: (dueAt, endAt, complete = false) => !endAt && !complete && !!dueAt && dueAt < new Date().toISOString(),
      number: (value) => numbers.format(value),
    };
    formatters.set(key, formatter);
  }
  return formatter;
}
