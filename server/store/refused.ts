// A write the store refuses for a reason the person can act on (a full list, a stale reference, the
// last admin). It names its reason as a catalogue message, which the page puts into the reader's words;
// the error's own message is English, for the API and the logs.
import { translator, type MessageRef } from '../i18n/messages.js';

export class Refused extends Error {
  constructor(readonly words: MessageRef) {
    super(translator('en').t(words.key, words.values));
  }
}

/** A request that would go past one of the limits in limits.ts: 413 when it carries too much at once, 422 when the place is full. */
export class OverLimitError extends Refused {
  override name = 'OverLimitError';
  constructor(words: MessageRef, readonly status: 413 | 422) {
    super(words);
  }
}
