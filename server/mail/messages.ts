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
