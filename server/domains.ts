// E-mail domains as WeKan 11's board sharing and its admin list take them: trimmed and lower-cased,
// "example.org" and never an address; letters of any script, digits and hyphens between the dots.

/** The domain as stored, or null when `typed` is not one. */
export function emailDomain(typed: string): string | null {
  const domain = typed.trim().toLowerCase();
  if (domain.length > 253 || !/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u.test(domain)) return null;
  return domain;
}

/** The domain part of an address, lower-cased; null without one. */
export function domainOf(address: string | null): string | null {
  const at = address ? address.lastIndexOf('@') : -1;
  return at < 0 ? null : address!.slice(at + 1).trim().toLowerCase() || null;
}
