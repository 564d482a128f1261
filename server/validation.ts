// The rules for what people type, shared by the pages, the API and the command line. A refusal is a
// message of the catalogues (i18n/), put into the reader's words by whoever shows it.
import { message, type Localized, type MessageRef, type MessageValues } from './i18n/messages.js';

export const LIMITS = {
  title: 1000,
  description: 65536,
  username: 64,
  labelName: 100,
  email: 254,
  passwordMin: 8,
  passwordMax: 1024,
} as const;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: Localized };

const refuse = (key: string, values?: MessageValues): { ok: false; error: MessageRef } => ({ ok: false, error: message(`validation.${key}`, values) });

/** What a title names, for its error messages (validation.what.* in the catalogues). */
export type TitleKind = 'title' | 'boardTitle' | 'cardTitle' | 'checklistTitle' | 'listTitle' | 'swimlaneTitle' | 'item' | 'choice'
  | 'fieldName' | 'fileName' | 'copyTitle' | 'name';

// Control characters other than tab and newline never belong in stored text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** A one-line title: trimmed, inner line breaks and runs of blanks folded to one space. */
export function checkTitle(raw: string, what: TitleKind = 'title'): Checked<string> {
  const value = raw.normalize('NFC').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  const named = message(`validation.what.${what}`);
  if (!value) return refuse('titleMissing', { what: named });
  if ([...value].length > LIMITS.title) return refuse('titleTooLong', { what: named, max: LIMITS.title, typed: [...value].length });
  return { ok: true, value };
}

/** Free text (Markdown later): line breaks normalised to \n, trailing blanks trimmed. */
export function checkDescription(raw: string): Checked<string> {
  const value = raw.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '').trimEnd();
  if ([...value].length > LIMITS.description) {
    return refuse('descriptionTooLong', { max: LIMITS.description });
  }
  return { ok: true, value };
}

/** Letters, digits, dot, dash and underscore: safe in URLs, in HTTP Basic auth (no colon) and in @mentions. */
/**
 * A username as WeKan takes it (Step 13): trimmed, with no control characters; spaces, "@", "+" and dots
 * are fine (accounts from LDAP or OIDC are often addresses, some clients register "First Last"). Shown
 * as typed; unique without regard to case (the store's COLLATE NOCASE).
 */
export function checkUsername(raw: string): Checked<string> {
  const value = raw.normalize('NFC').trim();
  if (!value) return refuse('usernameMissing');
  if ([...value].length > LIMITS.username) return refuse('usernameTooLong', { max: LIMITS.username });
  if (/\p{Cc}/u.test(value)) return refuse('usernameCharacters');
  return { ok: true, value };
}

export function checkEmail(raw: string): Checked<string> {
  const value = raw.trim();
  if (!value) return refuse('emailMissing');
  if (value.length > LIMITS.email || !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(value)) return refuse('emailInvalid');
  return { ok: true, value };
}

export function checkNewPassword(raw: string): Checked<string> {
  if (raw.length < LIMITS.passwordMin) return refuse('passwordShort', { min: LIMITS.passwordMin });
  if (raw.length > LIMITS.passwordMax) return refuse('passwordLong', { max: LIMITS.passwordMax });
  return { ok: true, value: raw };
}

/** A new password typed twice (the form's two boxes): long enough, not too long, and the same both times. */
export function checkPasswordTypedTwice(raw: string, again: string): Checked<string> {
  const password = checkNewPassword(raw);
  if (password.ok && raw !== again) return refuse('passwordsDiffer');
  return password;
}

/** A list's WIP limit as typed: empty for none, else a whole number of cards from 1 to 10000. */
export function checkWipLimit(raw: string): Checked<number | null> {
  const typed = raw.trim();
  if (typed === '') return { ok: true, value: null };
  const limit = Number(typed);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10000) return refuse('wipLimit');
  return { ok: true, value: limit };
}
