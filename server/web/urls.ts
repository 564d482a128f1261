// The URL of every page, in WeKan's shapes (/b/:boardId/:slug[/:cardId]). Ids and slugs are
// [A-Za-z0-9-] only, so these need no escaping beyond what the templates do anyway.
import type { Config } from '../config.js';
import { wellFormed } from '../text.js';

interface BoardRef {
  id: string;
  slug: string;
}

const board = (b: BoardRef): string => `/b/${b.id}/${b.slug}`;

export const urls = {
  home: '/',
  board,
  boardPage: (b: BoardRef, page: string): string => `${board(b)}/${page}`,
  card: (b: BoardRef, cardId: string): string => `${board(b)}/${cardId}`,
  /** The board narrowed to one list, all its cards. */
  list: (b: BoardRef, listId: string): string => `${board(b)}/lists/${listId}`,
  listSettings: (b: BoardRef, listId: string): string => `${board(b)}/lists/${listId}/settings`,
  swimlane: (b: BoardRef, swimlaneId: string): string => `${board(b)}/swimlanes/${swimlaneId}/settings`,
  /** An attachment's own page (rename, cover, delete). */
  attachment: (b: BoardRef, cardId: string, attachmentId: string): string => `${board(b)}/${cardId}/attachments/${attachmentId}`,
  /** The file itself; the name at the end is what browsers save it as (the id alone finds it). */
  attachmentFile: (b: BoardRef, cardId: string, attachmentId: string, name: string): string =>
    `${board(b)}/${cardId}/attachments/${attachmentId}/${encodeURIComponent(name)}`,
  /** The board's background picture (the id makes a new one a new address, so caches never show the old). */
  background: (b: BoardRef, backgroundId: string, name: string): string => `${board(b)}/background/${backgroundId}/${encodeURIComponent(name)}`,
  addCard: (b: BoardRef, listId: string, swimlaneId: string): string =>
    `${board(b)}/add-card?listId=${encodeURIComponent(listId)}&swimlaneId=${encodeURIComponent(swimlaneId)}`,
};

export type Urls = typeof urls;

/**
 * A path made fit for a Location header and a link: bytes outside printable ASCII (and the few printable
 * ones a URL may not hold) percent-encoded as UTF-8, a lone surrogate as U+FFFD. A `%` stays, so what is
 * already encoded is not encoded twice.
 */
export function encodedPath(path: string): string {
  return wellFormed(path).replace(/[^\x21-\x7e]|["<>\\^`{|}]/gu, (c) => encodeURIComponent(c));
}

/**
 * A link handed to someone else (a mail, an invitation, a webhook): on the public origin, the first of
 * WAMI_BASE_URL; null when none is set, and the feature says so instead.
 */
export function publicUrl(config: Pick<Config, 'baseUrl'>, path: string): string | null {
  return config.baseUrl === null ? null : config.baseUrl + encodedPath(path);
}
