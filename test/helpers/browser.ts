// A minimal browser over fastify's inject: keeps cookies, follows 303s, and submits the forms it
// finds on pages (hidden fields such as the CSRF token included), as a person with a browser would.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import * as cheerio from 'cheerio';
import iconv from 'iconv-lite';
import { multipart, type FilePart, type MultipartStyle } from './multipart.js';

export interface Page {
  status: number;
  headers: LightMyRequestResponse['headers'];
  body: string;
  url: string;
  $: cheerio.CheerioAPI;
  /** The page's text as a reader sees it, blanks folded. */
  text: string;
  /** The charset the page came in (its forms are sent back in it, as browsers do). */
  charset: string;
}

export type Fields = Record<string, string | string[]>;

export class Browser {
  readonly cookies = new Map<string, string>();
  /** Sent with every request when set (HTTP Basic auth). */
  authorization: string | undefined;

  constructor(
    private readonly app: FastifyInstance,
    readonly acceptsCookies = true,
  ) {}

  /** The Cookie header this browser sends, for requests made by hand. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, follow = true): Promise<Page> {
    return this.request('GET', url, undefined, follow);
  }

  async post(url: string, fields: Fields, follow = true, charset = 'utf-8'): Promise<Page> {
    return this.request('POST', url, encode(fields, charset), follow);
  }

  /**
   * Submits the upload form on the page whose action ends with `action`: its fields (the CSRF token,
   * text boxes and selects as they stand) first, in page order, then the files, as multipart/form-data in the given browser's style.
   */
  async upload(page: Page, action: string, files: FilePart[], style: MultipartStyle = {}, follow = true): Promise<Page> {
    const form = page.$('form').filter((_, el) => (page.$(el).attr('action') ?? '').endsWith(action)).first();
    if (form.length === 0) throw new Error(`no form with action ${action} on ${page.url}`);
    if (form.attr('enctype') !== 'multipart/form-data') throw new Error(`the form ${action} is not an upload form`);
    const fields: [string, string][] = form.find('input[type=hidden], input[type=text], select').toArray().map((el) => {
      const field = page.$(el);
      const value = el.tagName === 'select'
        ? (field.find('option[selected]').first().attr('value') ?? field.find('option').first().attr('value') ?? '')
        : (field.attr('value') ?? '');
      return [field.attr('name') ?? '', value];
    });
    const { body, contentType } = multipart(fields, files, style);
    return this.request('POST', form.attr('action')!, body, follow, contentType);
  }

  /**
   * Fills in and submits the form on the page whose action ends with `action` (or, when `action` starts
   * with "form", the form that CSS selector finds), by its method,
   * keeping its hidden fields, ticked boxes and selected options unless `fields` says otherwise.
   * `button` names the submit button pressed.
   */
  async submit(page: Page, action: string, fields: Fields = {}, button?: string, follow = true): Promise<Page> {
    const { form, values } = formValues(page, action, fields, button);
    if ((form.attr('method') ?? 'get').toLowerCase() === 'get') {
      return this.get(`${form.attr('action')}?${encode({ ...values, ...fields }, page.charset)}`, follow);
    }
    return this.post(form.attr('action')!, { ...values, ...fields }, follow, page.charset);
  }


  private async request(method: 'GET' | 'POST', url: string, payload: string | Buffer | undefined, follow: boolean,
    contentType = 'application/x-www-form-urlencoded'): Promise<Page> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    if (this.authorization) headers.authorization = this.authorization;
    if (payload !== undefined) headers['content-type'] = contentType;
    const response = await this.app.inject({ method, url, payload, headers });
    this.keepCookies(response);
    const location = response.headers.location;
    if (follow && location && [301, 302, 303].includes(response.statusCode)) {
      const next = new URL(String(location), 'http://localhost');
      return this.get(next.pathname + next.search, true);
    }
    const charset = /charset=([^;\s]+)/i.exec(String(response.headers['content-type'] ?? ''))?.[1] ?? 'utf-8';
    const body = charset.toLowerCase() === 'utf-8' ? response.body : iconv.decode(response.rawPayload, charset);
    const $ = cheerio.load(body);
    return {
      status: response.statusCode,
      headers: response.headers,
      body,
      charset,
      url,
      $,
      // a space between elements, as a reader sees table cells apart
      text: cheerio.load(body.replace(/</g, ' <'))('body').text().replace(/\s+/g, ' ').trim(),
    };
  }

  private keepCookies(response: LightMyRequestResponse): void {
    if (!this.acceptsCookies) return;
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date }[]) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now())) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }
}

