// What each board role may do. Pages and the WeKan API ask here, never decide themselves.
// Roles follow WeKan 11 (its models/lib/boardRoleCapabilities.js): admin, normal, normal-assigned-only,
// no-comments, comment-only, comment-assigned-only, worker, read-only, read-assigned-only; a visitor sees
// a public board. The "assigned-only" roles see only the cards they are assigned to (cardScope in
// web/access.ts holds that on every way out of a board).

export type MemberRole = 'admin' | 'normal' | 'normal-assigned-only' | 'no-comments' | 'comment-only' | 'comment-assigned-only'
  | 'worker' | 'read-only' | 'read-assigned-only';
export type BoardRole = MemberRole | 'visitor';

/** In the order a person is shown them: most power first (WeKan's order). */
export const MEMBER_ROLES: readonly MemberRole[] = ['admin', 'normal', 'normal-assigned-only', 'no-comments', 'comment-only',
  'comment-assigned-only', 'worker', 'read-only', 'read-assigned-only'];

/** WeKan's member flag for each role ('normal' is none of them). */
export const ROLE_FLAGS = {
  isAdmin: 'admin', isNormalAssignedOnly: 'normal-assigned-only', isNoComments: 'no-comments', isCommentOnly: 'comment-only',
  isCommentAssignedOnly: 'comment-assigned-only', isWorker: 'worker', isReadOnly: 'read-only', isReadAssignedOnly: 'read-assigned-only',
} as const satisfies Record<string, MemberRole>;

export type RoleFlags = Partial<Record<keyof typeof ROLE_FLAGS, boolean>>;

/** WeKan's membership flags (its API bodies, its exports) as one role: the first flag set in WeKan's order wins. */
export function roleFromFlags(flags: RoleFlags): MemberRole {
  for (const [flag, role] of Object.entries(ROLE_FLAGS) as [keyof typeof ROLE_FLAGS, MemberRole][]) if (flags[flag]) return role;
  return 'normal';
}

/**
 * A role named as WeKan 11's API takes it (`role`: admin, normal or member, nocomments, commentonly or
 * comment, worker, normalassignedonly, …), and as Wami writes it (read-only, board-admin): case, hyphens,
 * underscores and blanks aside. Undefined for a name that is no role.
 */
export function roleNamed(name: string): MemberRole | undefined {
  const key = name.toLowerCase().replace(/[-_\s]/g, '');
  const named: Record<string, MemberRole> = {
    admin: 'admin', boardadmin: 'admin', normal: 'normal', member: 'normal', nocomments: 'no-comments', comment: 'comment-only',
    commentonly: 'comment-only', worker: 'worker', normalassignedonly: 'normal-assigned-only',
    commentassignedonly: 'comment-assigned-only', readonly: 'read-only', readassignedonly: 'read-assigned-only',
  };
  return Object.hasOwn(named, key) ? named[key] : undefined;
}

/** The role as WeKan's flags, each of them (exports and API answers carry all). */
export function flagsOf(role: MemberRole): Record<keyof typeof ROLE_FLAGS, boolean> {
  return Object.fromEntries(Object.entries(ROLE_FLAGS).map(([flag, named]) => [flag, named === role])) as Record<keyof typeof ROLE_FLAGS, boolean>;
}

export type BoardAction =
  | 'view' // see the board and its cards (for the assigned-only roles, the cards assigned to them)
  | 'edit' // add, change, archive and restore cards, lists, swimlanes, labels, checklists
  | 'move' // move cards between lists, swimlanes and positions
  | 'assign-self' // put oneself on a card as assignee, or take oneself off
  | 'comment' // write comments (and edit or delete one's own)
  | 'see-comments' // read comments and the activity history
  // take a card away to another board, with its comments and history: the right to remove it from this
  // board (edit) and to see all it carries, or a no-comments member could read its comments elsewhere
  | 'move-to-board'
  // the whole board at once: export it, copy it (what an assigned-only member may not see would go too)
  | 'see-all-cards'
  | 'admin'; // the board itself: settings, members, delete any comment

const ALLOWED: Record<BoardRole, ReadonlySet<BoardAction>> = {
  admin: new Set(['view', 'edit', 'move', 'assign-self', 'comment', 'see-comments', 'move-to-board', 'see-all-cards', 'admin']),
  normal: new Set(['view', 'edit', 'move', 'assign-self', 'comment', 'see-comments', 'move-to-board', 'see-all-cards']),
  'normal-assigned-only': new Set(['view', 'edit', 'move', 'assign-self', 'comment', 'see-comments', 'move-to-board']),
  'no-comments': new Set(['view', 'edit', 'move', 'assign-self', 'see-all-cards']),
  worker: new Set(['view', 'move', 'assign-self', 'comment', 'see-comments', 'see-all-cards']),
  'comment-only': new Set(['view', 'comment', 'see-comments', 'see-all-cards']),
  'comment-assigned-only': new Set(['view', 'comment', 'see-comments']),
  'read-only': new Set(['view', 'see-comments', 'see-all-cards']),
  'read-assigned-only': new Set(['view', 'see-comments']),
  visitor: new Set(['view', 'see-comments', 'see-all-cards']),
};

/** The roles that see only the cards assigned to them. */
export const ASSIGNED_ONLY_ROLES: readonly MemberRole[] = MEMBER_ROLES.filter((role) => !may(role, 'see-all-cards'));

export function may(role: BoardRole, action: BoardAction): boolean {
  return ALLOWED[role].has(action);
}

export function isMemberRole(value: string): value is MemberRole {
  return (MEMBER_ROLES as readonly string[]).includes(value);
}
