// What each board role may do. Pages and (later) the WeKan API ask here, never decide themselves.
// Roles follow WeKan: admin, normal, comment-only, no-comments, worker; a visitor sees a public board.

export type MemberRole = 'admin' | 'normal' | 'comment-only' | 'no-comments' | 'worker';
export type BoardRole = MemberRole | 'visitor';

export type BoardAction =
  | 'view' // see the board and its cards
  | 'edit' // add, rename, describe, archive and restore cards, lists and swimlanes
  | 'move' // move cards between lists, swimlanes and positions
  | 'admin'; // rename, archive or restore the board itself, manage members

const ALLOWED: Record<BoardRole, ReadonlySet<BoardAction>> = {
  admin: new Set(['view', 'edit', 'move', 'admin']),
  normal: new Set(['view', 'edit', 'move']),
  'no-comments': new Set(['view', 'edit', 'move']),
  worker: new Set(['view', 'move']),
  'comment-only': new Set(['view']),
  visitor: new Set(['view']),
};

export function may(role: BoardRole, action: BoardAction): boolean {
  return ALLOWED[role].has(action);
}

/** What the role may do, in words, for the 403 page. */
export function roleAllows(role: BoardRole): string {
  switch (role) {
    case 'admin':
      return 'Board admins may do everything on the board.';
    case 'normal':
    case 'no-comments':
      return 'Members may add, change, move and archive cards, lists and swimlanes; only board admins change the board itself.';
    case 'worker':
      return 'Workers may look at the board and move cards.';
    case 'comment-only':
      return 'Comment-only members may look at the board and comment on cards.';
    case 'visitor':
      return 'Visitors of a public board may look at it; ask a board admin to add you as a member to change it.';
  }
}
