// Wami's rows as the JSON documents WeKan's API answers with (field names as WeKan's, ids as they are).
// Never passwords, hashes or token data: `services` is always empty, as some clients read it.
import type { Board } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import type { Label } from '../store/labels.js';
import type { Member } from '../store/members.js';
import type { BoardSummary } from '../store/boards.js';
import type { User } from '../store/users.js';
import { flagsOf, type MemberRole } from '../permissions.js';
import { parsedColumn, readLocations, readStickers } from '../stickers-and-locations.js';

export function userDocument(user: User) {
  return {
    _id: user.id,
    username: user.username,
    emails: user.email ? [{ address: user.email, verified: false }] : [],
    profile: { fullname: user.fullname, initials: user.initials },
    isAdmin: !!user.isAdmin,
    loginDisabled: !!user.loginDisabled,
    createdAt: user.createdAt,
    services: {},
  };
}

/** WeKan's per-board membership flags from a Wami role. */
export function memberFlags(role: MemberRole) {
  return { isActive: true, ...flagsOf(role) };
}

export function membershipsOf(boards: BoardSummary[]) {
  return boards.map((b) => ({ boardId: b.id, ...memberFlags(b.role) }));
}

export function boardDocument(board: Board, members: Member[], labels: Label[]) {
  return {
    _id: board.id,
    title: board.title,
    slug: board.slug,
    permission: board.permission,
    color: board.color,
    archived: !!board.archived,
    archivedAt: board.archivedAt,
    description: board.description,
    type: 'board',
    createdAt: board.createdAt,
    modifiedAt: board.modifiedAt,
    members: members.map((m) => ({ userId: m.userId, ...memberFlags(m.role) })),
    labels: labels.map((l) => ({ _id: l.id, name: l.name, color: l.color })),
  };
}

/** A card as the list-of-cards routes show it. */
export function cardSummary(card: Card, assignees: string[]) {
  return {
    _id: card.id,
    title: card.title,
    description: card.description,
    swimlaneId: card.swimlaneId,
    listId: card.listId,
    receivedAt: card.receivedAt,
    startAt: card.startAt,
    dueAt: card.dueAt,
    endAt: card.endAt,
    assignees,
    sort: card.sort,
  };
}

/** A whole card, as GET /api/cards/:c answers. */
export function cardDocument(card: Card, people: {
  members: string[]; assignees: string[]; labelIds: string[]; customFields: { _id: string; value: unknown }[];
  dependencies: { cardId: string; type: string; color: string; icon: string }[];
}) {
  return {
    _id: card.id,
    title: card.title,
    description: card.description,
    boardId: card.boardId,
    listId: card.listId,
    swimlaneId: card.swimlaneId,
    sort: card.sort,
    color: card.color,
    archived: !!card.archived,
    archivedAt: card.archivedAt,
    userId: card.authorId,
    members: people.members,
    assignees: people.assignees,
    labelIds: people.labelIds,
    receivedAt: card.receivedAt,
    startAt: card.startAt,
    dueAt: card.dueAt,
    endAt: card.endAt,
    spentTime: card.spentTime,
    isOvertime: !!card.isOvertime,
    dueComplete: !!card.dueComplete,
    stickers: readStickers(parsedColumn(card.stickers)),
    locations: readLocations(parsedColumn(card.locations)),
    cardDependencies: people.dependencies,
    requestedBy: card.requestedBy,
    assignedBy: card.assignedBy,
    parentId: card.parentId ?? '',
    coverId: card.coverId,
    customFields: people.customFields,
    type: 'cardType-card',
    createdAt: card.createdAt,
    modifiedAt: card.modifiedAt,
  };
}
