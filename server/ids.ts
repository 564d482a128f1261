// WeKan-style ids: Meteor's Random.id() alphabet (no look-alike characters), 17 characters for
// documents and 6 for labels, so WeKan URLs, exports and API payloads carry over unchanged.
import { randomInt } from 'node:crypto';

const UNMISTAKABLE = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

export function newId(length = 17): string {
  let id = '';
  for (let i = 0; i < length; i++) id += UNMISTAKABLE[randomInt(UNMISTAKABLE.length)];
  return id;
}

export function newLabelId(): string {
  return newId(6);
}

/** True for strings that could be an id we issued or imported (keeps junk out of queries and logs). */
export function looksLikeId(value: string): boolean {
  return /^[A-Za-z0-9]{1,40}$/.test(value);
}
