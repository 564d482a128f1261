// Reading application/x-www-form-urlencoded text (form bodies and query strings) in the charset the
// form was served in. No browser labels what it sends (measured: ../shared/tools/retro/README.md), so
// every form on a page served in a Latin charset carries a hidden `_charset_` field (render.ts adds
// it); modern browsers fill that name with the charset they used themselves (HTML's `_charset_`).
// Without the field the text is UTF-8, as our links are. Percent escapes are read as bytes in either
// case of hex (ELinks writes %e4), and the bytes are decoded only once the charset is known.
import type { FastifyRequest } from 'fastify';
import { decodeBytes } from './charsets.js';

export const CHARSET_FIELD = '_charset_';

/** Marks a parsed form whose bytes were not all valid in its charset (they became U+FFFD). */
export const REPLACED = Symbol('replaced characters');

export type FormFields = Record<string, string | string[]> & { [REPLACED]?: true };

const HEX = /^[0-9a-fA-F]{2}$/;

/** The bytes a percent-escaped string stands for; characters sent unescaped stand for their UTF-8 bytes. */
function percentBytes(escaped: string): Buffer {
  if (!escaped.includes('%') && !/[^\u0000-\u007f]/.test(escaped)) return Buffer.from(escaped, 'latin1');
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(escaped, 'utf8'));
  let length = 0;
  for (let at = 0; at < escaped.length;) {
    const pair = escaped.slice(at + 1, at + 3);
    if (escaped[at] === '%' && HEX.test(pair)) {
      bytes[length++] = Number.parseInt(pair, 16);
      at += 3;
    } else {
      const character = String.fromCodePoint(escaped.codePointAt(at)!);
      length += bytes.write(character, length, 'utf8');
      at += character.length;
    }
  }
  return bytes.subarray(0, length);
}

/** Name/value pairs in order, still escaped, `+` (a space) as %20 so that only escapes remain. */
function escapedPairs(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const name = equals === -1 ? piece : piece.slice(0, equals);
    const value = equals === -1 ? '' : piece.slice(equals + 1);
    pairs.push([name.replace(/\+/g, '%20'), value.replace(/\+/g, '%20')]);
  }
  return pairs;
}

/**
 * The fields of url-encoded text: one string per name, or an array when the name came more than once
 * (checkboxes). The charset field itself is left out; bytes invalid in the charset mark the result REPLACED.
 */
export function parseUrlEncoded(text: string): FormFields {
  const fields = Object.create(null) as FormFields;
  if (text === '') return fields;
  const pairs = escapedPairs(text);
  const declared = pairs.find(([name]) => name === CHARSET_FIELD)?.[1];
  const charset = declared === undefined ? 'utf-8' : percentBytes(declared).toString('latin1');
  for (const [escapedName, escapedValue] of pairs) {
    if (escapedName === CHARSET_FIELD) continue;
    const name = decodeBytes(percentBytes(escapedName), charset);
    const value = decodeBytes(percentBytes(escapedValue), charset);
    if (name.replaced || value.replaced) fields[REPLACED] = true;
    const before = fields[name.text];
    if (before === undefined) fields[name.text] = value.text;
    else if (Array.isArray(before)) before.push(value.text);
    else fields[name.text] = [before, value.text];
  }
  return fields;
}

/** Whether the form or query this request sent had bytes its charset could not read. */
export function sentReplacedCharacters(request: FastifyRequest): boolean {
  const marked = (fields: unknown) => !!fields && typeof fields === 'object' && (fields as FormFields)[REPLACED] === true;
  return marked(request.body) || marked(request.query);
}
