// The store's refusals (a stale or foreign reference, a full list, a membership rule) and the HTTP
// status each one means. Routes re-render their form with the message; anything else is a bug (500).
import { InvalidTargetError, WipLimitError } from '../store/cards.js';
import { MembershipError } from '../store/members.js';
import { OverLimitError } from '../store/refused.js';
import type { MessageRef } from '../i18n/messages.js';

export interface Refusal {
  status: number;
  /** Why, as a catalogue message: the page says it in the reader's language. */
  message: MessageRef;
}

export function refusal(error: unknown): Refusal | undefined {
  if (error instanceof InvalidTargetError) return { status: 422, message: error.words };
  if (error instanceof WipLimitError) return { status: 409, message: error.words };
  if (error instanceof MembershipError || error instanceof OverLimitError) return { status: error.status, message: error.words };
  return undefined;
}

/**
 * Runs a store write for a form: answers the store's refusal of it (the route shows its form again with
 * the reason and status), or undefined when it was done. Anything else is thrown: a bug, a 500.
 */
export async function refusalOf(write: () => Promise<unknown>): Promise<Refusal | undefined> {
  try {
    await write();
    return undefined;
  } catch (error) {
    const refused = refusal(error);
    if (!refused) throw error;
    return refused;
  }
}
