// The URL of every page, in WeKan's shapes (/b/:boardId/:slug[/:cardId]). Ids and slugs are
// [A-Za-z0-9-] only, so these need no escaping beyond what the templates do anyway.
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
  addCard: (b: BoardRef, listId: string, swimlaneId: string): string =>
    `${board(b)}/add-card?listId=${encodeURIComponent(listId)}&swimlaneId=${encodeURIComponent(swimlaneId)}`,
};

export type Urls = typeof urls;
