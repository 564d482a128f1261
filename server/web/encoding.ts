// Content coding: gzip only for a client that says it accepts it (old browsers and scripts that do not
// ask get plain bytes). Parsing of Accept-Encoding, q-values included, is @fastify/accept-negotiator's.
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyRequest } from 'fastify';

export function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers['accept-encoding'];
  return typeof header === 'string' && negotiate(header, ['gzip']) === 'gzip';
}
