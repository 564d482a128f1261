// What each board role may do. Pages and (later) the WeKan API ask here, never decide themselves.
// Roles follow WeKan: admin, normal, comment-only, no-comments, worker; a visitor sees a public board.

export type MemberRole = 'admin' | 'normal' | 'comment-only' | 'no-comments' | 'worker';
export type BoardRole = MemberRole | 'visitor';

export const MEMBER_ROLES: readonly MemberRole[] = ['admin', 'normal', 'comment-only', 'no-comments', 'worker'];

/** WeKan's membership flags (its API bodies, its exports) as one role: admin wins, then the most limited. */
export function roleFromFlags(flags: { isAdmin: boolean; isNoComments: boolean; isCommentOnly: boolean; isWorker: boolean }): MemberRole {
  if (flags.isAdmin) return 'admin';
  if (flags.isNoComments) return 'no-comments';
  if (flags.isCommentOnly) return 'comment-only';
  if (flags.isWorker) return 'worker';
  return 'normal';
}

export type BoardAction =
  | 'view' // see the board and its cards
  | 'edit' // add, change, archive and restore cards, lists, swimlanes, labels, checklists
  | 'move' // move cards between lists, swimlanes and positions
  | 'assign-self' // put oneself on a card as assignee, or take oneself off
  | 'comment' // write comments (and edit or delete one's own)
  | 'see-comments' // read comments and the activity history
  // take a card away to another board, with its comments and history: the right to remove it from this
  // board (edit) and to see all it carries, or a no-comments member could read its comments elsewhere
  | 'move-to-board'
  | 'admin'; // the board itself: settings, members, delete any comment

const ALLOWED: Record<BoardRole, ReadonlySet<BoardAction>> = {
  admin: new Set(['view', 'edit', 'move', 'assign-self', 'comment', 'see-comments', 'move-to-board', 'admin']),
  normal: new Set(['view', 'edit', 'move', 'assign-self', 'comment', 'see-comments', 'move-to-board']),
  'no-comments': new Set(['view', 'edit', 'move', 'assign-self']),
  worker: new Set(['view', 'move', 'assign-self', 'comment', 'see-comments']),
  'comment-only': new Set(['view', 'comment', 'see-comments']),
  visitor: new Set(['view', 'see-comments']),
};

export function may(role: BoardRole, action: BoardAction): boolean {
  return ALLOWED[role].has(action);
}

export function isMemberRole(value: string): value is MemberRole {
  return (MEMBER_ROLES as readonly string[]).includes(value);
}

