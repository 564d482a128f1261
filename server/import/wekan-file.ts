// Reading a WeKan export file as a stream (stream-json), so that its attached files never sit in
// memory: everything but the files' base64 bodies is assembled as JSON.parse would, and each body is
// decoded as it streams by into a temp file (hashed, size-limited, fsynced: files/storage.ts). Exports
// are mostly their files, so memory follows the board's text, not the export's size.
import fs from 'node:fs';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import parser from 'stream-json/parser.js';
import Assembler from 'stream-json/assembler.js';
import type { AttachmentFiles, Received } from '../files/storage.js';
import { Base64Decoder } from '../files/base64.js';
import { wellFormed } from '../text.js';

/** What to do with the files' bodies: count them (the preview) or write them to temp files (the import). */
export type FileBodies = { keep: false } | { keep: true; files: AttachmentFiles; limit: number; written?: (count: number) => void };

export interface StreamedExport {
  /** The export with each attachment's `file` replaced by a marker (FILE_MARKER + an index in `received`). */
  document: unknown;
  received: Received[];
}

export const FILE_MARKER = 'wami-received-file:';

interface Token { name: string; value?: unknown }

/** Decodes base64 text given in pieces of any length into a stream, with backpressure. */
class Base64Sink {
  private readonly decoder = new Base64Decoder();
  readonly body = new PassThrough({ highWaterMark: 1024 * 1024 });

  async write(text: string): Promise<void> {
    const bytes = this.decoder.decode(text);
    if (bytes.length > 0 && !this.body.write(bytes)) await once(this.body, 'drain');
  }

  end(): void {
    this.body.end(this.decoder.end());
  }
}

/**
 * Reads the export at `path`. Malformed JSON rejects with a SyntaxError-like error (its message says
 * where); a file over the limit rejects with TooLargeError. On any failure the temp files are removed.
 */
export async function readExportFile(path: string, bodies: FileBodies): Promise<StreamedExport> {
  const tokens = fs.createReadStream(path, { highWaterMark: 1024 * 1024 })
    .pipe(parser.asStream({ packKeys: true, packNumbers: true, packStrings: false, streamStrings: true }));
  const assembler = new Assembler();
  const received: Received[] = [];
  let text: string[] = [];
  /** The file body being written, while its string is read. */
  let body: { sink: Base64Sink; arrival: Promise<Received> } | null = null;
  /** Whether the string being read is a file body (written, or only counted for a preview). */
  let isBody = false;
  try {
    for await (const token of tokens as AsyncIterable<Token>) {
      switch (token.name) {
        case 'startString':
          text = [];
          isBody = assembler.depth === 3 && assembler.key === 'file' && assembler.path[0] === 'attachments';
          if (isBody && bodies.keep) {
            const sink = new Base64Sink();
            body = { sink, arrival: bodies.files.receive(sink.body, bodies.limit) };
            body.arrival.catch(() => undefined); // awaited at the string's end; a failure must not go unhandled before that
          }
          break;
        case 'stringChunk':
          if (body) await body.sink.write(token.value as string);
          else if (!isBody) text.push(token.value as string);
          break;
        case 'endString': {
          let value = wellFormed(text.join('')); // a lone surrogate ("\ud800") would be stored, and exported as JSON strict parsers refuse
          if (body) {
            body.sink.end();
            received.push(await body.arrival);
            body = null;
            if (bodies.keep) bodies.written?.(received.length);
            value = `${FILE_MARKER}${received.length - 1}`;
          } else if (isBody) {
            value = `${FILE_MARKER}-1`;
          }
          assembler.consume({ name: 'stringValue', value } as never);
          isBody = false;
          break;
        }
        case 'keyValue':
          assembler.consume({ name: 'keyValue', value: wellFormed(token.value as string) } as never);
          break;
        default:
          assembler.consume(token as never);
      }
    }
    if (!assembler.done) throw new SyntaxError('The JSON ends before the export does.');
    return { document: assembler.current, received };
  } catch (error) {
    const inFlight = body;
    if (inFlight) {
      inFlight.sink.body.destroy();
      const last = await Promise.allSettled([inFlight.arrival]);
      if (last[0]!.status === 'fulfilled') received.push(last[0]!.value);
    }
    await Promise.all(received.map((r) => fs.promises.rm(r.tempPath, { force: true })));
    throw error;
  }
}
