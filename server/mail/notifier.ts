// Notification mails (Step 10): told of every activity inside its transaction, it notifies whoever
// someone else added to a board or a card, mentioned with @username in a comment or a card's
// description, or who watches the card or its board when a card moves or (a watched card) gets a
// comment. Each person only if their profile wants that mail. The mail is queued (or held, see
// notifications.ts) in the same transaction, so a change that is undone mails nobody. Activities of
// other types cost nothing here; a move costs a query for the card's watchers.
import type { RecordedActivity } from '../store/activities.js';
import type { Store } from '../store/index.js';
import type { Notice } from '../store/held-mail.js';
import type { Translator } from '../i18n/messages.js';
import { mentionedUsernames } from '../mentions.js';
import { addedNotice, commentNotice, mentionNotice, movedNotice, type NotifiedPlace } from './messages.js';
import type { Notifications } from './notifications.js';

export function mailNotifier(store: Store, notifications: Notifications): (activity: RecordedActivity) => Promise<void> {
  const actorName = async (activity: RecordedActivity) =>
    (activity.userId ? (await store.users.byId(activity.userId))?.username : undefined) ?? 'Someone';

  /** Mails each person named in `usernames` that they were mentioned; answers who was. */
  const mention = async (activity: RecordedActivity, usernames: string[], text: string, where: 'comment' | 'description') => {
    const told = new Set<string>();
    const place = usernames.length ? await notifications.place(activity.boardId, activity.cardId) : undefined;
    if (!place) return told;
    const actor = await actorName(activity);
    for (const username of usernames) {
      const user = await notifications.recipient(await store.users.byUsername(username), 'mailMentions', activity.boardId, activity.userId);
      if (!user) continue;
      await notifications.deliver(user, mentionNotice(notifications.wordsFor(user), actor, place, notifications.siteTitle, text, where));
      told.add(user.id);
    }
    return told;
  };

  /** Tells the card's watchers (its own, and its board's when `boardToo`), but not those in `skip`. */
  const tellWatchers = async (activity: RecordedActivity, boardToo: boolean, skip: Set<string>,
    notice: (words: Translator, actor: string, place: NotifiedPlace) => Notice) => {
    const watchers = (await store.watchers.ofCard(activity.boardId, activity.cardId!))
      .filter((w) => (boardToo || w.through === 'card') && !skip.has(w.userId) && w.userId !== activity.userId);
    if (!watchers.length) return;
    const place = await notifications.place(activity.boardId, activity.cardId);
    if (!place) return;
    const actor = await actorName(activity);
    for (const watcher of watchers) {
      const user = await notifications.recipient(await store.users.byId(watcher.userId), 'mailWatched', activity.boardId, activity.userId);
      if (user) await notifications.deliver(user, notice(notifications.wordsFor(user), actor, place), { gather: true });
    }
  };

  const listTitle = async (boardId: string, listId: unknown) =>
    (typeof listId === 'string' ? (await store.lists.byId(boardId, listId))?.title : undefined) ?? 'a list';

  return async (activity) => {
    const { activityType, data, cardId } = activity;
    if (activityType === 'addBoardMember' || activityType === 'joinMember' || activityType === 'joinAssignee') {
      const user = await notifications.recipient(await store.users.byId(String(data?.memberId)), 'mailAdded', activity.boardId, activity.userId);
      const where = user && await notifications.place(activity.boardId, cardId);
      if (user && where) await notifications.deliver(user, addedNotice(notifications.wordsFor(user), await actorName(activity), where, notifications.siteTitle));
    } else if (activityType === 'addComment' && cardId) {
      const comment = await store.comments.byId(cardId, String(data?.commentId));
      if (!comment) return;
      const mentioned = await mention(activity, mentionedUsernames(comment.text), comment.text, 'comment');
      await tellWatchers(activity, false, mentioned, (words, actor, place) => commentNotice(words, actor, place, notifications.siteTitle, comment.text));
    } else if ((activityType === 'changedCardDescription' || activityType === 'createCard') && cardId && Array.isArray(data?.mentioned)) {
      const card = await store.cards.byId(activity.boardId, cardId);
      if (card) await mention(activity, data.mentioned.map(String), card.description, 'description');
    } else if (activityType === 'moveCard' && cardId && activity.listId && activity.listId !== data?.oldListId) {
      // (a new place in the same list, or another swimlane of it, tells nobody)
      const [from, to] = [await listTitle(activity.boardId, data?.oldListId), await listTitle(activity.boardId, activity.listId)];
      await tellWatchers(activity, true, new Set(), (words, actor, place) => movedNotice(words, actor, place, notifications.siteTitle, from, to));
    }
  };
}
