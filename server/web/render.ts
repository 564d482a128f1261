// Renders Eta templates from views/ into full HTML 4.01 pages.
//
// A page is rendered once into a PageTemplate with slots for what differs per viewer or per moment
// (the viewer's name, CSRF token, the time, who else is here) and filled for each response. So a page
// that many people watch is rendered once per board version and shared (see page-cache.ts); the slots
// are process-secret markers that no user content can contain.
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Eta } from 'eta';
import { viewsDir } from '../paths.js';
import { LIMITS } from '../validation.js';
import { encodeText, type Charset } from './charsets.js';
import { csrfTokenFor } from './csrf.js';
import { formatterFor, type Formatter } from './format.js';
import { deflatePart, gzipMember, storedBlocks } from './gzip-parts.js';
import { pageCharset } from './page-charset.js';
import { messagesFor } from './language.js';
import { escapeHtml } from './escape.js';
import { inWords, type Localized } from '../i18n/messages.js';
import { siteSettings } from './site.js';
import { CHARSET_FIELD, sentReplacedCharacters } from './url-encoded.js';
import { urls } from './urls.js';

export type PageData = Record<string, unknown>;

const NONCE = randomBytes(8).toString('hex');
export const SLOTS = {
  user: `wami${NONCE}user`,
  csrf: `wami${NONCE}csrf`,
  time: `wami${NONCE}time`,
  here: `wami${NONCE}here`,
  notice: `wami${NONCE}notice`,
} as const;
type Slot = keyof typeof SLOTS;
const SLOT_PATTERN = new RegExp(`wami${NONCE}(user|csrf|time|here|notice)`);

/**
 * A rendered page cut at its slots: text, slot, text, slot … text. The text parts are kept as bytes in
 * the page's charset, so filling a cached page is a copy, not a fresh encoding of the whole page; for
 * browsers that accept gzip, the text parts are also kept deflated (on first use), so a gzip answer
 * costs no compression.
 */
export class PageTemplate {
  private readonly texts: Buffer[] = [];
  private readonly slots: Slot[] = [];
  private deflatedTexts: Buffer[] | null = null;

  constructor(html: string, readonly charset: Charset = 'utf-8') {
    html.split(SLOT_PATTERN).forEach((part, i) => {
      if (i % 2 === 0) this.texts.push(encodeText(part, charset));
      else this.slots.push(part as Slot);
    });
  }

  /** The last page filled (plain and gzip), and its slot values: responses with the same values share the bytes. */
  private lastValues = '';
  private lastPage: Buffer | null = null;
  private lastGzip: Buffer | null = null;

  /** Drops the remembered bytes when this response's slot values differ from the last one's. */
  private rememberValues(values: Record<Slot, string>): void {
    const key = `${values.user}\u0000${values.csrf}\u0000${values.time}\u0000${values.here}\u0000${values.notice}`;
    if (key === this.lastValues) return;
    this.lastValues = key;
    this.lastPage = null;
    this.lastGzip = null;
  }

  fill(values: Record<Slot, string>): Buffer {
    this.rememberValues(values);
    if (this.lastPage) return this.lastPage;
    const pieces: Buffer[] = [this.texts[0]!];
    this.slots.forEach((slot, i) => pieces.push(encodeText(values[slot], this.charset), this.texts[i + 1]!));
    this.lastPage = Buffer.concat(pieces);
    return this.lastPage;
  }

  /** The same page as fill(), as a gzip member (see gzip-parts.ts). */
  fillGzip(values: Record<Slot, string>): Buffer {
    this.rememberValues(values);
    if (this.lastGzip) return this.lastGzip;
    this.deflatedTexts ??= this.texts.map(deflatePart);
    const deflated: Buffer[] = [this.deflatedTexts[0]!];
    let crc = continueCrc(this.texts[0]!, 0);
    let length = this.texts[0]!.length;
    this.slots.forEach((slot, i) => {
      const bytes = encodeText(values[slot], this.charset);
      const text = this.texts[i + 1]!;
      deflated.push(...storedBlocks(bytes), this.deflatedTexts![i + 1]!);
      crc = continueCrc(text, continueCrc(bytes, crc));
      length += bytes.length + text.length;
    });
    this.lastGzip = gzipMember(deflated, crc, length);
    return this.lastGzip;
  }
}

/**
 * CRC-32 of the bytes, continuing from `crc`. An empty Buffer may have no memory behind it, and zlib's
 * crc32() given no memory answers 0 (its "initial value") instead of `crc`: so empty parts are skipped.
 */
function continueCrc(bytes: Buffer, crc: number): number {
  return bytes.length === 0 ? crc : zlib.crc32(bytes, crc);
}

declare module 'fastify' {
  interface FastifyReply {
    page(view: string, data?: PageData, status?: number): FastifyReply;
  }
}

const eta = new Eta({ views: viewsDir, cache: true, autoEscape: true, autoTrim: false });

