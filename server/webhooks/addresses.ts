// Webhook URLs are typed by board admins, and any account can make a board: without a check, the server
// would POST wherever they point, loopback and the LAN included (a request forgery into services that
// trust the server). Addresses in private, loopback and link-local ranges are refused unless the
// operator allows them (WAMI_WEBHOOK_PRIVATE), both for IPs in the URL and for what names resolve to
// when the request is made (so a name cannot be re-pointed after the check).
import { message, type MessageRef } from '../i18n/messages.js';
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/** The IPv4 address an IPv6 one carries in its last 32 bits: mapped, translated (RFC 6145) and NAT64 (RFC 6052). */
const CARRIES_IPV4_AT_END = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052']);

/**
 * Whether an address is anything but a public unicast one (ipaddr.js knows the special ranges: loopback,
 * private, link-local, CGNAT, multicast, reserved, documentation…). An IPv6 address that carries an IPv4
 * one is judged by the IPv4 inside (`::ffff:7f00:1`, `::ffff:0:7f00:1`, `64:ff9b::7f00:1` and 6to4's
 * `2002:7f00:1::` are all 127.0.0.1); the deprecated IPv4-compatible `::a.b.c.d`, NAT64's local-use
 * prefix and Teredo (its IPv4 addresses are hidden in the bits) are refused whole. What cannot be parsed
 * is refused too.
 */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') return ip.range() !== 'unicast';
  const v6 = ip as ipaddr.IPv6;
  const bytes = v6.toByteArray();
  const range = v6.range();
  if (range === '6to4') return isPrivateAddress(bytes.slice(2, 6).join('.'));
  if (CARRIES_IPV4_AT_END.has(range)) {
    if (range === 'rfc6052' && v6.parts[2] !== 0) return true; // 64:ff9b:1::/48, for local use
    return isPrivateAddress(bytes.slice(12).join('.'));
  }
  if (bytes.slice(0, 12).every((b) => b === 0)) return true; // ::/96: unspecified, loopback, IPv4-compatible
  return range !== 'unicast';
}

export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
  readonly code = 'EPRIVATE';
}

/** A `lookup` for http.request that leaves out private addresses (and fails when none is left). */
export const publicLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const usable = addresses.filter((a) => !isPrivateAddress(a.address));
    if (usable.length === 0) return callback(new PrivateAddressError(`${hostname} is a private address`), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, usable);
    return callback(null, usable[0]!.address, usable[0]!.family);
  });
};

/** Why a webhook URL cannot be used, or null: http(s) only, and no private IP unless allowed. */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): MessageRef | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return message('webhooks.notUrl');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return message('webhooks.scheme');
  if (raw.length > 2000) return message('webhooks.tooLong', { max: 2000 });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || (net.isIP(host) && isPrivateAddress(host)))) {
    return message('webhooks.private');
  }
  return null;
}
