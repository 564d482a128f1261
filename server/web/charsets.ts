// The character sets pages are served in (Step 6): UTF-8, and for browsers without it (AWeb, older
// IBrowse) ISO-8859-1 or windows-1252. A page in a Latin charset carries every character it cannot hold
// as a numeric reference (&#8364;), which every HTML browser reads whatever its charset. iconv-lite does
// the encoding and decoding; this module only decides which characters need references.
import iconv from 'iconv-lite';

export const CHARSETS = ['utf-8', 'iso-8859-1', 'windows-1252'] as const;
export type Charset = (typeof CHARSETS)[number];

/** The names browsers and people use for them, lower-case. */
const NAMES = new Map<string, Charset>([
  ['utf-8', 'utf-8'], ['utf8', 'utf-8'],
  ['iso-8859-1', 'iso-8859-1'], ['iso8859-1', 'iso-8859-1'], ['latin1', 'iso-8859-1'], ['latin-1', 'iso-8859-1'],
  ['windows-1252', 'windows-1252'], ['cp1252', 'windows-1252'],
]);

export function charsetNamed(name: unknown): Charset | null {
  return typeof name === 'string' ? NAMES.get(name.trim().toLowerCase()) ?? null : null;
}

/** The characters beyond ASCII that each Latin charset holds (C1 controls left out: not text). */
function heldBeyondAscii(charset: Charset, from: number): Set<number> {
  const bytes = Buffer.from(Array.from({ length: 256 - from }, (_, i) => from + i));
  const chars = [...iconv.decode(bytes, charset)].map((c) => c.codePointAt(0)!);
  return new Set(chars.filter((c) => c !== 0xfffd && (c < 0x80 || c > 0x9f)));
}

const HELD: Record<Exclude<Charset, 'utf-8'>, Set<number>> = {
  'iso-8859-1': heldBeyondAscii('iso-8859-1', 0xa0),
  'windows-1252': heldBeyondAscii('windows-1252', 0x80),
};

const NON_ASCII = /[^\u0000-\u007f]/gu;

/** The text as bytes in the charset, characters it lacks written as numeric references. */
export function encodeText(text: string, charset: Charset): Buffer {
  if (charset === 'utf-8') return Buffer.from(text, 'utf8');
  const held = HELD[charset];
  const safe = text.replace(NON_ASCII, (c) => (held.has(c.codePointAt(0)!) ? c : `&#${c.codePointAt(0)};`));
  return iconv.encode(safe, charset);
}

export interface DecodedText {
  text: string;
  /** Some bytes were not valid in the charset and became U+FFFD. */
  replaced: boolean;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * Bytes a browser sent from a page served in `charset` (a name it gave, possibly one we never serve).
 * A page labelled ISO-8859-1 is read as windows-1252: browsers encode forms on such pages in
 * windows-1252 (so "€" arrives as 0x80), and the bytes 0x80-0x9F mean nothing else in a form.
 * Characters a Latin page's charset lacks arrive, from browsers that do it, as numeric references
 * ("&#937;"), which become the characters again; UTF-8 pages need no such help.
 */
export function decodeBytes(bytes: Buffer, charsetName: string): DecodedText {
  const charset = charsetNamed(charsetName);
  if (charset === 'utf-8' || (charset === null && !iconv.encodingExists(charsetName))) {
    try {
      return { text: strictUtf8.decode(bytes), replaced: false };
    } catch {
      return { text: lenientUtf8.decode(bytes), replaced: true };
    }
  }
  const text = iconv.decode(bytes, charset === 'iso-8859-1' ? 'windows-1252' : charset ?? charsetName);
  return { text: withReferencesRead(text), replaced: text.includes('\ufffd') };
}

const REFERENCE = /&#(?:([0-9]{1,7})|[xX]([0-9a-fA-F]{1,6}));/g;

function withReferencesRead(text: string): string {
  if (!text.includes('&#')) return text;
  return text.replace(REFERENCE, (whole, decimal: string | undefined, hex: string | undefined) => {
    const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
    const isCharacter = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return isCharacter ? String.fromCodePoint(code) : whole;
  });
}
