// The rules for what people type, shared by the pages and (later) the API.

export const LIMITS = {
  title: 1000,
  description: 65536,
  username: 64,
  labelName: 100,
  email: 254,
  passwordMin: 8,
  passwordMax: 1024,
} as const;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

// Control characters other than tab and newline never belong in stored text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** A one-line title: trimmed, inner line breaks and runs of blanks folded to one space. */
export function checkTitle(raw: string, what = 'Title'): Checked<string> {
  const value = raw.normalize('NFC').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  if (!value) return { ok: false, error: `${what} is missing: type at least one character.` };
  if ([...value].length > LIMITS.title) {
    return { ok: false, error: `${what} is too long: at most ${LIMITS.title} characters, you typed ${[...value].length}.` };
  }
  return { ok: true, value };
}

/** Free text (Markdown later): line breaks normalised to \n, trailing blanks trimmed. */
export function checkDescription(raw: string): Checked<string> {
  const value = raw.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '').trimEnd();
  if ([...value].length > LIMITS.description) {
    return { ok: false, error: `The description is too long: at most ${LIMITS.description} characters.` };
  }
  return { ok: true, value };
}

/** Letters, digits, dot, dash and underscore: safe in URLs, in HTTP Basic auth (no colon) and in @mentions. */
export function checkUsername(raw: string): Checked<string> {
  const value = raw.normalize('NFC').trim();
  if (!value) return { ok: false, error: 'Choose a username.' };
  if ([...value].length > LIMITS.username) return { ok: false, error: `A username has at most ${LIMITS.username} characters.` };
  if (!/^[\p{L}\p{N}._-]+$/u.test(value)) {
    return { ok: false, error: 'A username may hold letters, digits, dots, dashes and underscores only.' };
  }
  return { ok: true, value };
}

export function checkEmail(raw: string): Checked<string> {
  const value = raw.trim();
  if (!value) return { ok: false, error: 'Type your email address.' };
  if (value.length > LIMITS.email || !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(value)) {
    return { ok: false, error: 'That is not an email address (name@example.org).' };
  }
  return { ok: true, value };
}

export function checkNewPassword(raw: string): Checked<string> {
  if (raw.length < LIMITS.passwordMin) {
    return { ok: false, error: `Choose a password of at least ${LIMITS.passwordMin} characters.` };
  }
  if (raw.length > LIMITS.passwordMax) return { ok: false, error: `A password has at most ${LIMITS.passwordMax} characters.` };
  return { ok: true, value: raw };
}

/** A new password typed twice (the form's two boxes): long enough, not too long, and the same both times. */
export function checkPasswordTypedTwice(raw: string, again: string): Checked<string> {
  const password = checkNewPassword(raw);
  if (password.ok && raw !== again) return { ok: false, error: 'The two passwords differ: type the same password twice.' };
  return password;
}

/** A list's WIP limit as typed: empty for none, else a whole number of cards from 1 to 10000. */
export function checkWipLimit(raw: string): Checked<number | null> {
  const typed = raw.trim();
  if (typed === '') return { ok: true, value: null };
  const limit = Number(typed);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10000) {
    return { ok: false, error: 'A WIP limit is a whole number of cards from 1 to 10000, or empty for none.' };
  }
  return { ok: true, value: limit };
}
