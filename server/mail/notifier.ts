// Notification mails (Step 10): told of every activity inside its transaction, it notifies whoever
// someone else added to a board or a card, mentioned with @username in a comment or a card's
// description, or who watches the card or its board when a card moves or (a watched card) gets a
// comment. Each person only if their profile wants that mail. The mail is queued (or held, see
// notifications.ts) in the same transaction, so a change that is undone mails nobody. Activities of
// other types cost nothing here; a move costs a query for the card's watchers. What the notices of one
// activity share (the board, the card, who made the change) is read once.
import type { RecordedActivity } from '../store/activities.js';
import type { Store } from '../store/index.js';
import type { User } from '../store/users.js';
import type { Notice } from '../store/held-mail.js';
import type { Translator } from '../i18n/messages.js';
import { mentionedUsernames } from '../mentions.js';
import { addedNotice, commentNotice, mentionNotice, movedNotice, type NotifiedPlace } from './messages.js';
import type { Notifications } from './notifications.js';

/** A value read once, the first time it is asked for: what the notices of one activity share. */
function lazily<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
}

export function mailNotifier(store: Store, notifications: Notifications): (activity: RecordedActivity) => Promise<void> {
  /** The board and card, and who made the change: each read once per activity, and only for a notice. */
  const shared = (activity: RecordedActivity) => ({
    place: lazily(() => notifications.place(activity.boardId, activity.cardId)),
    actor: lazily(async () => (activity.userId ? (await store.users.byId(activity.userId))?.username : undefined) ?? 'Someone'),
  });
  type Shared = ReturnType<typeof shared>;

  /** Mails each person named in `usernames` that they were mentioned; answers who was. */
  const mention = async (activity: RecordedActivity, about: Shared, usernames: string[], text: string, where: 'comment' | 'description') => {
    const told = new Set<string>();
    for (const username of usernames) {
      const see = where === 'comment' ? 'see-comments' : 'view'; // a no-comments member is not mailed a comment's text
      const user = await notifications.recipient(await store.users.byUsername(username), 'mailMentions', activity.boardId, activity.userId, activity.cardId, see);
      const place = user && await about.place();
      if (!user || !place) continue;
      await notifications.deliver(user, mentionNotice(notifications.wordsFor(user), await about.actor(), place, notifications.siteTitle, text, where));
      told.add(user.id);
    }
    return told;
  };

  /**
   * The card's watchers who want to hear (its own, and its board's when `boardToo`), but not those in
   * `skip`, and only those who may see what the notice carries (`see`).
   */
  const watchersToTell = async (activity: RecordedActivity, boardToo: boolean, skip = new Set<string>(), see: 'view' | 'see-comments' = 'view') => {
    const users: User[] = [];
    for (const watcher of await store.watchers.ofCard(activity.boardId, activity.cardId!)) {
      if ((!boardToo && watcher.through !== 'card') || skip.has(watcher.userId)) continue;
      const user = await notifications.recipient(await store.users.byId(watcher.userId), 'mailWatched', activity.boardId, activity.userId, activity.cardId, see);
      if (user) users.push(user);
    }
    return users;
  };

  /** Holds a notice for each watcher, in their words, gathered with what else happens this round. */
  const tell = async (watchers: User[], about: Shared, notice: (words: Translator, actor: string, place: NotifiedPlace) => Notice) => {
    const place = watchers.length ? await about.place() : undefined;
    if (!place) return;
    for (const user of watchers) await notifications.deliver(user, notice(notifications.wordsFor(user), await about.actor(), place), { gather: true });
  };

  const listTitle = async (boardId: string, listId: unknown) =>
    (typeof listId === 'string' ? (await store.lists.byId(boardId, listId))?.title : undefined) ?? 'a list';

  return async (activity) => {
    const { activityType, data, cardId } = activity;
    const about = shared(activity);
    if (activityType === 'addBoardMember' || activityType === 'joinMember' || activityType === 'joinAssignee') {
      const user = await notifications.recipient(await store.users.byId(String(data?.memberId)), 'mailAdded', activity.boardId, activity.userId, activity.cardId);
      const where = user && await about.place();
      if (user && where) await notifications.deliver(user, addedNotice(notifications.wordsFor(user), await about.actor(), where, notifications.siteTitle));
    } else if (activityType === 'addComment' && cardId) {
      const comment = await store.comments.byId(cardId, String(data?.commentId));
      if (!comment) return;
      const mentioned = await mention(activity, about, mentionedUsernames(comment.text), comment.text, 'comment');
      await tell(await watchersToTell(activity, false, mentioned, 'see-comments'), about,
        (words, actor, place) => commentNotice(words, actor, place, notifications.siteTitle, comment.text));
    } else if ((activityType === 'changedCardDescription' || activityType === 'createCard') && cardId && Array.isArray(data?.mentioned)) {
      const card = await store.cards.byId(activity.boardId, cardId);
      if (card) await mention(activity, about, data.mentioned.map(String), card.description, 'description');
    } else if (activityType === 'moveCard' && cardId && activity.listId && activity.listId !== data?.oldListId) {
      // (a new place in the same list, or another swimlane of it, tells nobody; the lists are read only for someone to tell)
      const watchers = await watchersToTell(activity, true);
      if (!watchers.length) return;
      const [from, to] = [await listTitle(activity.boardId, data?.oldListId), await listTitle(activity.boardId, activity.listId)];
      await tell(watchers, about, (words, actor, place) => movedNotice(words, actor, place, notifications.siteTitle, from, to));
    }
  };
}
