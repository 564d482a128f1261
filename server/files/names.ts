// What a file is called and what it is, as browsers send it and as downloads declare it.
import contentDisposition from 'content-disposition';
import mime from 'mime';

/** Longest name kept (bytes are what file systems limit; 200 characters stay under 255 bytes mostly). */
const MAX_NAME = 200;

/**
 * The file name a browser sent, read right and cut to its last path element. Browsers put the name's
 * bytes in the multipart header raw; the parser hands them over as latin1 (one character per byte), so
 * they are read as UTF-8 when they are valid UTF-8 and as windows-1252 otherwise (a page served in a
 * Latin charset, Step 6). Lynx sends the whole local path (/home/u/x.pdf), Amiga browsers
 * Volume:dir/x.pdf, Windows ones C:\dir\x.pdf: only the part after the last / \ or : is the name.
 */
export function receivedName(raw: string): string {
  const bytes = Buffer.from(raw, 'latin1');
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    decoded = new TextDecoder('windows-1252').decode(bytes);
  }
  return cleanName(decoded.split(/[/\\:]/).pop() ?? '');
}

/** A name fit to show and to send in headers: no control characters, no path, not empty, not too long. */
export function cleanName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim().slice(0, MAX_NAME).trim();
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}

/**
 * The type to store: from the name's extension when it is known (old browsers label every file
 * text/plain or application/octet-stream), else what the browser said, else octet-stream.
 */
export function typeOf(name: string, sent: string | undefined): string {
  const byName = mime.getType(name);
  if (byName) return byName;
  return sent && MEDIA_TYPE.test(sent) ? sent.toLowerCase() : 'application/octet-stream';
}

/** type/subtype and nothing else: no parameters, no blanks, nothing a header line could be broken with. */
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

/** The type a download declares: the stored one, or octet-stream for one stored before imports were checked. */
export function servedType(stored: string): string {
  return MEDIA_TYPE.test(stored) ? stored : 'application/octet-stream';
}

/** Types a browser may show in its own window. Not SVG or HTML: they can carry scripts. */
const INLINE_TYPES = new Set(['application/pdf', 'image/gif', 'image/jpeg', 'image/png', 'image/webp', 'image/bmp']);

/** Types we measure and may show as a card cover on the board. */
export const COVER_TYPES = new Set(['image/gif', 'image/jpeg', 'image/png', 'image/webp', 'image/bmp']);

/**
 * Content-Disposition for a download: inline for PDFs and images, attachment otherwise, with an ASCII
 * `filename=` that every browser reads ("Jäätelö.pdf" as "Jaatelo.pdf") and the real name as RFC 5987
 * `filename*` for those that can (the `content-disposition` package writes both).
 */
export function dispositionOf(name: string, type: string): string {
  const ascii = name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_').trim() || 'file';
  return contentDisposition(name, { type: INLINE_TYPES.has(type) ? 'inline' : 'attachment', fallback: ascii });
}
