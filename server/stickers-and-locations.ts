// A card's stickers and locations (WeKan 11's card fields, first brought in by its Trello import): set
// whole through the API, shown in words on the card page, carried by exports and imports. Checked here
// for the API (a refusal names what is wrong) and read leniently from exports (what cannot be read is left out).
import { message, type Localized } from './i18n/messages.js';
import { newId } from './ids.js';

export interface Sticker {
  /** A FontAwesome icon name (without "fa-"), which Wami names and does not draw. */
  icon: string;
  name: string;
  highlight?: 'underline' | 'round';
  position: number;
}

export interface CardLocation {
  _id: string;
  name: string;
  address: string;
  latitude?: number;
  longitude?: number;
}

export const MAX_STICKERS = 50;
export const MAX_LOCATIONS = 20;

type Checked<T> = { ok: true; value: T } | { ok: false; error: Localized };

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown, max: number): string | null => (value === undefined || value === null ? '' : typeof value === 'string' && [...value].length <= max ? value : null);

function sticker(raw: unknown, at: number): Sticker | null {
  if (!isObject(raw)) return null;
  const icon = text(raw.icon, 40);
  const name = text(raw.name, 200);
  if (icon === null || !/^[a-z0-9-]*$/.test(icon) || name === null) return null;
  if (raw.highlight !== undefined && raw.highlight !== 'underline' && raw.highlight !== 'round') return null;
  const position = raw.position === undefined ? at : Number(raw.position);
  if (!Number.isFinite(position)) return null;
  return { icon, name, ...(raw.highlight ? { highlight: raw.highlight as Sticker['highlight'] } : {}), position };
}

function coordinate(raw: unknown, limit: number): number | undefined | null {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && Math.abs(value) <= limit ? value : null;
}

function location(raw: unknown): CardLocation | null {
  if (!isObject(raw)) return null;
  const name = text(raw.name, 200);
  const address = text(raw.address, 500);
  const latitude = coordinate(raw.latitude, 90);
  const longitude = coordinate(raw.longitude, 180);
  const id = typeof raw._id === 'string' && /^[\w-]{1,40}$/.test(raw._id) ? raw._id : newId();
  if (name === null || address === null || latitude === null || longitude === null) return null;
  return { _id: id, name, address, ...(latitude !== undefined ? { latitude } : {}), ...(longitude !== undefined ? { longitude } : {}) };
}

function all<T>(value: unknown, max: number, read: (raw: unknown, at: number) => T | null, what: string): Checked<T[]> {
  if (!Array.isArray(value) || value.length > max) return { ok: false, error: message('api.cardExtrasList', { what, max }) };
  const entries = value.map(read);
  const bad = entries.findIndex((entry) => entry === null);
  if (bad >= 0) return { ok: false, error: message(`api.${what}Entry`, { index: bad }) };
  return { ok: true, value: entries as T[] };
}

/** WeKan's `stickers`: a list of {icon, name?, highlight?, position?}. */
export const checkStickers = (value: unknown): Checked<Sticker[]> => all(value, MAX_STICKERS, sticker, 'stickers');

/** WeKan's `locations`: a list of {name?, address?, latitude?, longitude?} (an _id is made where missing). */
export const checkLocations = (value: unknown): Checked<CardLocation[]> => all(value, MAX_LOCATIONS, location, 'locations');

/** The entries of an export (or a stored column) that read as stickers or locations; the rest left out. */
export function readStickers(value: unknown): Sticker[] {
  return (Array.isArray(value) ? value : []).slice(0, MAX_STICKERS).map(sticker).filter((s): s is Sticker => s !== null);
}

export function readLocations(value: unknown): CardLocation[] {
  return (Array.isArray(value) ? value : []).slice(0, MAX_LOCATIONS).map(location).filter((l): l is CardLocation => l !== null);
}

/** A stored JSON column as a value (a column that does not parse is empty). */
export function parsedColumn(stored: string | null | undefined): unknown {
  try {
    return JSON.parse(stored || '[]') as unknown;
  } catch {
    return [];
  }
}
