// A write the store refuses for a reason the person can act on (a full list, a stale reference, the
// last admin). It names its reason as a catalogue message, which the page puts into the reader's words;
// the error's own message is English, for the API and the logs.
import { translator, type MessageRef } from '../i18n/messages.js';

export class Refused extends Error {
  constructor(readonly words: MessageRef) {
    super(translator('en').t(words.key, words.values));
  }
}
