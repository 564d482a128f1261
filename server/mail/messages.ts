// The text of the mails Wami sends (Step 10): plain text, with links to the no-JavaScript pages, in the
// recipient's language (Step 11: the catalogues' "mail" messages; `words` is the recipient's translator).
import type { NewMail } from '../store/outbox.js';
import type { Notice } from '../store/held-mail.js';
import type { Translator } from '../i18n/messages.js';

/** The mail with a link to choose a new password, asked for at /forgot-password. */
export function resetPasswordMail(words: Translator, to: string, username: string, siteTitle: string, link: string, hours: number): NewMail {
  const { t } = words;
  return {
    to,
    kind: 'reset',
    subject: t('mail.reset.subject', { site: siteTitle }),
    body: [
      t('mail.hello', { name: username }),
      '',
      t('mail.reset.asked', { username, site: siteTitle }),
      t('mail.reset.open', { hours }),
      '',
      link,
      '',
      t('mail.reset.notYou'),
      '',
    ].join('\n'),
  };
}

/** The mail inviting someone without an account to a board, sent from the board's members page. */
export function boardInvitationMail(words: Translator, to: string, inviter: string, boardTitle: string, siteTitle: string, link: string, days: number): NewMail {
  const { t } = words;
  return {
    to,
    kind: 'invitation',
    subject: t('mail.invitation.subject', { inviter, board: boardTitle, site: siteTitle }),
    body: [
      t('mail.helloAnyone'),
      '',
      t('mail.invitation.invites', { inviter, board: boardTitle, site: siteTitle }),
      t('mail.invitation.open', { days }),
      '',
      link,
      '',
      t('mail.invitation.ignore'),
      '',
    ].join('\n'),
  };
}

/** Where a notification points: the board, and the card when there is one. */
export interface NotifiedPlace {
  boardTitle: string;
  cardTitle: string | null;
  /** The page's address, when the server knows its public origin (WAMI_BASE_URL). */
  link: string | null;
}

function placeLines(place: NotifiedPlace): string[] {
  return place.link ? ['', place.link] : [];
}

const quoted = (text: string) => text.split('\n').map((line) => `> ${line}`);

/** Why the mail came, and where to stop it: the profile page (its address when the public origin is known). */
function footer({ t }: Translator, profileLink: string | null): string[] {
  return ['', '--', profileLink ? t('mail.footerLink', { link: profileLink }) : t('mail.footer'), ''];
}

/** "alice added you to the board / the card …". */
export function addedNotice({ t }: Translator, actor: string, place: NotifiedPlace, siteTitle: string): Notice {
  const card = place.cardTitle;
  return {
    kind: 'added',
    subject: card ? t('mail.added.cardSubject', { actor, card, site: siteTitle }) : t('mail.added.boardSubject', { actor, board: place.boardTitle, site: siteTitle }),
    body: [card ? t('mail.added.card', { actor, card, board: place.boardTitle, site: siteTitle }) : t('mail.added.board', { actor, board: place.boardTitle, site: siteTitle }),
      ...placeLines(place)].join('\n'),
  };
}

/** "alice mentioned you on the card …", with what they wrote (a comment, or the description's new text). */
export function mentionNotice({ t }: Translator, actor: string, place: NotifiedPlace, siteTitle: string, text: string,
  where: 'comment' | 'description'): Notice {
  const values = { actor, card: place.cardTitle ?? '', board: place.boardTitle };
  return {
    kind: 'mention',
    subject: t('mail.mention.subject', { actor, card: place.cardTitle ?? '', site: siteTitle }),
    body: [t(where === 'comment' ? 'mail.mention.comment' : 'mail.mention.description', values), '', ...quoted(text), ...placeLines(place)].join('\n'),
  };
}

/** "… is due within a day", with the due time as the person reads it (their time zone). */
export function dueNotice({ t }: Translator, place: NotifiedPlace, siteTitle: string, due: string): Notice {
  return {
    kind: 'due',
    subject: t('mail.due.subject', { card: place.cardTitle ?? '', due, site: siteTitle }),
    body: [t('mail.due.body', { card: place.cardTitle ?? '', board: place.boardTitle, due }), ...placeLines(place)].join('\n'),
  };
}

/** A card moved on a board (or a card) someone watches. */
export function movedNotice({ t }: Translator, actor: string, place: NotifiedPlace, siteTitle: string, from: string, to: string): Notice {
  return {
    kind: 'watch',
    subject: t('mail.moved.subject', { actor, card: place.cardTitle ?? '', to, site: siteTitle }),
    body: [t('mail.moved.body', { actor, card: place.cardTitle ?? '', board: place.boardTitle, from, to }), ...placeLines(place)].join('\n'),
  };
}

/** A comment on a card someone watches. */
export function commentNotice({ t }: Translator, actor: string, place: NotifiedPlace, siteTitle: string, text: string): Notice {
  return {
    kind: 'watch',
    subject: t('mail.commented.subject', { actor, card: place.cardTitle ?? '', site: siteTitle }),
    body: [t('mail.commented.body', { actor, card: place.cardTitle ?? '', board: place.boardTitle }), '', ...quoted(text), ...placeLines(place)].join('\n'),
  };
}

/** One notification as a mail of its own. */
export function noticeMail(words: Translator, to: string, notice: Notice, profileLink: string | null): NewMail {
  return { to, kind: notice.kind, subject: notice.subject, body: [notice.body, ...footer(words, profileLink)].join('\n') };
}

/** Several notifications in one mail: a person's daily summary, or what happened on their watched boards in a minute. */
export function gatheredMail(words: Translator, to: string, notices: Notice[], siteTitle: string, daily: boolean, profileLink: string | null): NewMail {
  const { t } = words;
  const count = notices.length;
  return {
    to,
    kind: daily ? 'digest' : 'gathered',
    subject: t(daily ? 'mail.gathered.dailySubject' : 'mail.gathered.subject', { count, site: siteTitle }),
    body: [
      t(daily ? 'mail.gathered.dailyIntro' : 'mail.gathered.intro', { site: siteTitle }),
      ...notices.flatMap((notice) => ['', `* ${notice.subject}`, '', notice.body]),
      ...footer(words, profileLink),
    ].join('\n'),
  };
}