/**
 * The fields url-encoded as a browser sends them from a page in `charset`: a character the charset
 * lacks goes as a numeric reference (&#8364;), as modern browsers do.
 */
export function encode(fields: Fields, charset = 'utf-8'): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) pairs.push(`${escapeIn(name, charset)}=${escapeIn(v, charset)}`);
  }
  return pairs.join('&');
}

function escapeIn(text: string, charset: string): string {
  const bytes = charset.toLowerCase() === 'utf-8' ? Buffer.from(text, 'utf8') : Buffer.concat([...text].map((c) => {
    const encoded = iconv.encode(c, charset);
    return iconv.decode(encoded, charset) === c ? encoded : Buffer.from(`&#${c.codePointAt(0)};`);
  }));
  return [...bytes].map((b) => (b === 0x20 ? '+' : /[A-Za-z0-9*\-._]/.test(String.fromCharCode(b))
    ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** Signs up a new account through the real form and returns its signed-in browser. */
export async function signUp(app: FastifyInstance, username: string, password = 'correct horse battery'): Promise<Browser> {
  const browser = new Browser(app);
  const form = await browser.get('/sign-up');
  const page = await browser.submit(form, '/sign-up', {
    username, email: `${username.toLowerCase().replace(/[^\w.+-]/g, '-')}@example.org`, password, password2: password,
  });
  if (page.status !== 200 || !page.text.includes(`Signed in as ${username}`)) {
    throw new Error(`sign-up of ${username} failed: ${page.status} ${page.text.slice(0, 300)}`);
  }
  return browser;
}

/** Creates a board through the all-boards page and returns its page. */
export async function createBoard(browser: Browser, title: string): Promise<Page> {
  return browser.submit(await browser.get('/'), '/boards', { title });
}

/** The board's URL path (/b/:id/:slug) from any page of the board (its breadcrumb links to it). */
export function boardPath(page: Page): string {
  const link = page.$('p.crumbs a').eq(1).attr('href') ?? '';
  const match = /^\/b\/[A-Za-z0-9]+\/[a-z0-9-]+$/.exec(link);
  if (!match) throw new Error(`not a board page: ${page.url}`);
  return match[0];
}

/**
 * The form on the page whose action ends with `action` (or that a "form…" selector finds), and what it
 * sends as it stands: hidden fields, ticked boxes, selected options, the pressed button, except the
 * names in `fields`.
 */
export function formValues(page: Page, action: string, fields: Fields = {}, button?: string) {
  const form = (action.startsWith('form')
    ? page.$(action)
    : page.$('form').filter((_, el) => (page.$(el).attr('action') ?? '').endsWith(action))).first();
  if (form.length === 0) throw new Error(`no form with action ${action} on ${page.url}`);
  const values: Fields = {};
  const add = (name: string, value: string) => {
    const existing = values[name];
    values[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  };
  form.find('input, select, textarea').each((_, el) => {
    const field = page.$(el);
    const name = field.attr('name');
    if (!name || name in fields) return;
    const type = (field.attr('type') ?? 'text').toLowerCase();
    if (el.tagName === 'select') {
      const selected = field.find('option[selected]').first();
      add(name, (selected.length ? selected : field.find('option').first()).attr('value') ?? '');
    } else if (el.tagName === 'textarea') {
      add(name, field.text());
    } else if (type === 'checkbox' || type === 'radio') {
      if (field.attr('checked') !== undefined) add(name, field.attr('value') ?? 'on');
    } else if (type === 'submit') {
      if (name === button) add(name, field.attr('value') ?? '');
    } else {
      add(name, field.attr('value') ?? '');
    }
  });
  return { form, values };
}
