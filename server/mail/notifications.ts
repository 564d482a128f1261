// How a notification reaches a person (Step 10): at once as a mail of its own, held for the next round
// (watched boards: a minute, so a batch of moves makes one mail), or held for their daily summary. The
// rounds (mail/rounds.ts) send what is held and remind people of cards coming due.
import type { Store } from '../store/index.js';
import type { Notice } from '../store/held-mail.js';
import type { User } from '../store/users.js';
import { formatDateTime, nextDailyTime } from '../dates.js';
import { FALLBACK, isLanguage, translator, type Translator } from '../i18n/messages.js';
import { may } from '../permissions.js';
import { publicUrl, urls } from '../web/urls.js';
import { dueNotice, gatheredMail, noticeMail, type NotifiedPlace } from './messages.js';

export interface NotificationOptions {
  /** The public origin for links (WAMI_BASE_URL's first); null: mails name the board and card only. */
  baseUrl: string | null;
  siteTitle: () => string;
  /** The hour of the daily summary, in each person's time zone. */
  digestHour: number;
}

/** The profile setting that turns each kind of notification on. */
export type MailWish = 'mailAdded' | 'mailMentions' | 'mailDue' | 'mailWatched';

const DAY_MS = 24 * 3600 * 1000;

export class Notifications {
  constructor(private readonly store: Store, private readonly options: NotificationOptions) {}

  get siteTitle(): string {
    return this.options.siteTitle();
  }

  /** Where a mail's reader changes what they are sent: the profile page, when the public origin is known. */
  private get profileLink(): string | null {
    return publicUrl(this.options, '/profile');
  }

  /** The words of a person's mail: their profile's language; automatic (the browser's) is English by mail. */
  wordsFor(user: User): Translator {
    return translator(isLanguage(user.language) ? user.language : FALLBACK);
  }

  /** The board and card a notification is about, with a link to its page. */
  async place(boardId: string, cardId: string | null): Promise<NotifiedPlace | undefined> {
    const board = await this.store.boards.byId(boardId);
    if (!board) return undefined;
    const card = cardId ? await this.store.cards.byId(board.id, cardId) : undefined;
    const path = card ? urls.card(board, card.id) : urls.board(board);
    return { boardTitle: board.title, cardTitle: card?.title ?? null, link: publicUrl(this.options, path) };
  }

  /**
   * The account, if it is someone other than `actorId`, has an address, wants `wish` and may `see` on
   * the board what the notice carries: the board itself, or (a comment's text) its comments; and the
   * card the notice is about, which an assigned-only member sees only when it is assigned to them.
   */
  async recipient(user: User | undefined, wish: MailWish, boardId: string, actorId: string | null, cardId: string | null,
    see: 'view' | 'see-comments' = 'view'): Promise<User | undefined> {
    if (!user || user.id === actorId || !user.email || user.loginDisabled || !user[wish]) return undefined;
    const access = await this.store.boards.access(boardId, user.id);
    if (!access || !may(access.role, see)) return undefined;
    if (cardId && !may(access.role, 'see-all-cards') && !(await this.store.members.onCard(cardId, 'assignees')).includes(user.id)) return undefined;
    return user;
  }

  /**
   * Queues the notice for `user` in the current transaction: as a mail now, or held for their daily
   * summary, or (`gather`) held for the next round so that notices made together go as one mail.
   */
  async deliver(user: User, notice: Notice, { gather = false, nowMs = Date.now() } = {}): Promise<void> {
    if (user.mailDigest) {
      await this.store.heldMail.hold(user.id, notice, true, nextDailyTime(nowMs, this.options.digestHour, user.timeZone));
    } else if (gather) {
      await this.store.heldMail.hold(user.id, notice, false, nowMs);
    } else {
      await this.store.outbox.enqueue(noticeMail(this.wordsFor(user), user.email!, notice, this.profileLink));
    }
  }

  /** Sends what is held and due by `nowMs`: one mail per person. Answers how many mails were queued. */
  async sendHeld(nowMs: number): Promise<number> {
    return await this.store.sql.transaction(async () => {
      const held = await this.store.heldMail.take(nowMs);
      let queued = 0;
      for (let start = 0; start < held.length;) {
        let end = start;
        while (end < held.length && held[end]!.userId === held[start]!.userId) end++;
        const mine = held.slice(start, end);
        start = end;
        const user = await this.store.users.byId(mine[0]!.userId);
        if (!user?.email || user.loginDisabled) continue;
        const daily = mine.some((notice) => notice.digest);
        // a summary of one notification is that notification
        await this.store.outbox.enqueue(mine.length === 1
          ? noticeMail(this.wordsFor(user), user.email, mine[0]!, this.profileLink)
          : gatheredMail(this.wordsFor(user), user.email, mine, this.siteTitle, daily, this.profileLink));
        queued++;
      }
      return queued;
    });
  }

  /**
   * Reminds each member, assignee and watcher of a card due within a day after `nowMs`, once per due date.
   * Answers how many reminders were given.
   */
  async remindDue(nowMs: number): Promise<number> {
    const pending = await this.store.dueReminders.pending(new Date(nowMs).toISOString(), new Date(nowMs + DAY_MS).toISOString(), 500);
    let reminded = 0;
    for (const due of pending) {
      await this.store.sql.transaction(async () => {
        if (!await this.store.dueReminders.mark(due)) return;
        const user = await this.recipient(await this.store.users.byId(due.userId), 'mailDue', due.boardId, null, due.cardId);
        const where = user && await this.place(due.boardId, due.cardId);
        if (!user || !where) return;
        const when = `${formatDateTime(due.dueAt, user.timeZone)} ${user.timeZone}`;
        await this.deliver(user, dueNotice(this.wordsFor(user), where, this.siteTitle, when), { nowMs });
        reminded++;
      });
    }
    return reminded;
  }
}
