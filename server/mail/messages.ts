// The text of the mails Wami sends (Step 10): plain text, with links to the no-JavaScript pages.
import type { NewMail } from '../store/outbox.js';

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
  return place.link ? ['', place.link, ''] : [''];
}

const footer = ['--', 'You get this mail because of your profile\'s mail settings; change them on your profile page.', ''];

/** "alice added you to the board / the card …". */
export function addedMail(to: string, actor: string, place: NotifiedPlace, siteTitle: string): NewMail {
  const what = place.cardTitle ? `the card "${place.cardTitle}" on the board "${place.boardTitle}"` : `the board "${place.boardTitle}"`;
  return {
    to,
    kind: 'added',
    subject: `${actor} added you to ${place.cardTitle ? `"${place.cardTitle}"` : `the board "${place.boardTitle}"`} on ${siteTitle}`,
    body: [`${actor} added you to ${what} on ${siteTitle}.`, ...placeLines(place), ...footer].join('\n'),
  };
}

/** "alice mentioned you on the card …", with what they wrote. */
export function mentionMail(to: string, actor: string, place: NotifiedPlace, siteTitle: string, text: string): NewMail {
  return {
    to,
    kind: 'mention',
    subject: `${actor} mentioned you on "${place.cardTitle}" on ${siteTitle}`,
    body: [`${actor} mentioned you on the card "${place.cardTitle}" on the board "${place.boardTitle}":`, '',
      ...text.split('\n').map((line) => `> ${line}`), ...placeLines(place), ...footer].join('\n'),
  };
}
