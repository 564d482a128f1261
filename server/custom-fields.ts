// WeKan's custom fields: the types, their settings, and what a value of each type may be. Values come
// as JSON from the API (a number, a boolean, a list…) or as text from a page's form; both are checked
// here into the one JSON value stored, and shown back in words.
import { MAX } from './limits.js';
import { message, type MessageValues } from './i18n/messages.js';
import { readDateText } from './dates.js';
import type { Formatter } from './web/format.js';
import type { Checked } from './validation.js';

export const FIELD_TYPES = ['text', 'number', 'date', 'dropdown', 'checkbox', 'currency', 'stringtemplate'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export function isFieldType(value: string): value is FieldType {
  return (FIELD_TYPES as readonly string[]).includes(value);
}

export interface DropdownItem { _id: string; name: string }

/** WeKan's settings object; each type reads its own keys. */
export interface FieldSettings {
  currencyCode?: string;
  dropdownItems?: DropdownItem[];
  stringtemplateFormat?: string;
  stringtemplateSeparator?: string;
}

export interface CustomField {
  id: string;
  boardId: string;
  name: string;
  type: FieldType;
  settings: FieldSettings;
  showOnCard: boolean;
  automaticallyOnCard: boolean;
  alwaysOnCard: boolean;
  showLabelOnMiniCard: boolean;
  showSumAtTopOfList: boolean;
  sort: number;
}

/** A stored value: what the JSON of each type holds. */
export type FieldValue = string | number | boolean | string[];

const TEXT_LIMIT = 1000;

/** The settings a client sent, kept to the keys WeKan has and the shapes they take. */
export function cleanSettings(type: FieldType, raw: unknown): FieldSettings {
  const given = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const settings: FieldSettings = {};
  if (type === 'currency') settings.currencyCode = typeof given.currencyCode === 'string' && /^[A-Za-z]{3}$/.test(given.currencyCode) ? given.currencyCode.toUpperCase() : 'EUR';
  if (type === 'dropdown') {
    settings.dropdownItems = Array.isArray(given.dropdownItems)
      ? given.dropdownItems.filter((i): i is DropdownItem => !!i && typeof i === 'object' && typeof (i as DropdownItem)._id === 'string' && typeof (i as DropdownItem).name === 'string')
        .map((i) => ({ _id: i._id, name: i.name })).slice(0, MAX.choicesPerField) // an export's beyond the limit are left out
      : [];
  }
  if (type === 'stringtemplate') {
    settings.stringtemplateFormat = typeof given.stringtemplateFormat === 'string' && given.stringtemplateFormat.includes('${}') ? given.stringtemplateFormat : '${}';
    settings.stringtemplateSeparator = typeof given.stringtemplateSeparator === 'string' ? given.stringtemplateSeparator : ', ';
  }
  return settings;
}

/**
 * A value for the field, or null to clear it ("" or null or nothing); an error says what is expected.
 * Dates without a zone are read in `timeZone`.
 */
export function checkFieldValue(field: Pick<CustomField, 'name' | 'type' | 'settings'>, raw: unknown, timeZone: string): Checked<FieldValue | null> {
  if (raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) return { ok: true, value: null };
  const bad = (key: string, values: MessageValues = {}): Checked<never> =>
    ({ ok: false, error: message(`fieldValues.${key}`, { ...values, field: field.name }) });
  switch (field.type) {
    case 'text': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return bad('sendText');
      const text = String(raw).trim();
      return [...text].length > TEXT_LIMIT ? bad('tooLong', { max: TEXT_LIMIT }) : { ok: true, value: text || null } as Checked<FieldValue | null>;
    }
    case 'number':
    case 'currency': {
      const number = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim().replace(/\s/g, '').replace(',', '.')) : NaN;
      return Number.isFinite(number) ? { ok: true, value: number } : bad('notANumber', { typed: String(raw) });
    }
    case 'date': {
      if (typeof raw !== 'string') return bad('sendDate');
      const read = readDateText(raw, timeZone, '00:00');
      if (!read.ok) return bad('notADate', { typed: raw });
      return { ok: true, value: read.value };
    }
    case 'dropdown': {
      const items = field.settings.dropdownItems ?? [];
      const item = items.find((i) => i._id === raw) ?? items.find((i) => i.name === raw);
      return item ? { ok: true, value: item._id } : bad('notAChoice', { typed: String(raw) });
    }
    case 'checkbox':
      if (raw === true || raw === 'true' || raw === 'on' || raw === '1') return { ok: true, value: true };
      if (raw === false || raw === 'false' || raw === 'off' || raw === '0') return { ok: true, value: false };
      return bad('sendBoolean');
    case 'stringtemplate': {
      const parts = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/\r?\n/) : [raw])
        .filter((p): p is string => typeof p === 'string').map((p) => p.trim()).filter(Boolean);
      if (parts.some((p) => [...p].length > TEXT_LIMIT)) return bad('entryTooLong', { max: TEXT_LIMIT });
      return { ok: true, value: parts.length ? parts : null };
    }
  }
}

/** The value in words, as the card and the board show it. */
export function fieldValueText(field: CustomField, value: FieldValue, format: Formatter): string {
  switch (field.type) {
    case 'date': return format.dateTime(String(value));
    case 'checkbox': return value === true ? 'yes' : 'no';
    case 'dropdown': return field.settings.dropdownItems?.find((i) => i._id === value)?.name ?? '';
    case 'currency': {
      const code = field.settings.currencyCode ?? 'EUR';
      try {
        return new Intl.NumberFormat('en', { style: 'currency', currency: code }).format(Number(value));
      } catch {
        return `${code} ${String(value)}`;
      }
    }
    case 'stringtemplate': {
      const template = field.settings.stringtemplateFormat ?? '${}';
      const parts = Array.isArray(value) ? value : [String(value)];
      return parts.map((p) => template.split('${}').join(p)).join(field.settings.stringtemplateSeparator ?? ', ');
    }
    default: return String(value);
  }
}

/** What a page's form box shows for editing the value. */
export function fieldValueInput(field: CustomField, value: FieldValue | undefined, format: Formatter): string {
  if (value === undefined) return '';
  if (field.type === 'date') return format.dateTime(String(value));
  if (field.type === 'stringtemplate') return Array.isArray(value) ? value.join('\n') : String(value);
  return String(value);
}
