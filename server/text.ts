// Text as every way out can carry it.

/** The text with each lone surrogate (half a UTF-16 pair: JSON's "\ud800" makes one; UTF-8 cannot carry it) as U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udfff]/gu, '\ufffd');
}
