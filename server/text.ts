// Text as every way out can carry it.

const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** The text with each lone surrogate (half a UTF-16 pair: JSON's "\ud800" makes one; UTF-8 cannot carry it) as U+FFFD. */
export function wellFormed(text: string): string {
  return LONE_SURROGATE.test(text) ? text.replace(/[\ud800-\udfff]/gu, '\ufffd') : text;
}

/** Whether JSON text escapes a surrogate (`\ud83d`), the only way a parsed value can hold a lone one. */
export const escapesSurrogates = (json: string): boolean => /\\u[dD][89a-fA-F]/.test(json);

/**
 * A parsed JSON value with every string in it, keys too, made well-formed (in place). Walked with a
 * stack of its own, so a deeply nested document cannot overflow the call stack.
 */
export function withWellFormedStrings(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (value === null || typeof value !== 'object') return value;
  const pending: Record<string, unknown>[] = [value as Record<string, unknown>];
  while (pending.length) {
    const node = pending.pop()!;
    for (const key of Object.keys(node)) {
      let item = node[key];
      if (typeof item === 'string') item = node[key] = wellFormed(item);
      else if (item !== null && typeof item === 'object') pending.push(item as Record<string, unknown>);
      const fixed = wellFormed(key);
      if (fixed !== key) {
        delete node[key];
        node[fixed] = item;
      }
    }
  }
  return value;
}
