// Notification mails (Step 10): told of every activity inside its transaction, it queues a mail to
// whoever someone else added to a board or a card, or mentioned with @username in a comment, if their
// profile wants that mail and their account has an address. The mail is queued in the same transaction,
// so a change that is undone mails nobody. Only those few activity types cost a query: a card move costs
// nothing here.
import type { RecordedActivity } from '../store/activities.js';
import type { Store } from '../store/index.js';
import type { User } from '../store/users.js';
import { may } from '../permissions.js';
import { urls } from '../web/urls.js';
import { addedMail, mentionMail, type NotifiedPlace } from './messages.js';

/** @username in text: after a start, a space or punctuation (not inside an address such as a@b.org). */
const MENTION = /(?:^|[^\w@.])@([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z0-9])/g;

export function mentionedUsernames(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((match) => match[1]!.toLowerCase()))];
}

export interface NotifierOptions {
  /** The public origin for links (WAMI_BASE_URL's first); null: mails name the board and card only. */
  baseUrl: string | null;
  siteTitle: () => string;
}

export function mailNotifier(store: Store, options: NotifierOptions): (activity: RecordedActivity) => Promise<void> {
  const place = async (activity: RecordedActivity): Promise<NotifiedPlace | undefined> => {
    const board = await store.boards.byId(activity.boardId);
    if (!board) return undefined;
    const card = activity.cardId ? await store.cards.byId(board.id, activity.cardId) : undefined;
    const path = card ? urls.card(board, card.id) : urls.board(board);
    return { boardTitle: board.title, cardTitle: card?.title ?? null, link: options.baseUrl ? options.baseUrl + path : null };
  };
  /** The account, if it is someone other than the actor who can see the board and wants this kind of mail. */
  const recipient = async (activity: RecordedActivity, user: User | undefined, wants: 'mailAdded' | 'mailMentions') => {
    if (!user || user.id === activity.userId || !user.email || user.loginDisabled || !user[wants]) return undefined;
    const access = await store.boards.access(activity.boardId, user.id);
    return access && may(access.role, 'view') ? user : undefined;
  };
  const actorName = async (activity: RecordedActivity) =>
    (activity.userId ? (await store.users.byId(activity.userId))?.username : undefined) ?? 'Someone';

  return async (activity) => {
    const { activityType, data } = activity;
    if (activityType === 'addBoardMember' || activityType === 'joinMember' || activityType === 'joinAssignee') {
      const user = await recipient(activity, await store.users.byId(String(data?.memberId)), 'mailAdded');
      const where = user && await place(activity);
      if (user && where) await store.outbox.enqueue(addedMail(user.email!, await actorName(activity), where, options.siteTitle()));
    } else if (activityType === 'addComment' && activity.cardId) {
      const comment = await store.comments.byId(activity.cardId, String(data?.commentId));
      if (!comment) return;
      const named = mentionedUsernames(comment.text);
      if (named.length === 0) return;
      const where = await place(activity);
      if (!where) return;
      const actor = await actorName(activity);
      for (const username of named) {
        const user = await recipient(activity, await store.users.byUsername(username), 'mailMentions');
        if (user) await store.outbox.enqueue(mentionMail(user.email!, actor, where, options.siteTitle(), comment.text));
      }
    }
  };
}
