// Reading url-encoded form bodies: one value or several per name, always strings.
import type { FastifyRequest } from 'fastify';
import { message } from '../i18n/messages.js';
import { fieldValues } from '../limits.js';
import type { Placement } from '../store/cards.js';
import { HttpError } from './errors.js';

export type FormBody = Record<string, string | string[] | undefined>;

export function formBody(request: FastifyRequest): FormBody {
  const body = request.body;
  return body && typeof body === 'object' ? (body as FormBody) : {};
}

/** The field's value ('' when absent; the first one when the form sent several). */
export function text(body: FormBody, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value sent under the name (checkboxes, multiple selects), without empty ones; at most MAX.valuesPerField. */
export function texts(body: FormBody, name: string): string[] {
  const value = body[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return fieldValues(all.filter((v) => v !== ''));
}

/** A "put it" select's value as a place: "top" (or nothing), "bottom", "after:<id>"; 422 for anything else. */
export function parsePlacement(value: string): Placement {
  if (value === 'top' || value === '') return { at: 'top' };
  if (value === 'bottom') return { at: 'bottom' };
  if (value.startsWith('after:')) return { at: 'after', id: value.slice('after:'.length) };
  throw new HttpError(422, message('errors.unknownPosition'), message('errors.unknownPositionDetail'));
}
