/** Times are stored as ISO 8601 UTC strings, as WeKan exports them; they sort as text. */
export function now(): string {
  return new Date().toISOString();
}