/** Dates and numbers as this viewer reads them: their time zone (UTC for visitors), the page's language. */
export function pageFormat(request: FastifyRequest): Formatter {
  return formatterFor(request.viewer?.user.timeZone ?? 'UTC', messagesFor(request).language);
}

function common(request: FastifyRequest, charset: Charset): PageData {
  const viewer = request.viewer;
  const messages = messagesFor(request);
  return {
    /** The page's language (html lang), and its messages: it.t('page.key', { placeholder: value }). */
    lang: messages.language,
    t: messages.t,
    /** A message with markup in it (a link inside a sentence): it.html('page.key', { link: '<a …>…</a>' }), output raw. */
    html: messages.html,
    /** Escapes text put into the markup of it.html (a name inside <strong>). */
    escape: escapeHtml,
    /** Words or a catalogue message (a refusal from validation.ts) in the page's language. */
    say: (text: Localized) => inWords(text, messages),
    viewer: viewer
      ? { username: SLOTS.user, isAdmin: !!viewer.user.isAdmin, via: viewer.via, textMode: !!viewer.user.textMode }
      : null,
    csrf: viewer ? SLOTS.csrf : null,
    /** Lite pages (the profile's "lite pages"): no style sheet, no pictures, fewer layout tables. */
    lite: !!viewer?.user.textMode,
    now: SLOTS.time,
    here: SLOTS.here,
    notice: SLOTS.notice,
    charset,
    urls,
    format: pageFormat(request),
    limits: LIMITS,
    siteTitle: siteSettings(request).siteTitle,
  };
}

const LAYOUT_FIELDS = ['notice', 'csrf', 'now', 'viewer'] as const;

/** The page rendered for this viewer's kind (role, options), not yet for the viewer themself. */
export function renderTemplate(request: FastifyRequest, view: string, data: PageData): PageTemplate {
  // The layout fills these per viewer: a page's own value under the same name would replace it (and the
  // layout prints the notice raw).
  for (const name of LAYOUT_FIELDS) if (name in data) throw new Error(`the ${view} page's data may not be called ${name}: the layout's is`);
  const charset = pageCharset(request);
  return new PageTemplate(withCharsetFields(eta.render(view, { ...common(request, charset), ...data }), charset), charset);
}

/**
 * On a page in a Latin charset every form says so in a hidden field (see url-encoded.ts), added here
 * so that no form can lack it. HTML 4.01 Transitional allows an input straight inside a form.
 */
function withCharsetFields(html: string, charset: Charset): string {
  if (charset === 'utf-8') return html;
  return html.replace(/<form\b[^>]*>/g, `$&<input type="hidden" name="${CHARSET_FIELD}" value="${charset}">`);
}

/** The note shown when what the viewer just sent had bytes invalid in its charset (see seeOther). */
function noticeFor(request: FastifyRequest): string {
  const query = request.query as Record<string, unknown> | undefined;
  if (!(sentReplacedCharacters(request) || query?.replaced === '1')) return '';
  return `<p class="error">${messagesFor(request).html('live.replacedCharacters', {})}</p>`;
}

/**
 * The page filled with this response's slot values (gzip-compressed when `gzip`); `here` is the "who else
 * is watching" line, if the page has one.
 */
function fillFor(request: FastifyRequest, template: PageTemplate, here: string, gzip: boolean): Buffer {
  const viewer = request.viewer;
  const format = pageFormat(request);
  const values = {
    user: viewer ? escapeHtml(viewer.user.username) : '',
    csrf: csrfTokenFor(request) ?? '',
    time: format.now(),
    here,
    notice: noticeFor(request),
  };
  return gzip ? template.fillGzip(values) : template.fill(values);
}

/**
 * Wami runs no script at all, so none may run: an injection that slipped past escaping would be inert.
 * Images may come from anywhere (a description may show one from another site); everything else is
 * ours. Browsers that predate the header ignore it.
 */
const CONTENT_POLICY = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; "
  + "frame-ancestors 'none'; img-src * data:";

/** Sends the page filled for this response, labelled with the charset its bytes are in. */
export function sendHtml(reply: FastifyReply, template: PageTemplate, status = 200, here = '', gzip = false): FastifyReply {
  return reply.code(status)
    .type(`text/html; charset=${template.charset}`)
    .header('Cache-Control', 'private, no-cache')
    // Pages hold forms: no framing by other sites (clickjacking). No sniffing: web/nosniff.ts, for every answer.
    .header('X-Frame-Options', 'DENY')
    // Links in descriptions lead off the site: they must not carry a reset or invitation token along.
    .header('Referrer-Policy', 'same-origin')
    .header('Content-Security-Policy', CONTENT_POLICY)
    .send(fillFor(reply.request, template, here, gzip));
}

export function installRenderer(app: FastifyInstance): void {
  app.decorateReply('page', function page(this: FastifyReply, view: string, data: PageData = {}, status = 200) {
    return sendHtml(this, renderTemplate(this.request, view, data), status);
  });
}
