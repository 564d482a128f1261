// JSON too big to parse in one go without holding up every other request (JSON.parse takes about a second
// per 100 MB, and nothing else runs meanwhile): read as a stream of tokens (stream-json) and assembled
// piece by piece, a turn for others every 10 ms. Every string, keys too, is made well-formed on the
// way (text.ts: a lone surrogate becomes U+FFFD).
import { Readable } from 'node:stream';
import parser from 'stream-json/parser.js';
import Assembler from 'stream-json/assembler.js';
import { pacer } from './pace.js';
import { wellFormed } from './text.js';

interface Token { name: string; value?: unknown }

/** Text longer than this is parsed as a stream; shorter is quicker with JSON.parse. */
export const STREAMED_JSON_FROM = 1024 * 1024;

/** Refusal of JSON past its size limit (fastify's own code and status for a body too large). */
export class JsonTooLargeError extends Error {
  readonly statusCode = 413;
  readonly code = 'FST_ERR_CTP_BODY_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`The JSON is larger than ${limit} bytes.`);
  }
}

/** The JSON value the bytes or text of `source` hold; malformed JSON rejects with a SyntaxError (status 400). */
export async function parseJsonStream(source: Readable, limit = Infinity): Promise<unknown> {
  let size = 0;
  source.on('data', (chunk: Buffer | string) => {
    size += chunk.length;
    if (size > limit) source.destroy(new JsonTooLargeError(limit));
  });
  const tokens = source.pipe(parser.asStream({ packKeys: true, packStrings: true, packNumbers: true, streamKeys: false, streamStrings: false }));
  source.on('error', (error) => tokens.destroy(error));
  const assembler = new Assembler();
  const pace = pacer();
  let counted = 0;
  try {
    for await (const token of tokens as AsyncIterable<Token>) {
      if (token.name === 'stringValue' || token.name === 'keyValue') token.value = wellFormed(token.value as string);
      assembler.consume(token as never);
      // tokens already parsed arrive without a wait: a turn for others every 10 ms (the clock asked every 1,024)
      if ((++counted & 1023) === 0) await pace();
    }
  } catch (error) {
    if (error instanceof JsonTooLargeError) throw error;
    throw Object.assign(new SyntaxError((error as Error).message), { statusCode: 400 });
  }
  if (!assembler.done) throw Object.assign(new SyntaxError('The JSON ends before its value does.'), { statusCode: 400 });
  return assembler.current;
}

/** Text as a stream of 64 KiB pieces, for parseJsonStream. */
export function textStream(text: string): Readable {
  const SLICE = 64 * 1024;
  return Readable.from((function* slices() {
    for (let at = 0; at < text.length; at += SLICE) yield text.slice(at, at + SLICE);
  })(), { objectMode: false });
}
