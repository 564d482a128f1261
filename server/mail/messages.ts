// The text of the mails Wami sends (Step 10): plain text, with links to the no-JavaScript pages.
import type { NewMail } from '../store/outbox.js';
import type { Notice } from '../store/held-mail.js';

/** The mail with a link to choose a new password, asked for at /forgot-password. */
export function resetPasswordMail(to: string, username: string, siteTitle: string, link: string, hours: number): NewMail {
  const within = hours === 1 ? 'an hour' : `${hours} hours`;
  return {
    to,
    kind: 'reset',
    subject: `Choose a new password for ${siteTitle}`,
    body: [
      `Hello ${username},`,
      '',
      `Someone, probably you, asked for a new password for the account "${username}" on ${siteTitle}.`,
      `To choose one, open this link within ${within}. It works once:`,
      '',
      link,
      '',
      'If it was not you, ignore this mail: your password stays as it is.',
      '',
    ].join('\n'),
  };
}

/** The mail inviting someone without an account to a board, sent from the board's members page. */
export function boardInvitationMail(to: string, inviter: string, boardTitle: string, siteTitle: string, link: string, days: number): NewMail {
  return {
    to,
    kind: 'invitation',
    subject: `${inviter} invites you to the board "${boardTitle}" on ${siteTitle}`,
    body: [
      'Hello,',
      '',
      `${inviter} invites you to work with them on the board "${boardTitle}" on ${siteTitle}.`,
      `To join, open this link within ${days} days and choose a username and a password. It works once:`,
      '',
      link,
      '',
      'If you do not want to join, ignore this mail.',
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

const cardOnBoard = (place: NotifiedPlace) => `the card "${place.cardTitle}" on the board "${place.boardTitle}"`;

/** Why the mail came, and where to stop it: the profile page (its address when the public origin is known). */
function footer(profileLink: string | null): string[] {
  return ['', '--', 'You get this mail because of your profile\'s mail settings; change them on your profile page'
    + (profileLink ? `:\n${profileLink}` : '.'), ''];
}

/** "alice added you to the board / the card …". */
export function addedNotice(actor: string, place: NotifiedPlace, siteTitle: string): Notice {
  const what = place.cardTitle ? cardOnBoard(place) : `the board "${place.boardTitle}"`;
  return {
    kind: 'added',
    subject: `${actor} added you to ${place.cardTitle ? `"${place.cardTitle}"` : `the board "${place.boardTitle}"`} on ${siteTitle}`,
    body: [`${actor} added you to ${what} on ${siteTitle}.`, ...placeLines(place)].join('\n'),
  };
}

/** "alice mentioned you on the card …", with what they wrote (a comment, or the description's new text). */
export function mentionNotice(actor: string, place: NotifiedPlace, siteTitle: string, text: string, where: 'comment' | 'description'): Notice {
  const intro = where === 'comment' ? `${actor} mentioned you on ${cardOnBoard(place)}:` : `${actor} mentioned you in the description of ${cardOnBoard(place)}:`;
  return {
    kind: 'mention',
    subject: `${actor} mentioned you on "${place.cardTitle}" on ${siteTitle}`,
    body: [intro, '', ...quoted(text), ...placeLines(place)].join('\n'),
  };
}

/** "… is due within a day", with the due time as the person reads it (their time zone). */
export function dueNotice(place: NotifiedPlace, siteTitle: string, due: string): Notice {
  return {
    kind: 'due',
    subject: `"${place.cardTitle}" is due ${due} on ${siteTitle}`,
    body: [`The card "${place.cardTitle}" on the board "${place.boardTitle}" is due within a day: ${due}.`, ...placeLines(place)].join('\n'),
  };
}

/** A card moved on a board (or a card) someone watches. */
export function movedNotice(actor: string, place: NotifiedPlace, siteTitle: string, from: string, to: string): Notice {
  return {
    kind: 'watch',
    subject: `${actor} moved "${place.cardTitle}" to "${to}" on ${siteTitle}`,
    body: [`${actor} moved ${cardOnBoard(place)} from "${from}" to "${to}".`, ...placeLines(place)].join('\n'),
  };
}

/** A comment on a card someone watches. */
export function commentNotice(actor: string, place: NotifiedPlace, siteTitle: string, text: string): Notice {
  return {
    kind: 'watch',
    subject: `${actor} commented on "${place.cardTitle}" on ${siteTitle}`,
    body: [`${actor} commented on ${cardOnBoard(place)}:`, '', ...quoted(text), ...placeLines(place)].join('\n'),
  };
}

/** One notification as a mail of its own. */
export function noticeMail(to: string, notice: Notice, profileLink: string | null): NewMail {
  return { to, kind: notice.kind, subject: notice.subject, body: [notice.body, ...footer(profileLink)].join('\n') };
}

/** Several notifications in one mail: a person's daily summary, or what happened on their watched boards in a minute. */
export function gatheredMail(to: string, notices: Notice[], siteTitle: string, daily: boolean, profileLink: string | null): NewMail {
  const count = `${notices.length} notification${notices.length === 1 ? '' : 's'}`;
  return {
    to,
    kind: daily ? 'digest' : 'gathered',
    subject: daily ? `Your daily summary from ${siteTitle}: ${count}` : `${count} from ${siteTitle}`,
    body: [
      daily ? `What happened on ${siteTitle} since your last summary:` : `What just happened on ${siteTitle}:`,
      ...notices.flatMap((notice) => ['', `* ${notice.subject}`, '', notice.body]),
      ...footer(profileLink),
    ].join('\n'),
  };
}
