// Webhook URLs are typed by board admins, and any account can make a board: without a check, the server
// would POST wherever they point, loopback and the LAN included (a request forgery into services that
// trust the server). Addresses in private, loopback and link-local ranges are refused unless the
// operator allows them (WAMI_WEBHOOK_PRIVATE), both for IPs in the URL and for what names resolve to
// when the request is made (so a name cannot be re-pointed after the check).
import { message, type MessageRef } from '../i18n/messages.js';
import dns from 'node:dns';
import net from 'node:net';

const PRIVATE = new net.BlockList();
for (const [range, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  PRIVATE.addSubnet(range, bits, 'ipv4');
}
for (const [range, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(range, bits, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  return PRIVATE.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
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
