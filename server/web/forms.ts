// Reading url-encoded form bodies: one value or several per name, always strings.
import type { FastifyRequest } from 'fastify';
import { fieldValues } from '../limits.js';

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
