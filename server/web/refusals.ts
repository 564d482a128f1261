// The store's refusals (a stale or foreign reference, a full list, a membership rule) and the HTTP
// status each one means. Routes re-render their form with the message; anything else is a bug (500).
import { InvalidTargetError, WipLimitError } from '../store/cards.js';
import { MembershipError } from '../store/members.js';

export interface Refusal {
  status: number;
  message: string;
}

export function refusal(error: unknown): Refusal | undefined {
  if (error instanceof InvalidTargetError) return { status: 422, message: error.message };
  if (error instanceof WipLimitError) return { status: 409, message: error.message };
  if (error instanceof MembershipError) return { status: error.status, message: error.message };
  return undefined;
}
