// The board the write benchmarks move cards on, made through the store (SQLite or PostgreSQL): two lists
// ("To do", "Done") of 100 cards each, a user with a session, and the move form posts a browser sends.
import type { Store } from '../../server/store/index.js';
import { hashToken, newToken, SESSION_COOKIE } from '../../server/web/session.js';
import type { FormPost } from './wrk.js';
import { inOrder } from '../helpers/app.js';

/** Cards the bench moves; each goes to "Done" and back, 4 moves a round. */
export const MOVING_CARDS = 20;

export interface MoveBoard {
  cookie: string;
  boardUrl: string;
  /** A card page's path: where a browser finds the move form (and the CSRF token). */
  cardUrl: string;
  /**
   * Move form posts for the given moving cards (0 to MOVING_CARDS), given the CSRF token: taken in
   * turn, each really moves a card (none is a no-op). Each card goes to the bottom of Done, back to the
   * top of To do, into the middle of Done (after a card that never moves) and back to the top of To do:
   * a user's mix of top, bottom and in between.
   */
  movePosts(csrf: string, from?: number, to?: number): FormPost[];
}

export async function seedMoveBoard(store: Store): Promise<MoveBoard> {
  return (await seedMoveBoards(store, 1))[0]!;
}

/** `count` such boards of one user (one session cookie for all). */
export async function seedMoveBoards(store: Store, count: number): Promise<MoveBoard[]> {
  const user = await store.users.create({ username: 'bench', email: null, passwordHash: 'x' });
  const token = newToken();
  await store.sessions.create(hashToken(token), user.id, new Date(Date.now() + 86400_000).toISOString());
  const boards: MoveBoard[] = [];
  for (let i = 0; i < count; i++) boards.push(await seedBoard(store, user.id, `${SESSION_COOKIE}=${token}`, `Moves ${i + 1}`));
  return boards;
}

async function seedBoard(store: Store, userId: string, cookie: string, title: string): Promise<MoveBoard> {
  const board = await store.boards.create(userId, title);
  const swimlane = (await store.swimlanes.forBoard(board.id, false))[0]!;
  const [toDo, done] = await inOrder(['To do', 'Done'], async (title) => await store.lists.create(userId, board.id, title));
  const cards = await store.sql.transaction(() => inOrder(Array.from({ length: 200 }, (_, i) => i), (i) =>
    store.cards.create(userId, { boardId: board.id, listId: (i % 2 ? done : toDo)!.id, swimlaneId: swimlane.id, title: `Card ${i}` })));
  const boardUrl = `/b/${board.id}/${board.slug}`;
  const middleOfDone = cards[101]!; // index odd: in Done, and never moved
  const moving = cards.filter((card) => card.listId === toDo!.id).slice(0, MOVING_CARDS);
  return {
    cookie,
    boardUrl,
    cardUrl: `${boardUrl}/${cards[0]!.id}`,
    movePosts(csrf, from = 0, to = MOVING_CARDS) {
      const phase = (listId: string, position: string) => moving.slice(from, to).map((card) => ({
        path: `${boardUrl}/${card.id}/move`,
        body: new URLSearchParams({ csrf, listId, swimlaneId: swimlane.id, position }).toString(),
      }));
      return [...phase(done!.id, 'bottom'), ...phase(toDo!.id, 'top'), ...phase(done!.id, `after:${middleOfDone.id}`), ...phase(toDo!.id, 'top')];
    },
  };
}

/** The CSRF token the server at `origin` puts in this board's forms (what a browser sends back). */
export async function csrfOf(origin: string, board: MoveBoard): Promise<string> {
  const page = await (await fetch(`${origin}${board.cardUrl}`, { headers: { cookie: board.cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!csrf) throw new Error(`no form token on ${origin}${board.cardUrl}`);
  return csrf;
}

/** The posts of several lists taken in turn, one from each: consecutive requests go to different boards. */
export function interleaved<T>(lists: T[][]): T[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, i) => lists.flatMap((list) => list.slice(i, i + 1))).flat();
}
