// Reading API bodies as WeKan clients send them: JSON or form-encoded, where form values are strings,
// "true"/"false" mean booleans, a single string means a one-element list and "" an empty one.
import { message } from '../i18n/messages.js';
import type { FastifyRequest } from 'fastify';
import { fieldValues } from '../limits.js';
import { ApiError } from './scope.js';

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

export function has(request: FastifyRequest, name: string): boolean {
  return Object.hasOwn(bodyOf(request), name);
}

/** A field as a string ('' when absent or not text). */
export function field(request: FastifyRequest, name: string): string {
  const value = bodyOf(request)[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** A list field: an array, one string, or "" for none. */
export function listField(request: FastifyRequest, name: string): string[] {
  const value = bodyOf(request)[name];
  const all = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return fieldValues(all.filter((v): v is string => typeof v === 'string' && v !== ''));
}

export function booleanField(request: FastifyRequest, name: string): boolean {
  const value = bodyOf(request)[name];
  return value === true || value === 'true';
}

/** A date field: an ISO date kept as an ISO instant; "" or null clears it (null); absent stays undefined. */
export function dateField(request: FastifyRequest, name: string): string | null | undefined {
  if (!has(request, name)) return undefined;
  const value = bodyOf(request)[name];
  if (value === null || value === '') return null;
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) throw new ApiError(422, 'invalid-date', message('api.notADate', { name }));
  return new Date(time).toISOString();
}

/** A field WeKan takes as an object or a list, which form-encoded clients send as JSON text. */
export function jsonField(request: FastifyRequest, name: string): unknown {
  const value = bodyOf(request)[name];
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new ApiError(400, 'bad-request', message('api.notJson', { name }));
  }
}
