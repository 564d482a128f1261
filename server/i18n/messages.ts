// The interface in the user's language (Step 11): one message catalogue per language
// (server/i18n/<code>.json, keys grouped by page), ICU messages with placeholders and plural forms
// formatted by intl-messageformat. A key a language lacks is taken from English; a key English lacks
// is a mistake in the code, and throws, so the tests that render every page find it (in production it
// shows as the key instead, and is logged).
import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { cataloguesDir } from '../paths.js';
import { escapeHtml } from '../web/escape.js';

/** The languages Wami speaks, by their own names (as a language list shows them). */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
  { code: 'fi', name: 'Suomi' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];
export const LANGUAGE_CODES: readonly Language[] = LANGUAGES.map((language) => language.code);
export const FALLBACK: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGE_CODES as readonly string[]).includes(value);
}

/** Values put into a message's {placeholders}; a message among them is put into words first. */
export type MessageValues = Record<string, string | number | Date | MessageRef>;

export interface Translator {
  language: Language;
  /** The message `key` ("page.name") in this language, with `values` put in: text, for Eta to escape. */
  t(key: string, values?: MessageValues): string;
  /**
   * The message as HTML: its text escaped, and each of `markup` (a link, an entity) put in as it is, so a
   * sentence with a link inside keeps each language's word order. For `<%~ %>`.
   */
  html(key: string, markup: Record<string, string>, values?: MessageValues): string;
}

/** Stands for a piece of markup while the message around it is formatted and escaped. */
const MARK = '\u0001';

/** A message named where it arises (an error deep in a route) and put into words where the page is made. */
export interface MessageRef {
  key: string;
  values?: MessageValues;
}

/** Text already in words (English, not yet in a catalogue), or a message to put into words. */
export type Localized = string | MessageRef;

function isMessageRef(value: unknown): value is MessageRef {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && typeof (value as MessageRef).key === 'string';
}

export function message(key: string, values?: MessageValues): MessageRef {
  return { key, values };
}

/** The text in the translator's language. */
export function inWords(text: Localized, translator: Translator): string {
  return typeof text === 'string' ? text : translator.t(text.key, text.values);
}

type Catalogue = Map<string, string>;

/** "signIn": { "title": "…" } becomes "signIn.title". */
function flatten(tree: Record<string, unknown>, prefix = '', into: Catalogue = new Map()): Catalogue {
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'string') into.set(key, value);
    else if (value && typeof value === 'object') flatten(value as Record<string, unknown>, key, into);
    else throw new Error(`${key}: a message is a string`);
  }
  return into;
}

/** The catalogues of every language, read from a folder of <code>.json files, and their parsed messages. */
export class Catalogues {
  private readonly byLanguage: Map<Language, Catalogue>;
  // parsed once, on first use, per language; most messages have no placeholder and are used as they are
  private readonly compiled = new Map<string, IntlMessageFormat | string>();
  private readonly translators = new Map<Language, Translator>();

  /** `lenient`: a key English lacks shows as itself (logged once) instead of throwing. */
  constructor(dir: string, private readonly lenient = false) {
    this.byLanguage = new Map(LANGUAGE_CODES.map((code) => [code, Catalogues.read(dir, code)]));
  }

  private static read(dir: string, language: Language): Catalogue {
    const file = path.join(dir, `${language}.json`);
    return fs.existsSync(file) ? flatten(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : new Map();
  }

  private own(language: Language): Catalogue {
    return this.byLanguage.get(language)!;
  }

  /** Every key, as English has them. */
  keys(): string[] {
    return [...this.own(FALLBACK).keys()];
  }

  /** A message as the catalogue of `language` writes it (undefined: it has none). */
  text(language: Language, key: string): string | undefined {
    return this.own(language).get(key);
  }

  /** The keys English has and `language` lacks: shown in English until someone translates them. */
  missingKeys(language: Language): string[] {
    return this.keys().filter((key) => !this.own(language).has(key));
  }

  /** The keys `language` has that English does not: left behind when a message was renamed or removed. */
  strayKeys(language: Language): string[] {
    return [...this.own(language).keys()].filter((key) => !this.own(FALLBACK).has(key));
  }

  private compile(language: Language, key: string): IntlMessageFormat | string {
    const cacheKey = `${language}\u0000${key}`;
    let message = this.compiled.get(cacheKey);
    if (message === undefined) {
      const own = this.text(language, key);
      const text = own ?? this.text(FALLBACK, key);
      if (text === undefined) {
        // a mistake in the code: the tests fail on it; a production server shows the key rather than a 500
        if (!this.lenient) throw new Error(`no message "${key}" in the English catalogue`);
        console.error(`wami: no message "${key}" in the English catalogue`);
        this.compiled.set(cacheKey, key);
        return key;
      }
      // an English fallback is formatted by English rules (plurals), the rest of the page by the page's
      message = /[{}']/.test(text) ? new IntlMessageFormat(text, own === undefined ? FALLBACK : language) : text;
      this.compiled.set(cacheKey, message);
    }
    return message;
  }

  translator(language: Language): Translator {
    let found = this.translators.get(language);
    if (!found) {
      const t = (key: string, values?: MessageValues): string => {
        const message = this.compile(language, key);
        if (typeof message === 'string') return message;
        const words = values && Object.fromEntries(Object.entries(values).map(([name, value]) =>
          [name, isMessageRef(value) ? t(value.key, value.values) : value]));
        return String(message.format(words));
      };
      const html = (key: string, markup: Record<string, string>, values?: MessageValues): string => {
        const names = Object.keys(markup);
        const marked = Object.fromEntries(names.map((name, i) => [name, `${MARK}${i}${MARK}`]));
        return escapeHtml(t(key, { ...values, ...marked }))
          .replace(new RegExp(`${MARK}(\\d+)${MARK}`, 'g'), (_, i: string) => markup[names[Number(i)]!]!);
      };
      found = { language, t, html };
      this.translators.set(language, found);
    }
    return found;
  }
}

/** Wami's own catalogues, server/i18n/*.json; lenient in production (NODE_ENV=production, as deploy/wami.service sets). */
export const catalogues = new Catalogues(cataloguesDir, process.env.NODE_ENV === 'production');

export function translator(language: Language): Translator {
  return catalogues.translator(language);
}
