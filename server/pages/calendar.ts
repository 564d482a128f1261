// Calendars: /calendar (the user's own cards) and /b/:boardId/:slug/calendar (a board's cards), each a
// month as an HTML table, Monday first, with cards on their start, due and end days in the user's time zone.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { DatedCard } from '../store/search.js';
import { formatDate, parseLocalDate } from '../dates.js';
import { loadBoard, need, requireUser } from '../web/access.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';

interface Entry {
  kind: 'start' | 'due' | 'end';
  card: DatedCard;
  late: boolean;
}

interface Day {
  date: string;
  day: number;
  inMonth: boolean;
  today: boolean;
  entries: Entry[];
}

/** "November 2026", "marraskuu 2026": the month as the language names it. */
function monthName(year: number, month: number, language: string): string {
  return new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, 1));
}

/** Mon … Sun as the language shortens them (2026-11-23 was a Monday). */
function weekdayNames(language: string): string[] {
  const format = new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => format.format(Date.UTC(2026, 10, 23 + i)));
}

/** "2026-11" from the query, else the user's current month. */
function pickMonth(raw: string | undefined, today: string): { year: number; month: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(raw ?? '');
  const year = match ? Number(match[1]) : Number(today.slice(0, 4));
  const month = match ? Number(match[2]) : Number(today.slice(5, 7));
  if (month < 1 || month > 12 || year < 1900 || year > 2999) return { year: Number(today.slice(0, 4)), month: Number(today.slice(5, 7)) };
  return { year, month };
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const monthKey = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/** The weeks (Monday to Sunday) that show the month, as calendar dates. */
function gridDates(year: number, month: number): string[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const start = new Date(first.getTime() - ((first.getUTCDay() + 6) % 7) * 86400_000);
  const weeks: string[][] = [];
  for (let cursor = start; ; ) {
    const week = Array.from({ length: 7 }, (_, i) => isoDay(new Date(cursor.getTime() + i * 86400_000)));
    weeks.push(week);
    cursor = new Date(cursor.getTime() + 7 * 86400_000);
    if (cursor.getUTCMonth() !== month - 1) break;
  }
  return weeks;
}

async function showCalendar(request: FastifyRequest<{ Querystring: { month?: string } }>, reply: FastifyReply,
  scope: { boardId: string } | { mine: true }, heading: string, baseUrl: string, board: unknown) {
  const user = requireUser(request);
  const { language } = messagesFor(request);
  const timeZone = user.timeZone;
  const now = new Date().toISOString();
  const today = formatDate(now, timeZone);
  const { year, month } = pickMonth(request.query.month, today);
  const weeks = gridDates(year, month);
  const from = parseLocalDate(weeks[0]![0]!, '00:00', timeZone, '00:00');
  const lastDay = new Date(`${weeks.at(-1)![6]!}T00:00:00Z`).getTime() + 86400_000;
  const to = parseLocalDate(isoDay(new Date(lastDay)), '00:00', timeZone, '00:00');
  const cards = from.ok && to.ok ? (await request.server.store.search.dated(user.id, from.value!, to.value!, scope)) : [];
  const byDay = new Map<string, Entry[]>();
  for (const card of cards) {
    for (const kind of ['start', 'due', 'end'] as const) {
      const at = kind === 'start' ? card.startAt : kind === 'due' ? card.dueAt : card.endAt;
      if (!at) continue;
      const day = formatDate(at, timeZone);
      const entries = byDay.get(day) ?? [];
      entries.push({ kind, card, late: kind === 'due' && !card.endAt && !card.dueComplete && at < now });
      byDay.set(day, entries);
    }
  }
  const grid: Day[][] = weeks.map((week) => week.map((date) => ({
    date, day: Number(date.slice(8)), inMonth: date.slice(0, 7) === monthKey(year, month), today: date === today,
    entries: byDay.get(date) ?? [],
  })));
  const prev = month === 1 ? monthKey(year - 1, 12) : monthKey(year, month - 1);
  const next = month === 12 ? monthKey(year + 1, 1) : monthKey(year, month + 1);
  return reply.page('calendar', {
    title: `${heading}: ${monthName(year, month, language)}`,
    heading, board, monthName: monthName(year, month, language), weekdays: weekdayNames(language), weeks: grid,
    prevUrl: `${baseUrl}?month=${prev}`, nextUrl: `${baseUrl}?month=${next}`, todayUrl: baseUrl,
    cardCount: cards.length,
  });
}

export const calendarPages: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { month?: string } }>('/calendar', (request, reply) => {
    return showCalendar(request, reply, { mine: true }, messagesFor(request).t('calendar.yours'), '/calendar', null);
  });

  app.get<{ Params: { boardId: string; slug: string }; Querystring: { month?: string } }>('/b/:boardId/:slug/calendar', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'view', request);
    return showCalendar(request, reply, { boardId: access.board.id }, messagesFor(request).t('calendar.ofBoard', { board: access.board.title }),
      urls.boardPage(access.board, 'calendar'), access.board);
  });
};
