// Sending an attachment: conditional requests (304), byte ranges (206, one range or several as
// multipart/byteranges, 416 when none can be served), If-Range, all streamed from the file in constant
// memory. Ranges are parsed by `range-parser`; @fastify/send answers several ranges with the whole file
// and tags weakly, which PDF viewers seeking in big files cannot use, hence this module.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import parseRange from 'range-parser';

export interface StoredFile {
  path: string;
  size: number;
  type: string;
  /** Strong entity tag, from the content's hash: the same bytes, the same tag. */
  etag: string;
  lastModified: Date;
  disposition: string;
}

interface ByteRange {
  start: number;
  end: number;
}

/** Bytes read from the file at a time: fewer, larger reads and socket writes than the 64 KiB default. */
const READ_CHUNK = 1024 * 1024;

/** More ranges than this (after merging overlaps) get the whole file: a request for thousands is abuse. */
const MAX_RANGES = 64;

type Plan = { status: 200 } | { status: 304 } | { status: 416 } | { status: 206; ranges: ByteRange[] };

function httpSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function notModified(request: FastifyRequest, file: StoredFile): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag);
  }
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && httpSeconds(file.lastModified) <= Math.floor(since / 1000);
}

/** If-Range: the range holds only for the very version the client has (strong tag, or exact date). */
function rangeStillValid(request: FastifyRequest, file: StoredFile): boolean {
  const raw = request.headers['if-range'];
  if (raw === undefined) return true;
  const ifRange = String(raw).trim();
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return ifRange === file.etag;
  const date = Date.parse(ifRange);
  return !Number.isNaN(date) && Math.floor(date / 1000) === httpSeconds(file.lastModified);
}

function plan(request: FastifyRequest, file: StoredFile): Plan {
  if (notModified(request, file)) return { status: 304 };
  const header = request.headers.range;
  if (!header || !rangeStillValid(request, file)) return { status: 200 };
  const ranges = parseRange(file.size, header, { combine: true });
  if (ranges === -1) return { status: 416 };
  // -2: malformed; other units; too many: a Range header may be ignored (RFC 9110), so the whole file
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length > MAX_RANGES) return { status: 200 };
  return { status: 206, ranges: ranges.map(({ start, end }) => ({ start, end })) };
}

/** A read stream of the file (or of a range of it) whose bytes count as sent once it ends or is cut off. */
function readCounted(request: FastifyRequest, file: StoredFile, range: Partial<ByteRange> = {}): fs.ReadStream {
  const stream = fs.createReadStream(file.path, { ...range, highWaterMark: READ_CHUNK });
  stream.once('close', () => { request.server.files.traffic.bytesOut += stream.bytesRead; });
  return stream;
}

/** The parts of a multipart/byteranges body, each range read from the file only when its turn comes. */
async function* byteranges(request: FastifyRequest, file: StoredFile, ranges: ByteRange[], heads: string[], closing: string) {
  for (const [i, range] of ranges.entries()) {
    yield Buffer.from(heads[i]!, 'latin1');
    yield* readCounted(request, file, range);
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(closing);
}

export function sendFile(request: FastifyRequest, reply: FastifyReply, file: StoredFile): FastifyReply {
  reply
    .header('Accept-Ranges', 'bytes')
    .header('ETag', file.etag)
    .header('Last-Modified', file.lastModified.toUTCString())
    .header('Cache-Control', 'private, no-cache')
    .header('X-Content-Type-Options', 'nosniff');
  const decided = plan(request, file);
  if (decided.status === 304) return reply.code(304).send();
  if (decided.status === 416) {
    return reply.code(416).header('Content-Range', `bytes */${file.size}`).type('text/plain; charset=utf-8')
      .send(`None of the requested byte ranges lies within the file (${file.size} bytes).\n`);
  }
  reply.header('Content-Disposition', file.disposition);
  if (decided.status === 200) {
    return reply.code(200).type(file.type).header('Content-Length', file.size).send(readCounted(request, file));
  }
  const { ranges } = decided;
  if (ranges.length === 1) {
    const [{ start, end }] = ranges as [ByteRange];
    return reply.code(206).type(file.type)
      .header('Content-Range', `bytes ${start}-${end}/${file.size}`)
      .header('Content-Length', end - start + 1)
      .send(readCounted(request, file, { start, end }));
  }
  const boundary = randomBytes(12).toString('hex');
  const heads = ranges.map(({ start, end }) =>
    `--${boundary}\r\nContent-Type: ${file.type}\r\nContent-Range: bytes ${start}-${end}/${file.size}\r\n\r\n`);
  const closing = `--${boundary}--\r\n`;
  // Known in advance, so no chunked encoding (HTTP/1.0 clients) and viewers see the total.
  const length = ranges.reduce((sum, { start, end }, i) => sum + Buffer.byteLength(heads[i]!) + (end - start + 1) + 2, 0)
    + closing.length;
  return reply.code(206).type(`multipart/byteranges; boundary=${boundary}`)
    .header('Content-Length', length)
    .send(Readable.from(byteranges(request, file, ranges, heads, closing), { objectMode: false }));
}
