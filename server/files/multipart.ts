// Reading a multipart/form-data upload part by part, in order, as streams, with busboy. Not
// @fastify/multipart: its parser (@fastify/busboy) always reads file names as UTF-8, so a name sent
// from a Latin-1 page (Step 6) would lose its letters; busboy hands them over byte for byte
// (defParamCharset latin1) and files/names.ts decides. Busboy also takes Dillo's quoted boundary and
// missing final CRLF.
import busboy from 'busboy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { STREAM_BUFFER } from './storage.js';

export interface FilePart {
  field: string;
  /** The name exactly as sent, one character per byte, path included. */
  rawName: string;
  /** What the browser said the file is (old browsers say text/plain for everything). */
  sentType: string;
  stream: Readable;
}

export interface PartHandlers {
  field(name: string, value: string): void | Promise<void>;
  /** Must consume the stream (or throw); the next part is read after it. */
  file(part: FilePart): Promise<void>;
}

/** The form had more files, fields or parts than allowed. */
export class PartLimitError extends Error {
  override name = 'PartLimitError';
  constructor(readonly what: 'files' | 'fields' | 'parts') {
    super(`too many ${what}`);
  }
}

/** The body ended before the form did (the browser stopped, or sent something that is not a form). */
export class IncompleteUploadError extends Error {
  override name = 'IncompleteUploadError';
}

/** Lets multipart bodies through unread: the upload route reads them as a stream. */
export function acceptMultipart(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));
}

export function isMultipart(request: FastifyRequest): boolean {
  return /^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '');
}

/** Reads every part in order, handing fields and files to `handlers`; rejects on the first failure. */
export function readParts(request: FastifyRequest, limits: { files: number; fields: number; fieldSize: number },
  handlers: PartHandlers): Promise<void> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers, defParamCharset: 'latin1', preservePath: true,
        highWaterMark: STREAM_BUFFER, fileHwm: STREAM_BUFFER,
        limits: { ...limits, parts: limits.files + limits.fields, headerPairs: 20 },
      });
    } catch (error) {
      reject(new IncompleteUploadError((error as Error).message)); // no or bad boundary
      return;
    }
    const body = request.raw;
    let queue = Promise.resolve();
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      body.unpipe(parser);
      body.resume(); // drain what is still coming, so the answer can be sent
      parser.destroy(error instanceof Error ? error : new Error(String(error)));
      // Answer only once the part being handled has settled (its stream now fails): a file it was
      // still receiving is then either removed or handed over, never left behind after the answer.
      const settled = () => reject(error);
      queue.then(settled, settled);
    };
    parser.on('field', (name, value) => {
      queue = queue.then(() => (failed ? undefined : handlers.field(name, value))).catch(fail);
    });
    parser.on('file', (field, stream, info) => {
      // When the parser fails it destroys the file stream with its error; whoever reads the stream
      // sees that error, and a stream nobody reads any more must not crash the process with it.
      stream.on('error', () => undefined);
      queue = queue.then(() => {
        if (failed) {
          stream.resume();
          return undefined;
        }
        return handlers.file({ field, rawName: info.filename ?? '', sentType: info.mimeType, stream });
      }).catch((error: unknown) => {
        stream.resume();
        fail(error);
      });
    });
    parser.on('filesLimit', () => fail(new PartLimitError('files')));
    parser.on('fieldsLimit', () => fail(new PartLimitError('fields')));
    parser.on('partsLimit', () => fail(new PartLimitError('parts')));
    parser.on('error', (error: Error) => fail(new IncompleteUploadError(error.message)));
    parser.on('close', () => {
      queue.then(() => { if (!failed) resolve(); }, fail);
    });
    // The browser went away mid-upload: the parser would wait for the rest forever.
    body.on('close', () => {
      if (!body.complete) fail(new IncompleteUploadError('the connection closed before the upload ended'));
    });
    body.pipe(parser);
  });
}
