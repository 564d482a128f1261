// WeKan's JSON upload ({boardId, …, fileData: "<base64>", fileName, fileType}) read as a stream: the
// base64 text is decoded as it arrives and goes straight into the temp folder within its limit, so a
// file of any allowed size takes a few buffers of memory, not three copies of itself. The other fields
// are short strings, kept as they are.
import { PassThrough, type Readable } from 'node:stream';
import { once } from 'node:events';
import parser from 'stream-json/parser.js';
import type { Received } from './storage.js';
import { Base64Decoder } from './base64.js';

interface Token { name: string; value?: unknown }

/** The body is not the JSON object an upload is (400). */
export class BadUploadError extends Error {
  override name = 'BadUploadError';
  readonly statusCode = 400;
}

const FIELD_MAX = 4096;
const FIELDS_MAX = 20;

/** WeKan's fileData is base64: blanks (wrapped lines) may come between its groups, nothing else. */
function checkedBase64(text: string): string {
  if (/[^A-Za-z0-9+/=_\s-]/.test(text)) throw new BadUploadError('fileData is not base64.');
  return text;
}

/**
 * Reads the upload body: its top-level string fields, and `fileData` handed to `receive` as a stream of
 * bytes (null when the body has none). On any failure the file received so far is passed to `discard`.
 */
export async function readBase64Upload(source: Readable, receive: (bytes: Readable) => Promise<Received>,
  discard: (received: Received) => Promise<void>): Promise<{ fields: Map<string, string>; received: Received | null }> {
  const fields = new Map<string, string>();
  const tokens = source.pipe(parser.asStream({ packKeys: true, streamKeys: false, packStrings: false, streamStrings: true,
    packNumbers: true, streamNumbers: false }));
  source.on('error', (error) => tokens.destroy(error));
  let depth = 0;
  let key: string | null = null;
  let text: string | null = null;
  let file: { bytes: PassThrough; decoder: Base64Decoder; arrival: Promise<Received> } | null = null;
  let received: Received | null = null;
  try {
    for await (const token of tokens as AsyncIterable<Token>) {
      switch (token.name) {
        case 'startObject': case 'startArray': depth++; break;
        case 'endObject': case 'endArray': depth--; break;
        case 'keyValue': key = String(token.value); break;
        case 'startString':
          if (depth !== 1) break;
          if (key === 'fileData' && !file) {
            const bytes = new PassThrough();
            file = { bytes, decoder: new Base64Decoder(), arrival: receive(bytes) };
            file.arrival.catch(() => undefined); // awaited below; a refusal must not go unhandled meanwhile
          } else {
            text = '';
          }
          break;
        case 'stringChunk': {
          if (depth !== 1) break;
          const chunk = String(token.value);
          if (text !== null) {
            text += chunk;
            if (text.length > FIELD_MAX) throw new BadUploadError(`${key} is too long.`);
          } else if (file && !file.bytes.write(file.decoder.decode(checkedBase64(chunk)))) {
            await Promise.race([once(file.bytes, 'drain'), file.arrival]);
          }
          break;
        }
        case 'endString':
          if (depth !== 1) break;
          if (text !== null) {
            if (fields.size >= FIELDS_MAX) throw new BadUploadError('The upload has too many fields.');
            fields.set(key ?? '', text);
            text = null;
          } else if (file && !file.bytes.writableEnded) {
            file.bytes.end(file.decoder.end());
            received = await file.arrival;
          }
          break;
        default: break;
      }
    }
  } catch (error) {
    if (file && !file.bytes.writableEnded) file.bytes.destroy();
    const outcome = file ? await file.arrival.then((arrived) => arrived, (refusal: unknown) => refusal) : null;
    const arrived = received ?? (outcome && typeof outcome === 'object' && 'tempPath' in outcome ? outcome as Received : null);
    if (arrived) await discard(arrived);
    // the file's own refusal (past its limit, disk full) is told as it is; anything else is a bad body
    if (error instanceof BadUploadError || error === outcome) throw error;
    throw new BadUploadError(`The upload is not valid JSON: ${(error as Error).message}`);
  }
  return { fields, received };
}
