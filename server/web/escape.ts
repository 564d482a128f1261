// HTML escaping for text put into a page outside Eta's own escaping (slot values, markup around a
// message), with the same named entities Eta writes: &amp; &lt; &gt; &quot; &#39;.
const SPECIALS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => SPECIALS[c]!);
}
