// What a webhook receives: WeKan's outgoing-webhook JSON. `text` is a line for chat tools (Slack,
// Mattermost, Rocket.Chat show it as it is); the other fields are for scripts.
import { translator } from '../i18n/messages.js';
import type { Store } from '../store/index.js';
import type { DueDelivery } from '../store/integrations.js';
import { formatterFor } from '../web/format.js';
import { activityData, describeActivity, historyNames } from '../web/history.js';
import { publicUrl, urls } from '../web/urls.js';

export interface WebhookMessage {
  text: string;
  /** WeKan's i18n key of the change ("act-moveCard"). */
  description: string;
  activityType: string;
  activityId: string;
  boardId: string;
  board: string;
  cardId: string | null;
  card: string | null;
  listId: string | null;
  oldListId: string | null;
  swimlaneId: string | null;
  commentId: string | null;
  comment: string | null;
  userId: string | null;
  user: string;
  url: string;
  createdAt: string;
}

/** The message of a delivery, or null when its change is gone with its board. */
export async function messageOf(store: Store, delivery: DueDelivery, baseUrl: string | null): Promise<WebhookMessage | null> {
  const activity = await store.activities.byId(delivery.activityId);
  const board = activity ? (await store.boards.byId(activity.boardId)) : undefined;
  if (!activity || !board) return null;
  const data = activityData(activity);
  const card = activity.cardId ? (await store.cards.byId(board.id, activity.cardId)) : undefined;
  const cardTitle = card?.title ?? delivery.cardTitle ?? (typeof data.title === 'string' ? data.title : null);
  const commentId = typeof data.commentId === 'string' ? data.commentId : null;
  const comment = commentId && activity.cardId ? (await store.comments.byId(activity.cardId, commentId))?.text ?? null : null;
  const path = card ? urls.card(board, card.id) : urls.board(board);
  // relative without WAMI_BASE_URL: no origin is guessed from a request
  const url = publicUrl({ baseUrl }, path) ?? path;
  const user = activity.username ?? 'someone';
  const what = describeActivity(activity, await historyNames(store, board.id, [activity]), formatterFor('UTC'), translator('en'));
  const about = cardTitle ? `: "${cardTitle}" on ${board.title}` : ` on ${board.title}`;
  return {
    text: `${user} ${what}${about}${comment ? `\n> ${comment}` : ''}\n${url}`,
    description: `act-${activity.activityType}`,
    activityType: activity.activityType,
    activityId: activity.id,
    boardId: board.id,
    board: board.title,
    cardId: activity.cardId,
    card: cardTitle,
    listId: activity.listId ?? card?.listId ?? null,
    oldListId: typeof data.oldListId === 'string' ? data.oldListId : null,
    swimlaneId: activity.swimlaneId ?? card?.swimlaneId ?? null,
    commentId,
    comment,
    userId: activity.userId,
    user,
    url,
    createdAt: activity.createdAt,
  };
}
